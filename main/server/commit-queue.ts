/**
 * The commit queue: persist → acknowledge → broadcast, with group commit, in one place.
 *
 * A command is *decided* against the engine's memory (which holds only committed operations), its
 * operations wait in the current batch, and the batch is written in one fsync'd transaction at the
 * end of the event-loop turn (or sooner, see below). Only once the records hold it are the
 * operations applied to memory and the senders acknowledged. A batch whose commit fails is thrown
 * away whole: memory and every screen stay as they were, and each sender is told in plain words.
 *
 * Ordering: a decision must see every operation that could change it. Each command names the keys
 * it depends on (a trainee, an officer ID, a message id); a command whose key is already waiting in
 * the batch, and every instructor command (key `'all'`, which depends on everything), first has the
 * waiting batch committed and applied, so it is decided on memory that includes it. Independent
 * commands — a class answering the same question — still share one transaction.
 *
 * The event loop is never starved by commits: a commit (fsync'd) blocks it, so during a burst — a
 * room joining at once — the next batch waits until the loop has had at least as long as the last
 * commit took (at most {@link MAX_PAUSE_MS}) to take in handshakes and messages. The batches grow
 * with the burst and their number shrinks; after a quiet moment a batch still goes at the end of
 * the turn, so a lone answer is acknowledged at once, and an instructor's command goes at once.
 */
import type { EngineOp, Outcome, RecordOp } from '../session/engine';
import { recordOps } from '../session/ops';
import { errorCode, errorMessage } from '../../shared/errors';

export type Keys = readonly string[] | 'all';

/** The longest a batch waits for the event loop to catch up after a commit. */
export const MAX_PAUSE_MS = 25;

interface Entry {
  ops: EngineOp[];
  after: () => void;
  failed: (message: string) => void;
}

export interface CommitQueueOptions {
  /** Writes a batch to the records in one transaction; throws when nothing was stored. */
  commit(ops: RecordOp[]): void;
  /** Applies committed operations to memory. */
  apply(ops: EngineOp[]): void;
  /** Memory could not take operations the records hold: rebuild it from the records. */
  rebuild(error: unknown): void;
  /** A batch was stored (a failure shown before can be cleared). */
  onCommitted?(): void;
  /** A commit failed (the instructor should know: a full disk will not fix itself). */
  onFailure(error: unknown, cause: string): void;
  log(message: string, error?: unknown): void;
  /** A monotonic clock in ms (default performance.now; tests pass their own). */
  clock?: () => number;
}

export class CommitQueue {
  private batch: Entry[] = [];
  private keys = new Set<string>();
  private exclusive = false;
  private scheduled = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the last commit ended and how long it took (performance.now() ms). */
  private lastEnd = -Infinity;
  private lastCost = 0;

  private readonly clock: () => number;

  constructor(private readonly o: CommitQueueOptions) {
    this.clock = o.clock ?? (() => performance.now());
  }

  /**
   * The next batch goes at the end of this turn, or once the loop has had as long as the last
   * commit took. An instructor's command never waits: the room is waiting on it.
   */
  private schedule(): void {
    const rest = this.exclusive
      ? 0
      : Math.min(MAX_PAUSE_MS, this.lastEnd + this.lastCost - this.clock());
    if (rest <= 0) setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), Math.ceil(rest));
  }

  /**
   * Decides a command and queues its operations. `after` runs once they are stored and applied;
   * `failed` with the refusal, or with code `server` and {@link commitFailureCause} when the
   * records could not store them.
   */
  run<T>(
    keys: Keys,
    decide: () => Outcome<T>,
    after: (o: Extract<Outcome<T>, { ok: true }>) => void,
    failed: (code: Extract<Outcome, { ok: false }>['code'], message: string) => void,
  ): void {
    if (this.closed) return failed('server', 'Muster is stopping; try again in a moment');
    if (this.conflicts(keys)) this.flush();
    const outcome = decide();
    if (!outcome.ok) return failed(outcome.code, outcome.message);
    const ok = outcome as Extract<Outcome<T>, { ok: true }>;
    this.batch.push({
      ops: ok.ops,
      after: () => after(ok),
      failed: (message) => failed('server', message),
    });
    if (keys === 'all') this.exclusive = true;
    else for (const k of keys) this.keys.add(k);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule();
    }
  }

  /** Commits what is waiting if it could change a decision that depends on `keys`. */
  settle(keys: Keys): void {
    if (this.conflicts(keys)) this.flush();
  }

  private conflicts(keys: Keys): boolean {
    if (!this.batch.length) return false;
    if (this.exclusive || keys === 'all') return true;
    return keys.some((k) => this.keys.has(k));
  }

  /** Commits what is waiting now: one transaction, then memory, then the senders. */
  flush(): void {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    this.keys.clear();
    this.exclusive = false;
    const ops = batch.flatMap((b) => b.ops);
    const stored = recordOps(ops);
    const started = this.clock();
    try {
      if (stored.length) this.o.commit(stored);
    } catch (e) {
      const message = commitFailureCause(e);
      this.o.log(`a commit of ${stored.length} record operations failed (${message})`, e);
      this.o.onFailure(e, message);
      for (const b of batch) safely(this.o, () => b.failed(message));
      return;
    }
    this.lastEnd = this.clock();
    this.lastCost = this.lastEnd - started;
    if (stored.length) safely(this.o, () => this.o.onCommitted?.());
    try {
      this.o.apply(ops);
    } catch (e) {
      // The records hold it but memory could not take it (a bug): memory is rebuilt from the records.
      this.o.log(
        'applying committed operations failed; rebuilding the session from the records',
        e,
      );
      this.o.rebuild(e);
    }
    for (const b of batch) safely(this.o, b.after);
  }

  /** Writes what is queued, then accepts nothing more. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}

function safely(o: CommitQueueOptions, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    o.log('a reply after a commit failed', e);
  }
}

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
