/**
 * Loads the courses in a worker thread (started by content-thread.ts when Muster starts): parsing
 * Markdown, YAML and schemas for a whole course allocates ~50 MB that is garbage a moment later,
 * yet grows the main thread's heap for good (~25 MB of RSS the server kept all day, before anyone
 * joined). Here that memory belongs to a thread that ends; the main thread receives only the
 * result, copied (structured clone: plain objects and Maps).
 *
 * In: workerData `{ contentDir, coursesDir }`. Out: one message, `{ result }` or `{ error }`.
 * Built by scripts/build.mjs into out/main/content-worker.mjs next to the bundles.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAllContent } from './all';
import { errorMessage } from '../../shared/errors';

const { contentDir, coursesDir } = workerData as { contentDir: string; coursesDir: string };
try {
  parentPort?.postMessage({ result: loadAllContent(contentDir, coursesDir) });
} catch (e) {
  parentPort?.postMessage({ error: errorMessage(e) });
}
