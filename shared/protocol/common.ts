/**
 * What every part of the wire protocol shares: the limits both sides know, how message ids, room
 * codes and people's text are checked, and how a refusal is put into words.
 */
import { z } from 'zod';
import { cleanText } from '../identity';

export const LIMITS = {
  /** Largest WebSocket message the server accepts, in bytes. */
  maxPayload: 4096,
  nameMax: 80,
  officerIdMax: 32,
  agencyMax: 120,
  /** Why a trainee's identity was corrected (audit log). */
  reasonMax: 500,
  questionMax: 280,
  /** A nickname for the optional game's leaderboard (never a name or an officer ID). */
  nicknameMax: 24,
} as const;

/** A message id: the phone's or console's own, echoed in the reply that answers it. */
export const MSG_ID = /^[A-Za-z0-9_-]{6,64}$/;
export const msgId = z.string().regex(MSG_ID, 'message id: 6–64 letters, digits, _ or -');
export const text = (max: number, label: string) =>
  z
    .string()
    // Bounded before cleaning, so a huge string is refused before any work is done on it.
    .max(max * 8, `${label}: at most ${max} characters`)
    // Control, invisible and bidi characters have no place in a name, and full-width or compatibility
    // forms would make two people who look the same on a screen two different trainees (shared/identity.ts).
    .transform(cleanText)
    .pipe(
      z.string().min(1, `${label} is required`).max(max, `${label}: at most ${max} characters`),
    );

/**
 * A nickname as the projector may show it: no control, format or bidirectional-override characters
 * (they could break a line or reorder the text around it), one space between words, trimmed.
 */
export function cleanNickname(s: string): string {
  return s
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim();
}

export const ROOM_CODE = /^[0-9]{6}$/;
export const RoomCode = z.string().regex(ROOM_CODE, 'room code: 6 digits');

/** Turns a zod error into one short sentence for the person who sent the message. */
export function describeZodError(e: z.ZodError): string {
  const first = e.issues[0];
  if (!first) return 'invalid message';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`.slice(0, 200);
}
