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
 * The event loop is never starved by commits. A batch of the trainees' messages is written off the
 * main thread when the records can (`writeOffThread`: records/writer.ts): while its fsync runs, the
 * loop takes in handshakes and messages, decided into the next batch, which is written as soon as
 * this one is stored — so batches grow with a burst, one write is in flight at a time (a whole part
 * waiting goes to an idle thread at once, mid-turn), and a lone answer after a quiet moment still
 * goes at the end of its turn; in a trickle, writes are at least {@link GROUP_COMMIT_MS} apart.
 * In a flood the loop reads message after message in one turn and no timer fires until it has read
 * them all: a batch that has gathered for the group-commit wait then goes to the thread from the
 * next message (or from the view pump's `poll`), so the thread writes while the loop reads rather
 * than idling until the flood is read.
 * A command that must see the write in flight (the same trainee again, an instructor's command)
 * waits for it (`waitOffThread`), as it would for a commit on this thread. While the writer thread
 * is on its way up (it starts with the class, and a room may join at once), the room's batch
 * waits for it — at most {@link MAX_START_WAIT_MS} — rather than being written here. A batch
 * written here (an instructor's command, which never waits; or a thread slow to start) blocks the
 * loop, so in a burst the next such batch waits until the loop has had as long as the last one
 * took (at most {@link MAX_PAUSE_MS}).
 */
// The module's own binding: Node's global `performance` is a getter that runs on every use, and the
// queue reads its clock a few times a message.
import { performance } from 'node:perf_hooks';
import type { EngineOp, Outcome, RecordOp } from '../session/engine';
import { recordOps } from '../session/ops';
import { commitFailureCause } from './commit-words';

export type Keys = readonly string[] | 'all';

/** The longest a batch waits for the event loop to catch up after a commit. */
export const MAX_PAUSE_MS = 25;
/**
 * The most commands one write off the main thread takes: a burst is written in several writes, the
 * next going to the thread while this one is applied and acknowledged here, so acknowledgements
 * flow through a burst instead of thousands leaving at its end. At 500, a class of 5,000 answering
 * at once was ten writes, and when the last answer had been read ~1,700 were still waiting for
 * three or four more, one after the other (each an fsync, and the writer's fixed cost again): the
 * console counted the last answer 304–399 ms after it was sent (nine runs), against 266–346 at
 * 1,500, which also acknowledged every answer sooner (p99 255–304 against 297–326 ms); 1,000 and
 * 5,000 were both slower than 1,500 (337–374 and 341–371). At 500 and 2,000 phones no change.
 */
export const MAX_OFF_THREAD_BATCH = 1500;
/**
 * Group commit off the main thread: a write starts at least this long after the one before it
 * started, unless a whole part is waiting. A room joining trickles in about a phone a millisecond,
 * and a transaction per phone wrote the same pages to the log again and again on the writer
 * thread, on cores the room's handshakes need (server CPU per join at 2,000 phones 0.71–0.79 →
 * 0.62–0.64 ms). A message after a quiet moment does not wait; in a trickle one waits at most this.
 */
export const GROUP_COMMIT_MS = 10;
/**
 * How long the room's batch may wait for the writer thread to come up before it is written here.
 * The thread takes 50–300 ms to start on a busy two-core laptop (a room joining at once is busy),
 * and each batch written here meanwhile was an fsync that held the loop while handshakes queued:
 * at 500 phones joining at once, thirteen transactions of one or two joins each.
 */
export const MAX_START_WAIT_MS = 250;
/** While the writer thread starts, how often the waiting batch looks whether it is up. */
export const START_RETRY_MS = 5;

interface Entry {
  ops: EngineOp[];
  keys: readonly string[];
  after: () => void;
  failed: (message: string) => void;
}

export interface CommitQueueOptions {
  /** Writes a batch to the records in one transaction; throws when nothing was stored. */
  commit(ops: RecordOp[]): void;
  /**
   * Starts writing a batch in one transaction off this thread; `done` runs here once it is stored
   * (null) or refused (nothing stored). False when it cannot: the batch is then `commit`ted here.
   * `'starting'` when it could but the thread is not up yet (nothing taken): the batch waits for
   * it, at most {@link MAX_START_WAIT_MS}.
   */
  writeOffThread?(ops: RecordOp[], done: (error: unknown) => void): boolean | 'starting';
  /** Blocks until the write started off this thread (if any) has ended and its `done` has run. */
  waitOffThread?(): void;
  /** Runs the `done` of the write started off this thread if it has already ended; never blocks. */
  pollOffThread?(): void;
  /** Applies committed operations to memory. */
  apply(ops: EngineOp[]): void;
  /** Memory could not take operations the records hold: rebuild it from the records. */
  rebuild(error: unknown): void;
  /** Everything queued has been stored (or refused) and its senders told: a burst is over. */
  onDrained?(): void;
  /** A batch was stored (a failure shown before can be cleared). */
  onCommitted?(): void;
  /** A commit failed (the instructor should know: a full disk will not fix itself). */
  onFailure(error: unknown, cause: string): void;
  log(message: string, error?: unknown): void;
  /** A monotonic clock in ms (default performance.now; tests pass their own). */
  clock?: () => number;
  /** Group commit's wait between writes off this thread (default {@link GROUP_COMMIT_MS}). */
  groupCommitMs?: number;
}

export class CommitQueue {
  private batch: Entry[] = [];
  private keys = new Set<string>();
  private exclusive = false;
  /** The batch being written off this thread: its keys still conflict until it is applied. */
  private inflight: { keys: Set<string> } | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** When the last commit ended and how long it took (performance.now() ms). */
  private lastEnd = -Infinity;
  private lastCost = 0;
  /** When the last write off this thread started. */
  private lastOffStart = -Infinity;
  /** When the waiting batch's oldest command was queued. */
  private waitingSince = 0;
  /** While the writer thread is starting, when a batch may next be offered to it. */
  private startRetryAt = -Infinity;

  private readonly clock: () => number;

  constructor(private readonly o: CommitQueueOptions) {
    this.clock = o.clock ?? (() => performance.now());
  }

  /**
   * The next batch goes at the end of this turn, or once the loop has had as long as the last
   * commit took. An instructor's command never waits: the room is waiting on it.
   */
  private schedule(): void {
    if (this.timer || this.immediate || this.inflight || !this.batch.length) return;
    const now = this.clock();
    const rest = this.exclusive
      ? 0
      : Math.max(Math.min(MAX_PAUSE_MS, this.lastEnd + this.lastCost - now), this.groupWait(now));
    if (rest <= 0) this.immediate = setImmediate(() => this.write(false));
    else this.timer = setTimeout(() => this.write(false), Math.ceil(rest));
  }

  /** How long the waiting batch should still gather before it goes to the writer thread. */
  private groupWait(now = this.clock()): number {
    if (!this.o.writeOffThread || this.batch.length >= MAX_OFF_THREAD_BATCH) return 0;
    return this.lastOffStart + this.groupMs - now;
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
    // In a flood the loop reads message after message in one poll, and the writer thread's reply
    // would wait behind all of them: it is looked for here, so the next part goes at once.
    if (this.inflight) this.o.pollOffThread?.();
    if (this.conflicts(keys)) this.flush();
    const outcome = decide();
    if (!outcome.ok) return failed(outcome.code, outcome.message);
    const ok = outcome as Extract<Outcome<T>, { ok: true }>;
    if (!this.batch.length) this.waitingSince = this.clock();
    this.batch.push({
      ops: ok.ops,
      keys: keys === 'all' ? [] : keys,
      after: () => after(ok),
      failed: (message) => failed('server', message),
    });
    if (keys === 'all') this.exclusive = true;
    else for (const k of keys) this.keys.add(k);
    // A whole part, or a batch that has gathered long enough, goes to the writer thread now, not
    // at the end of the turn: in a flood the turn ends only after the loop has read every message
    // of it, and the thread would idle meanwhile.
    if (this.due()) this.write(false);
    this.schedule();
  }

  /**
   * Takes in the write off this thread if it has already ended (applied, its senders told, the
   * next part handed on), without blocking; with no write in flight, hands on a batch that is
   * due. The view pump calls it before it builds a view, so the thread writes while it does.
   */
  poll(): void {
    if (this.inflight) this.o.pollOffThread?.();
    else if (this.due()) this.write(false);
  }

  /**
   * Whether the waiting batch should go to the writer thread now rather than when its timer
   * fires: a whole part, or one that has gathered for the group-commit wait (a timer cannot
   * fire while the loop reads a flood). A batch younger than a millisecond is no flood's: it
   * goes at the end of its turn, with whatever else the turn brings.
   */
  private due(): boolean {
    if (this.inflight || this.exclusive || !this.batch.length || !this.o.writeOffThread)
      return false;
    const now = this.clock();
    // While the thread starts, or after a batch written here (the thread could not take it), the
    // same waits as the timer's.
    if (now < this.startRetryAt || Math.min(MAX_PAUSE_MS, this.lastEnd + this.lastCost - now) > 0)
      return false;
    if (this.batch.length >= MAX_OFF_THREAD_BATCH) return true;
    return now - this.waitingSince >= Math.max(1, this.groupMs) && this.groupWait(now) <= 0;
  }

  private get groupMs(): number {
    return this.o.groupCommitMs ?? GROUP_COMMIT_MS;
  }

  /** Commits what is waiting if it could change a decision that depends on `keys`. */
  settle(keys: Keys): void {
    if (this.conflicts(keys)) this.flush();
  }

  private conflicts(keys: Keys): boolean {
    const inflight = this.inflight;
    if (inflight && (keys === 'all' || keys.some((k) => inflight.keys.has(k)))) return true;
    if (!this.batch.length) return false;
    if (this.exclusive || keys === 'all') return true;
    return keys.some((k) => this.keys.has(k));
  }

  /** Commits everything accepted so far, now: the write in flight ends, then what is waiting is written here. */
  flush(): void {
    // Each write that ends may hand the next part of a burst to the thread: wait for all of them.
    for (let n = 0; this.inflight && n < 1_000_000; n++) this.o.waitOffThread?.();
    this.write(true);
  }

  /** Writes what is waiting: one transaction (off this thread when it can, unless `here`), then memory, then the senders. */
  private write(here: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    if (!this.batch.length || this.inflight) return;
    if (!here && !this.exclusive) {
      const off = this.startOffThread();
      if (off === true) return;
      // The thread is on its way up: the batch waits for it rather than holding the loop here.
      if (off === 'starting' && this.clock() - this.waitingSince < MAX_START_WAIT_MS) {
        this.timer = setTimeout(() => this.write(false), START_RETRY_MS);
        return;
      }
    }
    const batch = this.batch;
    this.batch = [];
    this.keys = new Set();
    this.exclusive = false;
    const ops = opsOf(batch);
    const stored = recordOps(ops);
    const started = this.clock();
    let error: unknown = null;
    try {
      if (stored.length) this.o.commit(stored);
    } catch (e) {
      error = e;
    }
    this.lastEnd = this.clock();
    this.lastCost = error ? 0 : this.lastEnd - started;
    this.done(batch, ops, stored.length, error);
  }

  /**
   * Hands the waiting batch (at most {@link MAX_OFF_THREAD_BATCH} of it) to the writer thread;
   * false, with nothing taken, when it cannot (no thread, or nothing to store), `'starting'` when
   * the thread is not up yet.
   */
  private startOffThread(): boolean | 'starting' {
    if (!this.o.writeOffThread) return false;
    const take =
      this.batch.length > MAX_OFF_THREAD_BATCH
        ? this.batch.slice(0, MAX_OFF_THREAD_BATCH)
        : this.batch;
    const ops = opsOf(take);
    const stored = recordOps(ops);
    if (!stored.length) return false;
    const startedAt = this.clock();
    let sync = true;
    const started = this.o.writeOffThread(stored, (e) => {
      if (sync) throw new Error('a write ended before it started');
      this.inflight = null;
      // The loop was not blocked: no pause before the next batch, which goes to the thread now,
      // while this one is applied and acknowledged here.
      this.lastCost = 0;
      if (this.batch.length && !this.exclusive && this.groupWait() <= 0) this.startOffThread();
      this.done(take, ops, stored.length, e);
      this.schedule();
    });
    sync = false;
    if (started !== true) {
      if (started === 'starting') this.startRetryAt = startedAt + START_RETRY_MS;
      return started;
    }
    this.lastOffStart = startedAt;
    this.batch = this.batch.slice(take.length);
    if (this.batch.length) this.waitingSince = startedAt;
    // A key is in the waiting batch at most once (a second command on it flushes first), so what
    // was taken moves exactly its own keys: no rebuild from what is left (thousands in a flood).
    this.inflight = { keys: moveKeys(this.keys, take) };
    return true;
  }

  /** A batch was written (`error` null) or refused: memory and the senders are told. */
  private done(batch: Entry[], ops: EngineOp[], stored: number, error: unknown): void {
    if (error) {
      const message = commitFailureCause(error);
      this.o.log(`a commit of ${stored} record operations failed (${message})`, error);
      this.o.onFailure(error, message);
      for (const b of batch) safely(this.o, () => b.failed(message));
      return;
    }
    if (stored) safely(this.o, () => this.o.onCommitted?.());
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
    if (!this.inflight && !this.batch.length) safely(this.o, () => this.o.onDrained?.());
  }

  /** Writes what is queued, then accepts nothing more. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Whether a batch is being written off this thread (tests). */
  get writing(): boolean {
    return this.inflight !== null;
  }
}

// A batch's operations and keys, each walked outside startOffThread: a loop there made V8 compile
// it with everything it calls inlined (40–65 ms of a core), and it runs ten times in a burst.
// Plain loops: `flatMap` and a Set built from its array cost 16 ms of the main thread in a class
// of 5,000 answering at once.
function opsOf(entries: readonly Entry[]): EngineOp[] {
  const ops: EngineOp[] = [];
  for (const b of entries) for (const op of b.ops) ops.push(op);
  return ops;
}
/** Moves the keys of `entries` out of `waiting`, into a set of their own. */
function moveKeys(waiting: Set<string>, entries: readonly Entry[]): Set<string> {
  const moved = new Set<string>();
  for (const b of entries)
    for (const k of b.keys) {
      waiting.delete(k);
      moved.add(k);
    }
  return moved;
}

function safely(o: CommitQueueOptions, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    o.log('a reply after a commit failed', e);
  }
}
