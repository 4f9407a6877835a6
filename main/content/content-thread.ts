/**
 * Loads the content off the main thread when the built loader is there (out/main/content-worker.mjs,
 * next to the CLI and Electron bundles): see content-worker.ts for why. Run from source (tests,
 * benches through tsx) there is no built loader and the content is loaded in this thread — the
 * same function, so the result is the same; only where its garbage lands differs.
 *
 * Under Node (`muster serve`) the loader is a process of its own: when it ends, everything it
 * allocated goes back to the system. A worker thread ends too, but the C heap it used stays in
 * the server's process — glibc keeps a thread's arena, freed or not (~4 MB the server held all
 * day before anyone joined, and ~50 MB more at its peak while the courses were parsed). Inside
 * Electron it stays a worker thread: there a child Node process would need the `runAsNode` fuse,
 * which the desktop app keeps off (electron-builder.yml).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadResult } from './load';

/** This module's file. The Electron bundle is CommonJS (no import.meta); the CLI bundle and the tests are ES modules. */
const here = () => (typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url));

/** The built loader next to this bundle, or null when running from source. */
export function contentWorkerPath(): string | null {
  if (/\.[cm]?ts$/.test(here())) return null;
  const file = path.join(path.dirname(here()), 'content-worker.mjs');
  return fs.existsSync(file) ? file : null;
}

/** Where the loader runs: a process of its own, or a worker thread (inside Electron). */
export type LoaderHost = 'process' | 'thread';
export const defaultLoaderHost = (): LoaderHost => (process.versions.electron ? 'thread' : 'process');

/**
 * The content, loaded by the built loader when there is one, else here. Either way the parser
 * (Markdown, YAML) is never loaded into a bundled Muster's main thread.
 */
export async function loadContentOffThread(
  contentDir: string,
  coursesDir: string,
  workerFile = contentWorkerPath(),
  host: LoaderHost = defaultLoaderHost(),
): Promise<LoadResult> {
  const here = async () => (await import('./all')).loadAllContent(contentDir, coursesDir);
  if (!workerFile) return here();
  // The loader only saves memory: if it cannot run (a packaging mistake, a thread or process
  // refused), the courses are loaded here, as they would be from source.
  const off = host === 'process' ? inProcess : inWorker;
  return off(workerFile, contentDir, coursesDir).catch(here);
}

type Reply = { result?: LoadResult; error?: string };

/** Settles once, from the loader's one message or from its end without one. */
function settler(resolve: (r: LoadResult) => void, reject: (e: Error) => void) {
  let settled = false;
  return {
    message(m: Reply) {
      if (settled) return;
      settled = true;
      if (m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'the content could not be loaded'));
    },
    failed(e: Error) {
      if (settled) return;
      settled = true;
      reject(e);
    },
  };
}

function inProcess(file: string, contentDir: string, coursesDir: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const s = settler(resolve, reject);
    // The folders go as arguments (no shell: never parsed). Structured clone, as a worker's message
    // is, so the courses' Maps arrive as Maps. Not this process's flags (a profiler, a loader):
    // the file is plain built JavaScript. Its stdout is not ours: `muster serve --json` prints one
    // line there that a script reads.
    const child = fork(file, [contentDir, coursesDir], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m: Reply) => s.message(m));
    child.once('error', (e) => s.failed(e));
    // 'close', not 'exit': it comes after the IPC channel closed, so after the loader's message.
    child.once('close', (code, signal) =>
      s.failed(new Error(`the content loader stopped (${signal ?? `exit code ${code}`})`)),
    );
  });
}

function inWorker(workerFile: string, contentDir: string, coursesDir: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const s = settler(resolve, reject);
    const w = new Worker(workerFile, { workerData: { contentDir, coursesDir }, execArgv: [] });
    w.once('message', (m: Reply) => {
      s.message(m);
      void w.terminate();
    });
    w.once('error', (e) => s.failed(e));
    w.once('exit', (code) => s.failed(new Error(`the content loader stopped (exit code ${code})`)));
  });
}
