/**
 * Loads the content off the main thread when the built worker is there (out/main/content-worker.mjs,
 * next to the CLI and Electron bundles): see content-worker.ts for why. Run from source (tests,
 * benches through tsx) there is no built worker and the content is loaded in this thread — the
 * same function, so the result is the same; only where its garbage lands differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadResult } from './load';

/** This module's file. The Electron bundle is CommonJS (no import.meta); the CLI bundle and the tests are ES modules. */
const here = () => (typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url));

/** The built worker next to this bundle, or null when running from source. */
export function contentWorkerPath(): string | null {
  if (/\.[cm]?ts$/.test(here())) return null;
  const file = path.join(path.dirname(here()), 'content-worker.mjs');
  return fs.existsSync(file) ? file : null;
}

/**
 * The content, loaded in the worker when it is built, else here. Either way the parser (Markdown,
 * YAML) is never loaded into a bundled Muster's main thread.
 */
export async function loadContentOffThread(contentDir: string, coursesDir: string, workerFile = contentWorkerPath()): Promise<LoadResult> {
  const here = async () => (await import('./all')).loadAllContent(contentDir, coursesDir);
  if (!workerFile) return here();
  // The worker only saves memory: if it cannot run (a packaging mistake, a thread refused), the
  // courses are loaded here, as they would be from source.
  return inWorker(workerFile, contentDir, coursesDir).catch(here);
}

function inWorker(workerFile: string, contentDir: string, coursesDir: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: { contentDir, coursesDir }, execArgv: [] });
    let settled = false;
    w.once('message', (m: { result?: LoadResult; error?: string }) => {
      settled = true;
      if (m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'the content could not be loaded'));
      void w.terminate();
    });
    w.once('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`the content loader stopped (exit code ${code})`));
      settled = true;
    });
  });
}
