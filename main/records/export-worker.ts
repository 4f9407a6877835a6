/**
 * The export worker thread (started and stopped by export-runner.ts): builds records exports, one
 * at a time, for as long as the parent keeps it.
 *
 * For each request it opens the SQLite file READ-ONLY with a connection of its own (better-sqlite3
 * works in worker threads; the app's connection uses WAL, so this one reads the last committed state
 * while the class goes on writing), builds the file in one read transaction with the same
 * builders the CLI uses, closes the connection, lays out a PDF if the file is one (that step reads
 * nothing), and posts the bytes back, transferring their memory instead of copying it.
 *
 * In:  {@link ExportRequest} messages.
 * Out: one {@link ExportReply} per request, with the request's id. An exception is a reply too
 *      (`error`); only a crash (out of memory …) or being terminated ends the thread.
 *
 * Built by scripts/build.mjs into out/main/export-worker.mjs next to the bundles; run from source
 * (tests, benches) through tsx. export-runner.ts decides which.
 */
import { parentPort } from 'node:worker_threads';
import { buildExportSnapshot, finishExport, openRecordsReadOnly } from './export-job';
import type { BuiltExport } from './export-job';
import type { ExportJob, ExportOutcome } from './export-job';
import type { ExportOptions } from './export';
import { errorDetail } from '../../shared/errors';

export interface ExportRequest {
  id: number;
  /** The records file (never ':memory:': another thread cannot open that). */
  file: string;
  job: ExportJob;
  options: ExportOptions;
}

export type ExportReply = { id: number; outcome: ExportOutcome } | { id: number; error: string };

/** Bytes whose ArrayBuffer is theirs alone, so it can be transferred: a small Buffer may be a slice of Node's shared pool. */
function ownBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  if (b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
    return b as Uint8Array<ArrayBuffer>;
  return new Uint8Array(b);
}

async function handle({ id, file, job, options }: ExportRequest): Promise<void> {
  let outcome: ExportOutcome;
  try {
    let built: BuiltExport;
    const records = openRecordsReadOnly(file);
    try {
      built = buildExportSnapshot(records, job, options);
    } finally {
      records.close();
    }
    // A PDF is laid out after the records are closed: that part reads nothing from them.
    outcome = await finishExport(built);
  } catch (e) {
    parentPort!.postMessage({ id, error: errorDetail(e) } satisfies ExportReply);
    return;
  }
  if (!outcome.ok) return parentPort!.postMessage({ id, outcome } satisfies ExportReply);
  const body = ownBytes(outcome.body);
  parentPort!.postMessage({ id, outcome: { ok: true, body } } satisfies ExportReply, [body.buffer]);
}

parentPort!.on('message', (m: ExportRequest) => void handle(m));
