/**
 * What a commit that failed is called, for people: the cause in words that fit after "the
 * instructor's computer" or "this computer", and what a phone and the instructor are told. The
 * commit queue (commit-queue.ts) words every failure with these.
 */
import { errorCode, errorMessage } from '../../shared/errors';

/**
 * Why the records could not store something, in words that fit after "the instructor's computer"
 * or "this computer" — never SQLite's own text, which means nothing to a trainee.
 */
export function commitFailureCause(e: unknown): string {
  const code = errorCode(e) ?? '';
  const text = errorMessage(e);
  if (code.startsWith('SQLITE_FULL') || /disk is full|ENOSPC/i.test(text))
    return 'is out of disk space';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return 'had its records busy for a moment';
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM')
  )
    return 'cannot write its records';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CORRUPT'))
    return 'could not write to its disk';
  return 'could not store it';
}

/** What a phone is told when its message was not stored: what happened, and that it is not lost. */
export const traineeCommitMessage = (cause: string) =>
  `Not saved yet: the instructor's computer ${cause}. It stays on this phone and is sent again.`;
/** What the instructor is told when a command was not stored. */
export const instructorCommitMessage = (cause: string) =>
  `Not saved: this computer ${cause}. Nothing changed; try again.`;
