/**
 * Loads the courses off the server's main thread (started by content-thread.ts when Muster starts
 * and after an import): parsing Markdown, YAML and schemas for a whole course allocates tens of
 * megabytes that are garbage a moment later, yet would grow the main thread's heap for good (~30 MB
 * of RSS the server kept all day, before anyone joined). Here that memory belongs to a process
 * (or, inside Electron, a worker thread) that ends; the server receives only the result, copied
 * (structured clone: plain objects and Maps).
 *
 * In: the folders — as arguments in a process started with an IPC channel, as workerData
 * `{ contentDir, coursesDir }` in a worker thread. Out: one message, `{ result }` or `{ error }`.
 * Built by scripts/build.mjs into out/main/content-worker.mjs next to the bundles.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAllContent } from './all';
import { errorMessage } from '../../shared/errors';
import type { LoadResult } from './load';

function load(contentDir: string, coursesDir: string): { result: LoadResult } | { error: string } {
  try {
    return { result: loadAllContent(contentDir, coursesDir) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

if (parentPort) {
  const { contentDir, coursesDir } = workerData as { contentDir: string; coursesDir: string };
  parentPort.postMessage(load(contentDir, coursesDir));
} else if (process.send) {
  const [contentDir, coursesDir] = process.argv.slice(2);
  // Once the message is written the channel closes and, with nothing left to do, the process ends
  // (as it does if the server went away meanwhile: the channel is closed already).
  process.send(load(contentDir, coursesDir), () => {
    if (process.connected) process.disconnect();
  });
}
