/**
 * Runs records exports off the main thread, so a big one cannot stall the live class: WebSocket
 * answers, acks and projector updates all share the main event loop, and a 2,000-trainee ×
 * 60-question session workbook is ~1.6 s of CPU.
 *
 * One long-lived worker thread (export-worker.ts), one export at a time, a short queue behind it:
 * - long-lived, because starting a thread that loads SheetJS, zod and better-sqlite3 costs ~0.2–0.5 s
 *   (1–1.5 s from source through tsx), more than most exports themselves; records staff tend to
 *   export several files in a row (workbook, sign-in sheet, CSV), and only the first pays it. The
 *   thread starts at the first export and ends after {@link IDLE_MS} without one, which also gives
 *   back the memory a big workbook needed (hundreds of MB);
 * - one at a time, because the laptop has about two cores and the class needs one: a second export
 *   thread would compete with the live class, not just with the first export;
 * - a few may wait ({@link MAX_WAITING}: asking for the workbook and then the sign-in sheet must not
 *   get the second refused); more are refused at once with an `export-busy` MusterError (HTTP 503);
 * - every export has a time limit, counted from the request, waiting included. Past it, or when
 *   its client goes away, it is dropped; if it was running, the thread is terminated (a synchronous
 *   build cannot be interrupted otherwise) and the next export starts a fresh one. A thread that
 *   throws, crashes or runs out of memory fails only the export it was building
 *   (an `export-failed` MusterError: HTTP 500, the reason in the log).
 * The thread is unref'd: it never keeps the process alive.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ExportOptions } from './export';
import type { ExportJob, ExportOutcome } from './export-job';
import type { ExportReply, ExportRequest } from './export-worker';
import { MusterError, errorCode, errorDetail, errorMessage } from '../../shared/errors';

/** Default time limit of one export, from its request: ~1.6 s for the biggest class planned for, so a slow laptop has room. */
export const EXPORT_TIMEOUT_MS = 60_000;
/** Exports that may wait behind the running one; more are refused. */
export const MAX_WAITING = 4;
/** The thread ends after this long without an export. */
export const IDLE_MS = 60_000;
/** Heap of the export thread: a 2,000 × 60 workbook needs a few hundred MB. */
const MEMORY_MB = 2048;

/** The export failed: it threw, the thread crashed or ran out of memory or time, or was cancelled (the message is for the log). */
const failed = (why: string) => new MusterError('export-failed', why);

export interface ExportRunnerOptions {
  /** Default {@link EXPORT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Default {@link MAX_WAITING}. */
  maxWaiting?: number;
  /** Default {@link IDLE_MS}. */
  idleMs?: number;
  /** Tests only: another worker script (e.g. one that never answers) in place of export-worker. */
  workerSource?: string | URL;
}

interface Pending {
  request: ExportRequest;
  resolve(o: ExportOutcome): void;
  reject(e: Error): void;
  deadline: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const BUILT = 'export-worker.mjs';
const SOURCE = 'export-worker.ts';
/** This module's file. The Electron bundle is CommonJS (no import.meta); the CLI bundle and the tests are ES modules. */
const here = () =>
  typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);

/**
 * The worker script: out/main/export-worker.mjs next to the bundles (the CLI's ESM bundle and the
 * Electron CommonJS one both live in out/main/, where scripts/build.mjs puts it), or, run from
 * source (tests, benches), export-worker.ts next to this file. Nothing else is searched: from
 * source, a stale out/ must not be picked up in place of the code under test.
 */
export function exportWorkerPath(): { file: string; source: boolean } {
  const dir = path.dirname(here());
  if (fs.existsSync(path.join(dir, BUILT))) return { file: path.join(dir, BUILT), source: false };
  if (/\.[cm]?ts$/.test(here()) && fs.existsSync(path.join(dir, SOURCE)))
    return { file: path.join(dir, SOURCE), source: true };
  throw new Error(`${BUILT} not found next to ${here()}; run \`npm run build\``);
}

/**
 * The TypeScript worker, from source: Node cannot run .ts itself and a worker does not inherit the
 * parent's loader hooks (tsx, vitest), so a small bootstrap registers tsx's ESM hooks in the thread
 * and then imports the worker. tsx is a devDependency: it is there whenever the sources are.
 */
export function sourceBootstrap(file: string): string {
  const pkgFile = createRequire(here()).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(
    path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default),
  ).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
}

function startWorker(workerSource?: string | URL): Worker {
  // No flags from this process (loaders, inspector); a heap limit of its own.
  const o = { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: MEMORY_MB } };
  if (workerSource !== undefined) return new Worker(workerSource, o);
  const w = exportWorkerPath();
  return w.source
    ? new Worker(sourceBootstrap(w.file), { ...o, eval: true })
    : new Worker(w.file, o);
}

/** The worker's reply, checked: our own code, but a wrong shape must fail one export, not the server. */
function checkReply(m: unknown): ExportReply | null {
  if (typeof m !== 'object' || m === null || typeof (m as { id?: unknown }).id !== 'number')
    return null;
  const r = m as { id: number; error?: unknown; outcome?: Record<string, unknown> };
  if (typeof r.error === 'string') return { id: r.id, error: r.error };
  const o = r.outcome;
  if (o?.ok === true && o.body instanceof Uint8Array)
    return { id: r.id, outcome: { ok: true, body: o.body } };
  if (o?.ok === false && (o.status === 400 || o.status === 404) && typeof o.message === 'string')
    return { id: r.id, outcome: { ok: false, status: o.status, message: o.message } };
  return null;
}

export class ExportRunner {
  private readonly timeoutMs: number;
  private readonly maxWaiting: number;
  private readonly idleMs: number;
  private readonly workerSource?: string | URL;
  private worker: Worker | null = null;
  private current: Pending | null = null;
  private readonly waiting: Pending[] = [];
  private idle: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(o: ExportRunnerOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? EXPORT_TIMEOUT_MS;
    this.maxWaiting = o.maxWaiting ?? MAX_WAITING;
    this.idleMs = o.idleMs ?? IDLE_MS;
    this.workerSource = o.workerSource;
  }

  /** Whether the thread is up, an export is running in it, and how many wait (tests, diagnostics). */
  get state(): { thread: boolean; running: boolean; waiting: number } {
    return {
      thread: this.worker !== null,
      running: this.current !== null,
      waiting: this.waiting.length,
    };
  }

  /**
   * Builds one export in the worker thread, which reads `file` (the records SQLite file) read-only.
   * Resolves with the outcome (the file's bytes, or a 400/404 answer); rejects with an
   * `export-busy` {@link MusterError} when too many exports are running or waiting, with an
   * `export-failed` one when the export failed in any way, or was cancelled through `signal`.
   * `timeoutMs` overrides the runner's time limit for this export.
   */
  run(
    file: string,
    job: ExportJob,
    options: ExportOptions,
    o: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<ExportOutcome> {
    if (file === '' || file === ':memory:')
      return Promise.reject(failed('an in-memory database cannot be read from another thread'));
    if (o.signal?.aborted) return Promise.reject(failed(`${job.kind}: cancelled`));
    const queued = this.waiting.length + (this.current ? 1 : 0);
    if (queued > this.maxWaiting)
      return Promise.reject(
        new MusterError('export-busy', `${queued} exports are already running or waiting`),
      );
    const timeoutMs = o.timeoutMs ?? this.timeoutMs;
    return new Promise<ExportOutcome>((resolve, reject) => {
      const p: Pending = {
        request: { id: this.nextId++, file, job, options },
        resolve,
        reject,
        deadline: setTimeout(
          () => this.drop(p, `took longer than ${timeoutMs / 1000} s and was stopped`),
          timeoutMs,
        ),
        signal: o.signal,
      };
      p.deadline.unref();
      if (o.signal) {
        p.onAbort = () => this.drop(p, 'cancelled (the client went away)');
        o.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.waiting.push(p);
      this.pump();
    });
  }

  /** Stops the thread; exports running or waiting fail. */
  async close(): Promise<void> {
    for (const p of this.waiting.splice(0))
      this.settle(p, failed(`${p.request.job.kind}: the exports were stopped`));
    if (this.current)
      this.settle(
        this.current,
        failed(`${this.current.request.job.kind}: the exports were stopped`),
      );
    this.current = null;
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  /** Starts the next waiting export when none is running; when there is none, arms the idle stop. */
  private pump(): void {
    if (this.current) return;
    const p = this.waiting.shift();
    if (!p) {
      clearTimeout(this.idle);
      if (this.worker) {
        this.idle = setTimeout(() => {
          if (this.current || !this.worker) return;
          void this.worker.terminate();
          this.worker = null;
        }, this.idleMs);
        this.idle.unref();
      }
      return;
    }
    clearTimeout(this.idle);
    let w: Worker;
    try {
      w = this.worker ?? this.spawn();
    } catch (e) {
      this.settle(p, failed(`could not start the export thread: ${errorMessage(e)}`));
      return this.pump();
    }
    this.current = p;
    w.postMessage(p.request);
  }

  private spawn(): Worker {
    const w = startWorker(this.workerSource);
    w.unref();
    w.on('message', (m: unknown) => this.onReply(w, m));
    w.once('error', (e: Error) =>
      this.onThreadGone(
        w,
        errorCode(e) === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `needed more than ${MEMORY_MB} MB of memory and was stopped`
          : `the export thread failed: ${errorDetail(e)}`,
      ),
    );
    w.once('exit', (code) => this.onThreadGone(w, `the export thread stopped (exit code ${code})`));
    this.worker = w;
    return w;
  }

  private onReply(w: Worker, m: unknown): void {
    const p = this.current;
    if (w !== this.worker || !p) return;
    const r = checkReply(m);
    if (!r || r.id !== p.request.id)
      return this.drop(p, 'the export thread sent back something that is not this export');
    this.current = null;
    // An exception in the builder is this export's failure; the thread goes on.
    this.settle(p, 'error' in r ? failed(`${p.request.job.kind}: ${r.error}`) : r.outcome);
    this.pump();
  }

  /** The thread died (crash, out of memory, terminated from outside): the export it was building fails. */
  private onThreadGone(w: Worker, why: string): void {
    if (w !== this.worker) return;
    this.worker = null;
    const p = this.current;
    this.current = null;
    if (p) this.settle(p, failed(`${p.request.job.kind}: ${why}`));
    this.pump();
  }

  /** Gives up an export (time limit, client gone, bad reply): out of the queue, or, if running, with its thread. */
  private drop(p: Pending, why: string): void {
    const i = this.waiting.indexOf(p);
    if (i >= 0) this.waiting.splice(i, 1);
    else if (p === this.current) {
      const w = this.worker;
      this.worker = null;
      this.current = null;
      void w?.terminate();
    } else return; // already settled
    this.settle(p, failed(`${p.request.job.kind}: ${why}`));
    this.pump();
  }

  private settle(p: Pending, result: ExportOutcome | Error): void {
    clearTimeout(p.deadline);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }
}

/** The process's export thread: the CPU it may use is the process's, whichever app or server asks. */
export const exportRunner = new ExportRunner();
