/**
 * The main thread's side of the pusher: starts its thread (push-worker.ts), tells it whenever the
 * class becomes busy or free (a question, vote or test open: `isBusy`, asked a few times a
 * second — the thread starts no batch while it is), prunes what the server acknowledged (only
 * while the class is free, a chunk at a time, so a prune never delays an answer's commit), moves
 * the unsent changes to a new epoch when the thread finds the file was restored or copied, and
 * keeps the status the console shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Records } from '../db';
import { acknowledge, newEpoch, replicationState, resendAllTo } from '../outbox';
import { sourceBootstrap } from '../export-runner';
import type { PushProgress, PusherEvent, PusherOptions } from './pusher';
import type { PusherCommand } from './push-worker';
import { describeRecordsServer } from '../../../shared/records-server';
import type { RecordsServerStatus } from '../../../shared/records-server';
import { errorMessage } from '../../../shared/errors';

const BUILT = 'push-worker.mjs';
const SOURCE = 'push-worker.ts';
const here = () =>
  typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
/** How often the class is asked whether it is busy. */
const BUSY_POLL_MS = 200;
/** How often the status is refreshed anyway ("2 min ago" moves on). */
const STATUS_REFRESH_MS = 30_000;

/** The worker script: the built one next to the bundle, or the TypeScript source next to this file. */
function startWorker(workerData: PusherOptions): Worker {
  const dir = path.dirname(here());
  const o = { workerData, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 256 } };
  if (fs.existsSync(path.join(dir, BUILT))) return new Worker(path.join(dir, BUILT), o);
  return new Worker(sourceBootstrap(path.join(dir, SOURCE)), { ...o, eval: true });
}

export interface PushRunnerOptions extends Omit<PusherOptions, 'file'> {
  records: Records;
  /** A question, vote or self-paced test is open: the pusher waits. */
  isBusy: () => boolean;
  /** The status changed (the console view shows it). */
  onChange?: () => void;
  now?: () => number;
}

export class PushRunner {
  private worker: Worker | null = null;
  private progress: PushProgress = {
    state: 'starting',
    waiting: 0,
    lastSyncAt: null,
    error: null,
    retryInMs: null,
  };
  private progressAt = 0;
  private busy = false;
  private ackPending = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly host: string;
  private readonly now: () => number;
  private stopped = false;
  /** Something the console should hear about until the next start (a new epoch). */
  private notice: string | null = null;

  constructor(private readonly o: PushRunnerOptions) {
    this.host = new URL(o.url).hostname;
    this.now = o.now ?? Date.now;
  }

  /** Starts the thread. A new login sends everything again (outbox.resendAllTo). */
  start(): void {
    const db = this.o.records.db;
    resendAllTo(db, decodeURIComponent(new URL(this.o.url).username));
    this.progress = { ...this.progress, waiting: replicationState(db).waiting };
    const { records: _r, isBusy: _b, onChange: _c, now: _n, ...rest } = this.o;
    const w = startWorker({ ...rest, file: db.name });
    w.unref();
    w.on('message', (e: PusherEvent) => this.onEvent(e));
    w.on('error', (e) =>
      this.setProgress({ state: 'unreachable', error: `the pusher failed: ${e.message}` }),
    );
    this.worker = w;
    const poll = setInterval(() => this.tick(), BUSY_POLL_MS);
    const refresh = setInterval(() => this.o.onChange?.(), STATUS_REFRESH_MS);
    poll.unref();
    refresh.unref();
    this.timers.push(poll, refresh);
  }

  private send(c: PusherCommand): void {
    this.worker?.postMessage(c);
  }

  private tick(): void {
    const busy = this.o.isBusy();
    if (busy !== this.busy) {
      this.busy = busy;
      this.send({ t: 'busy', busy });
    }
    if (!busy && this.ackPending) this.prune();
  }

  /** Prunes one chunk of acknowledged changes (more at the next tick). */
  private prune(): void {
    try {
      if (!acknowledge(this.o.records.db, this.ackPending)) this.ackPending = 0;
    } catch (e) {
      // The records file is busy or closing: the next tick tries again; nothing is lost.
      console.error(`records server: pruning the outbox failed: ${errorMessage(e)}`);
    }
  }

  private onEvent(e: PusherEvent): void {
    if (this.stopped) return;
    if (e.t === 'ack') {
      this.ackPending = Math.max(this.ackPending, e.upTo);
      if (!this.busy) this.prune();
    } else if (e.t === 'rebase') {
      const { from } = newEpoch(this.o.records.db, e.serverHwm);
      this.ackPending = 0;
      this.notice = `this laptop's records were restored or copied: its unsent changes now go from number ${from}`;
      this.setProgress({});
      this.send({ t: 'epochMoved' });
    } else this.setProgress(e.status);
  }

  private setProgress(p: Partial<PushProgress>): void {
    this.progress = { ...this.progress, ...p };
    this.progressAt = this.now();
    this.o.onChange?.();
  }

  /** New changes were written: look now rather than at the next poll. */
  poke(): void {
    this.send({ t: 'poke' });
  }

  status(): RecordsServerStatus {
    const p = this.progress;
    const retryInMs =
      p.retryInMs === null ? null : Math.max(0, p.retryInMs - (this.now() - this.progressAt));
    const s = { ...p, error: p.error ?? this.notice, retryInMs, host: this.host };
    return { ...s, text: describeRecordsServer(s, this.now()) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ t: 'stop' } satisfies PusherCommand);
    const timer = setTimeout(() => void w.terminate(), 2000);
    await exited;
    clearTimeout(timer);
  }
}
