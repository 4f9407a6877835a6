/**
 * The trainee's side of the wire: what a phone may send (each parsed by its schema on the server,
 * docs/ARCHITECTURE.md rule 2) and what the server sends a phone (never a correct answer before the
 * reveal, nor anyone else's identity, rule 3).
 */
import { z } from 'zod';
import { ANSWER_LIMITS, AnswerValue } from '../question';
import type { PublicQuestion } from '../question';
import type { AssessmentKind } from '../course';
import type { GameMode, SessionPhase } from '../vocabulary';
import { cleanText } from '../identity';
import { LIMITS, MSG_ID, ROOM_CODE, RoomCode, cleanNickname, msgId, text } from './common';

// ---------------------------------------------------------------- trainee → server
/** A token a phone makes for itself: at least 32 base64url characters (192 random bits). */
const PHONE_TOKEN = /^[A-Za-z0-9_-]{32,64}$/;
export const PhoneToken = z.string().regex(PHONE_TOKEN, 'token: 32 to 64 letters, digits, - or _');
export const TraineeJoin = z
  .object({
    t: z.literal('join'),
    name: text(LIMITS.nameMax, 'Name'),
    officerId: text(LIMITS.officerIdMax, 'Officer ID'),
    agency: text(LIMITS.agencyMax, 'Agency'),
    roomCode: RoomCode,
    /**
     * The phone's own token, made on the phone (24 random bytes, base64url). A join that is sent
     * again with it — its welcome was lost with the connection, or the server restarted after
     * storing it — is the same phone coming back, not a second claim on the officer ID. Optional:
     * without it the server makes the token.
     */
    token: PhoneToken.optional(),
  })
  .strict();
export type TraineeJoin = z.infer<typeof TraineeJoin>;

/**
 * A join message checked by hand, as {@link quickAnswer} checks an answer, for the other message a
 * whole room sends in the same second: zod's general parse took 61 ms of the ~980 ms the main
 * thread worked while a room of 2,000 joined (~30 µs a phone, its code still cold). The texts are
 * cleaned and bounded exactly as {@link text} does. It accepts only what {@link TraineeJoin}
 * accepts and returns what zod returns; for anything else it returns null and the caller asks zod,
 * which also puts the refusal into words. tests/unit/quick-join.test.ts holds it to zod.
 */
export function quickJoin(v: unknown): TraineeJoin | null {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype)
    return null;
  const m = v as Record<string, unknown>;
  if (m.t !== 'join') return null;
  const withToken = Object.hasOwn(m, 'token');
  if (Object.keys(m).length !== (withToken ? 6 : 5) || !Object.hasOwn(m, 't')) return null;
  if (!Object.hasOwn(m, 'name') || !Object.hasOwn(m, 'officerId')) return null;
  if (!Object.hasOwn(m, 'agency') || !Object.hasOwn(m, 'roomCode')) return null;
  const { roomCode, token } = m;
  if (typeof roomCode !== 'string' || !ROOM_CODE.test(roomCode)) return null;
  if (withToken && (typeof token !== 'string' || !PHONE_TOKEN.test(token))) return null;
  const name = quickText(m.name, LIMITS.nameMax);
  const officerId = quickText(m.officerId, LIMITS.officerIdMax);
  const agency = quickText(m.agency, LIMITS.agencyMax);
  if (name === null || officerId === null || agency === null) return null;
  const join = { t: 'join' as const, name, officerId, agency, roomCode };
  return withToken ? { ...join, token: token as string } : join;
}

/** {@link text}, by hand: bounded, cleaned, then neither empty nor longer than `max`. */
function quickText(x: unknown, max: number): string | null {
  if (typeof x !== 'string' || x.length > max * 8) return null;
  const s = cleanText(x);
  return s.length >= 1 && s.length <= max ? s : null;
}

export const TraineeResume = z
  .object({ t: z.literal('resume'), token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) })
  .strict();
/** The longest run id an answer may name (the server makes them, far shorter). */
const RUN_ID_MAX = 64;
export const TraineeAnswer = z
  .object({
    t: z.literal('answer'),
    id: msgId,
    runId: z.string().min(1).max(RUN_ID_MAX),
    value: AnswerValue,
  })
  .strict();
export type TraineeAnswer = z.infer<typeof TraineeAnswer>;

/**
 * An answer message checked by hand, for the one message a whole class sends in the same second:
 * zod's general parse (it builds and compiles its parser at the first answer, then walks the
 * object and the value's union and copies both) took ~35 ms of CPU for a class of 5,000's first
 * answers, this check ~5. It accepts only what {@link TraineeAnswer}
 * accepts, and returns the message itself (fresh from `JSON.parse`, nobody else holds it); for
 * anything else — another message, an answer zod would refuse — it returns null and the caller
 * asks zod, which also puts the refusal into words. tests/unit/quick-answer.test.ts holds it to
 * zod on generated messages.
 */
export function quickAnswer(v: unknown): TraineeAnswer | null {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype)
    return null;
  const m = v as Record<string, unknown>;
  if (m.t !== 'answer' || Object.keys(m).length !== 4) return null;
  if (!Object.hasOwn(m, 't') || !Object.hasOwn(m, 'id') || !Object.hasOwn(m, 'runId')) return null;
  if (!Object.hasOwn(m, 'value')) return null;
  const { id, runId, value } = m;
  if (typeof id !== 'string' || !MSG_ID.test(id)) return null;
  if (typeof runId !== 'string' || runId.length < 1 || runId.length > RUN_ID_MAX) return null;
  return quickValue(value) ? (m as TraineeAnswer) : null;
}

/** {@link AnswerValue}, by hand. */
function quickValue(x: unknown): boolean {
  switch (typeof x) {
    case 'string':
      return x.length <= ANSWER_LIMITS.textMax;
    case 'number':
      return Number.isFinite(x);
    case 'boolean':
      return true;
    case 'object':
      return (
        Array.isArray(x) &&
        x.length <= ANSWER_LIMITS.itemsMax &&
        x.every((s) => typeof s === 'string' && s.length <= ANSWER_LIMITS.itemMax)
      );
    default:
      return false;
  }
}
export const TraineePing = z.object({ t: z.literal('ping') }).strict();
/** A question for the Q&A board; `anonymous` means no link to the trainee anywhere, records included. */
export const TraineeAsk = z
  .object({
    t: z.literal('ask'),
    id: msgId,
    text: text(LIMITS.questionMax, 'Question'),
    anonymous: z.boolean(),
  })
  .strict();
/** A vote for a question on the board; `id` (optional for older pages) is echoed in the ack. */
export const TraineeVote = z
  .object({ t: z.literal('vote'), qaId: z.string().min(1).max(64), id: msgId.optional() })
  .strict();
/** The trainee has reviewed a self-paced assessment and hands it in; answers after this are refused. */
export const TraineeSubmit = z
  .object({ t: z.literal('submit'), id: msgId, assessmentId: z.string().min(1).max(64) })
  .strict();
/** The trainee's nickname for the game's leaderboard; '' goes back to the automatic one ("Unit 7"). */
export const TraineeNickname = z
  .object({
    t: z.literal('nickname'),
    id: msgId,
    nickname: z
      .string()
      .max(200, 'Nickname: at most 24 characters')
      .transform(cleanNickname)
      .pipe(
        z.string().max(LIMITS.nicknameMax, `Nickname: at most ${LIMITS.nicknameMax} characters`),
      ),
  })
  .strict();
export const TraineeMessage = z.discriminatedUnion('t', [
  TraineeJoin,
  TraineeResume,
  TraineeAnswer,
  TraineePing,
  TraineeAsk,
  TraineeVote,
  TraineeSubmit,
  TraineeNickname,
]);
export type TraineeMessage = z.infer<typeof TraineeMessage>;

// ---------------------------------------------------------------- server → trainee

/** What every phone in the room sees; the same bytes go to all of them. */
export interface TraineeView {
  t: 'view';
  phase: SessionPhase;
  title: string;
  question: null | {
    runId: string;
    q: PublicQuestion;
    open: boolean;
    /** Milliseconds left when the message was sent; the server owns time (docs/ARCHITECTURE.md, rule 5). */
    remainingMs: number | null;
    /** A role-play vote: the situation being decided (the course author's Markdown, rendered at load). */
    situationHtml?: string;
  };
  /**
   * Present once the instructor shows results: the key (the correct labels; a ranking's whole
   * order, top first; a number's tolerance) and the explanation, if any. Each phone says "Correct"
   * or "Not quite" from it by the server's own rule (shared/answer-key.ts).
   */
  reveal: null | { correct: string[] | null; explanation: string | null; tolerance?: number };
  /** The Q&A board as the room sees it (approved questions; never who asked). */
  qa: QaBoardItem[];
  /** A self-paced assessment the class is taking (or just took); never carries a correct answer. */
  assessment: TraineeAssessment | null;
  /** The instructor's class-wide switch: the projector shows the question, so phones show only the answers. */
  hidePrompt?: boolean;
  /** The optional game is on (absent when off); each phone's own points come in a {@link TraineeGame}. */
  game?: Exclude<GameMode, 'off'>;
}

/**
 * One phone's own standing in the game, sent to that phone only (after a reveal, a welcome, a
 * nickname, the game being turned on). Never sent while the game is off.
 */
export interface TraineeGame {
  t: 'game';
  mode: Exclude<GameMode, 'off'>;
  nickname: string;
  points: number;
  rank: number;
  /** Trainees in the class. */
  of: number;
  streak: number;
  /** Points for the latest revealed question, and which run that was. */
  last: null | { runId: string; points: number };
  /** The nickname message this answers, if any. */
  id?: string;
}

/** An assessment as every phone gets it: all questions at once, so a phone can go on offline. */
export interface TraineeAssessment {
  id: string;
  title: string;
  kind: AssessmentKind;
  open: boolean;
  /** One question run per question, in order; answers are sent to the run like any answer. */
  questions: { runId: string; q: PublicQuestion }[];
}

export interface QaBoardItem {
  id: string;
  text: string;
  votes: number;
  pinned: boolean;
  answered: boolean;
}

export interface TraineeWelcome {
  t: 'welcome';
  token: string;
  trainee: { id: string; name: string; officerId: string; agency: string };
  /** This trainee's stored answer to the current question, so a reloaded phone shows it. */
  answer: null | { runId: string; value: AnswerValue };
  /** This trainee's stored answers to the assessment in the view, and whether they submitted it. */
  assessment: null | {
    id: string;
    answers: { runId: string; value: AnswerValue }[];
    submitted: boolean;
  };
}

/**
 * The server stored what a phone sent (an answer, a hand-in, a board question, a vote); `id` is
 * the message's own id. "Answer received" is shown only on this.
 */
export type Ack =
  | { t: 'ack'; id: string; of: 'answer'; runId: string }
  | { t: 'ack'; id: string; of: 'submit' | 'ask' | 'vote' };

export interface ErrorReply {
  t: 'error';
  code: 'invalid' | 'forbidden' | 'not-found' | 'closed' | 'room' | 'rate' | 'server';
  message: string;
  /** The message id the error answers, when it had one. */
  id?: string;
}

/**
 * The officer ID this phone joined with is already in the class on another phone: the instructor
 * is asked to confirm that it is the same person. The phone waits; the claim ends with a welcome
 * (allowed) or an error (refused).
 */
export interface TraineeClaimWait {
  t: 'claim';
  message: string;
}

/** Something the trainee must know about their identity (another phone asked to join as them). */
export interface TraineeNotice {
  t: 'notice';
  message: string;
}

/** This phone no longer speaks for its trainee (they moved to another phone): it forgets the class. */
export interface TraineeSignedOut {
  t: 'signed-out';
  message: string;
}

export type ServerToTrainee =
  | TraineeView
  | TraineeWelcome
  | TraineeGame
  | Ack
  | ErrorReply
  | TraineeClaimWait
  | TraineeNotice
  | TraineeSignedOut;
