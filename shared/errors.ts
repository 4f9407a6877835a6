/**
 * Muster's own errors: one class, {@link MusterError}, with a code from a closed list, instead of
 * a subclass per failure. A handler asks `isMusterError(e, 'date-range')` rather than testing
 * classes, and the HTTP status that answers each code is written once, here, beside the code.
 * Errors thrown by Node, SQLite or PostgreSQL keep their own shape; {@link errorCode} reads
 * their `code` and {@link errorMessage} / {@link errorDetail} their text, without casts.
 *
 * In shared/ so the pages can read an error the same way (this file uses nothing of Node or the
 * browser).
 */

/** Each code, and the HTTP status a request that fails with it is answered with. */
export const ERROR_STATUS = {
  /** A request body over its limit, refused while it streams (body.ts). */
  'body-too-large': 413,
  /** A bad `from`/`to` of a records range: the message says which and why. */
  'date-range': 400,
  /** An export profile asked for by an id nobody has. */
  'unknown-profile': 404,
  /** Too many exports already running or waiting: try again in a moment. */
  'export-busy': 503,
  /** An export threw, its thread crashed, ran out of memory or time, or it was cancelled; the message is for the log. */
  'export-failed': 500,
  /** A command line that asks for something impossible (options that do not go together): exit code 2, never an HTTP reply. */
  usage: 400,
} as const satisfies Record<string, number>;

export type MusterErrorCode = keyof typeof ERROR_STATUS;

export class MusterError<C extends MusterErrorCode = MusterErrorCode> extends Error {
  override readonly name = 'MusterError';

  /** Where to look instead, for a person (the CLI fills in the command's `--help` for a `usage` error). */
  hint?: string;

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options);
    this.hint = options?.hint;
  }

  /** The HTTP status a request that failed with this error is answered with. */
  get status(): (typeof ERROR_STATUS)[C] {
    return ERROR_STATUS[this.code];
  }
}

/** True for a {@link MusterError} (of `code`, when given). */
export function isMusterError<C extends MusterErrorCode>(
  e: unknown,
  code?: C,
): e is MusterError<C> {
  return e instanceof MusterError && (code === undefined || e.code === code);
}

/** What went wrong, in one line of text, whatever was thrown (an Error, a string, anything). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string')
    return e.message;
  return String(e);
}

/** For a log: the stack when there is one (it starts with the message), else the message. */
export function errorDetail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : errorMessage(e);
}

/**
 * The `code` an error carries, when it is a string: a Node system error's (`ENOSPC`,
 * `ERR_WORKER_OUT_OF_MEMORY`), SQLite's (`SQLITE_FULL`), PostgreSQL's (`28P01`) or a
 * {@link MusterError}'s. Undefined for anything else.
 */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}
