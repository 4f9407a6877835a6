/**
 * The records' writer thread, seen from the main thread. A commit is mostly its fsync, and a
 * synchronous commit blocks the event loop for all of it: a room joining at once would have its
 * handshakes wait behind every fsync. Here the commit queue's batches are written on a connection
 * of the writer thread's own (writer-worker.mjs), with the same settings (WAL, synchronous=FULL):
 * the batch is on the disk before `done` runs, exactly as before, and meanwhile the event loop
 * takes in handshakes and messages, and the next batch grows.
 *
 * One write is in flight at a time (the commit queue keeps it so). When a decision must see it
 * now — an instructor's command, a second message of the same trainee — {@link OffThreadWriter.wait}
 * blocks until it has ended, as a synchronous commit would have: Atomics.wait on a counter the
 * thread bumps after each reply, then the reply is taken off the port (receiveMessageOnPort).
 *
 * The thread starts when a session starts or resumes (its ~10 MB and the ~50 ms of CPU it takes to
 * come up are then spent before the room joins, not in the middle of it: a phone can write nothing
 * while no class runs), or else with the first batch that could use it (which the caller then
 * writes itself). A server that has run no class since it started does not hold it; once up, the
 * thread stays until the records are closed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SQL } from './write';
import type { WriteStep } from './write';

const WORKER = 'writer-worker.mjs';
/** The longest the main thread blocks for one write before it gives up on the thread. */
const WAIT_LIMIT_MS = 60_000;

/** The worker next to this module: main/records/ from source, out/main/ next to the bundles. */
function workerPath(): string {
  const here = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), WORKER);
}

/** Why a write failed: SQLite's message and code (SQLITE_FULL, SQLITE_BUSY…), which the commit queue words for people. */
export type WriteError = Error & { code: string };
const writeError = (message: string, code: string): WriteError =>
  Object.assign(new Error(message), { code });

type Reply =
  | { ready: true }
  | { closed: true }
  | { id: number; ok: true }
  | { id: number; ok: false; code: string; message: string };

interface InFlight {
  id: number;
  done: (error: WriteError | null) => void;
}

export class OffThreadWriter {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private ready = false;
  /** The thread could not start or stopped: every batch is written on the main thread. */
  private broken = false;
  private current: InFlight | null = null;
  private seq = 0;
  /** Replies taken off the port so far; the thread bumps `signal` once per reply it posts. */
  private received = 0;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly file: string,
    private busyTimeoutMs: number,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {}

  /**
   * Starts writing `steps` (one transaction) on the thread; `done` runs on this thread once the
   * batch is on the disk (null) or was refused (nothing stored). `'starting'` when the thread is
   * on its way up (it is started if it was not): nothing was taken, the caller may wait for it or
   * write the batch itself. False when the thread cannot run: the caller writes the batch itself.
   */
  write(steps: WriteStep[], done: (error: WriteError | null) => void): boolean | 'starting' {
    if (this.current) throw new Error('one write at a time');
    if (!this.ready || !this.port) {
      this.start();
      return this.broken ? false : 'starting';
    }
    const id = ++this.seq;
    this.current = { id, done };
    this.port.ref();
    // As JSON text: a string crosses to the thread as one copy, where cloning thousands of small
    // objects cost the main thread more than the rest of the write. A step whose parameter is
    // already text (a run of rows' JSON) goes beside it, named by its place: inside the JSON
    // it was escaped again here and parsed again there, every quote of every answer.
    const texts: string[] = [];
    const plan = steps.map(([names, params]) =>
      typeof params === 'string' ? [names, texts.push(params) - 1] : [names, params],
    );
    this.port.postMessage({ id, steps: JSON.stringify(plan), texts });
    return true;
  }

  /** Whether the thread is up and takes writes. */
  get up(): boolean {
    return this.ready && this.port !== null;
  }

  /** Whether a write is in flight. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** Blocks until the write in flight (if any) has ended; its `done` has run when this returns. */
  wait(): void {
    const c = this.current;
    if (!c) return;
    if (!this.take(() => this.current !== c))
      this.end(
        c,
        writeError('the records writer did not answer', 'SQLITE_IOERR'),
        'a write did not end within a minute; writing on the main thread from now on',
      );
  }

  /**
   * Ends the write in flight if the thread has already replied (its `done` runs now), without
   * blocking: a flood of messages keeps the event loop in one long poll, and the reply would
   * otherwise wait behind all of it while the thread sits idle.
   */
  poll(): void {
    if (!this.current || !this.port || Atomics.load(this.signal, 0) === this.received) return;
    const m = receiveMessageOnPort(this.port);
    if (m) this.receive(m.message as Reply);
  }

  /** The lock wait of the thread's connection (tests: a lock held by another program). */
  setBusyTimeout(ms: number): void {
    this.busyTimeoutMs = ms;
    this.port?.postMessage({ busyTimeoutMs: ms });
  }

  /** Waits for the write in flight, then closes the thread's connection. */
  close(): void {
    this.wait();
    const w = this.worker;
    if (!w || !this.port) return;
    let closed = false;
    this.port.postMessage({ close: true });
    this.take(
      () => closed,
      (m) => ('closed' in m ? (closed = true) : undefined),
    );
    this.stop();
    void w.terminate();
  }

  /** Starts the thread, if it is not up or starting (a class started or resumed). */
  start(): void {
    if (this.worker || this.broken) return;
    try {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(workerPath(), {
        workerData: {
          file: this.file,
          sql: SQL,
          busyTimeoutMs: this.busyTimeoutMs,
          fullfsync: process.platform === 'darwin',
          signal: this.signal,
          port: port2,
        },
        transferList: [port2],
        execArgv: [],
      });
      this.worker = w;
      this.port = port1;
      port1.on('message', (m: Reply) => this.receive(m));
      port1.unref();
      w.unref();
      w.on('error', (e) => this.fail('the records writer thread failed', e));
      w.on('exit', () => this.fail('the records writer thread stopped'));
    } catch (e) {
      this.fail('the records writer thread could not start', e);
    }
  }

  /** Takes replies off the port, blocking, until `until()` holds; false when the thread went quiet. */
  private take(until: () => boolean, also?: (m: Reply) => void): boolean {
    const port = this.port;
    const limit = Date.now() + WAIT_LIMIT_MS;
    while (port && !until()) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(port);
      if (m) {
        also?.(m.message as Reply);
        this.receive(m.message as Reply);
        continue;
      }
      const left = limit - Date.now();
      if (left <= 0 || this.broken) return until();
      Atomics.wait(this.signal, 0, seen, left);
    }
    return true;
  }

  private receive(m: Reply): void {
    this.received++;
    if ('ready' in m) this.ready = true;
    else if ('id' in m && this.current?.id === m.id)
      this.end(this.current, m.ok ? null : writeError(m.message, m.code));
  }

  private end(c: InFlight, error: WriteError | null, why?: string): void {
    if (this.current !== c) return;
    this.current = null;
    this.port?.unref();
    if (why) this.fail(why);
    c.done(error);
  }

  private fail(message: string, error?: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.ready = false;
    if (this.worker) {
      this.log(message, error);
      void this.worker.terminate();
    }
    const c = this.current;
    if (c) this.end(c, writeError(message, ''));
    this.stop();
  }

  private stop(): void {
    this.port?.close();
    this.port = null;
    this.ready = false;
    this.worker = null;
  }
}
