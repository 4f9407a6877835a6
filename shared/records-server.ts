/**
 * The academy records server as the console sees it: the pusher's state (sent in the console view
 * as `recordsServer`) and the enrolment the console is given.
 */
import { z } from 'zod';

export type RecordsServerState =
  'up-to-date' | 'sending' | 'paused' | 'unreachable' | 'refused' | 'starting';

export interface RecordsServerStatus {
  state: RecordsServerState;
  /** The server's host name, as the enrolment URL gives it. */
  host: string;
  /** Changes recorded here and not yet on the server. */
  waiting: number;
  /** When the server last confirmed it had everything (ms), or null. */
  lastSyncAt: number | null;
  /** Why the last attempt failed (unreachable, refused), or a warning. */
  error: string | null;
  /** The next attempt, in milliseconds from when this was made. */
  retryInMs: number | null;
  /** All of it in words, for the console: "Records server: up to date, 2 min ago". */
  text: string;
}

const ago = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
};

const changes = (n: number) => `${n.toLocaleString('en-US')} change${n === 1 ? '' : 's'} waiting`;

/** The status in words, at `now`. */
export function describeRecordsServer(s: Omit<RecordsServerStatus, 'text'>, now: number): string {
  switch (s.state) {
    case 'up-to-date':
      return `Records server: up to date${s.lastSyncAt === null ? '' : `, ${ago(now - s.lastSyncAt)}`}`;
    case 'sending':
      return `Records server: sending, ${changes(s.waiting)}`;
    case 'paused':
      return `Records server: ${changes(s.waiting)} (paused while a question is open)`;
    case 'starting':
      return `Records server: connecting to ${s.host}`;
    case 'refused':
      return `Records server refused this console (${s.host}): ${s.error ?? 'login refused'}`;
    case 'unreachable':
      return `Records server: cannot reach ${s.host}: ${s.error ?? 'no answer'}${s.waiting ? ` · ${changes(s.waiting)}` : ''}${s.retryInMs !== null ? ` · retrying in ${Math.max(1, Math.round(s.retryInMs / 1000))} s` : ''}`;
    default: {
      const never: never = s.state;
      return String(never);
    }
  }
}

/**
 * `PUT /api/records-server`: the enrolment `muster records-server enrol` printed, a PostgreSQL URL
 * with this console's login and password.
 */
export const RecordsServerEnrolment = z
  .object({
    url: z
      .string()
      .trim()
      .max(1000)
      // login:password@host[:port][/database][?options] (shared/ has no URL parser, and needs none for this).
      .refine(
        (s) =>
          /^postgres(?:ql)?:\/\/[^:@/?#\s]+:[^@/?#\s]+@[^/?#\s:]+(?::\d{1,5})?(?:[/?]\S*)?$/.test(
            s,
          ),
        'paste the whole line that `muster records-server enrol` printed: postgres://login:password@host/database',
      ),
  })
  .strict();
export type RecordsServerEnrolment = z.infer<typeof RecordsServerEnrolment>;

/** `GET /api/records-server`: whether this console is enrolled, where, and how the pushing goes. */
export interface RecordsServerSetup {
  enrolled: boolean;
  host: string | null;
  login: string | null;
  /** Where the credential is kept: the system keychain (desktop app) or a file only this user can read. */
  storage: 'keychain' | 'file';
  status: RecordsServerStatus | null;
  /** Changes recorded here that no records server has confirmed yet. */
  waiting: number;
}
