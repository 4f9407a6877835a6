/**
 * A records export as data: what to build ({@link ExportJob}) and how to build it
 * ({@link buildExport}, then {@link finishExport} for a PDF). The same function runs in the export worker thread (export-worker.ts, the
 * HTTP server's path) and, for an in-memory database that no other thread can open, on the calling
 * thread. It only calls the synchronous builders of ./export, which stay what the CLI
 * (`muster export`) and the unit tests use.
 *
 * Everything here crosses a thread boundary, so jobs and outcomes are plain data (structured clone).
 */
import Database from 'better-sqlite3';
import { Records } from './db';
import {
  certificationRoster,
  certificationRosterSheets,
  renderPdf,
  resultsPdf,
  rosterPdf,
  sessionWorkbookBuffer,
  sheetCsv,
  signInSheetPdf,
  toCsv,
  traineeHistory,
  traineeHistorySheets,
  weakSpots,
  weakSpotsSheets,
  writeXlsx,
} from './export';
import type { ExportOptions, PdfDoc, RangeInput } from './export';
import { departmentGaps, departmentGapsSheets } from './department-gaps';
import { isMusterError } from '../../shared/errors';

/** The exports the records API builds off the main thread (the JSON routes stay on it: they are small). */
export type ExportJob =
  | { kind: 'session-workbook'; sessionId: string }
  | { kind: 'session-csv'; sessionId: string; sheet: string }
  | { kind: 'sign-in'; sessionId: string }
  | { kind: 'results-pdf'; sessionId: string }
  | { kind: 'history-workbook'; officerId: string }
  | { kind: 'roster'; range: RangeInput; profile?: string | null; format?: 'xlsx' | 'csv' | 'pdf' }
  | { kind: 'weak-spots-workbook'; range: RangeInput }
  | { kind: 'department-gaps-workbook'; range: RangeInput };

/**
 * What came of a job: the file's bytes (UTF-8 for CSV), or an answer for the client (a sheet, a
 * session or a profile that does not exist, a bad date). A failure (an exception, a crash, the
 * time limit) is not an outcome: it is an error for the log and a 500 for the client.
 */
export type ExportOutcome =
  { ok: true; body: Uint8Array } | { ok: false; status: 400 | 404; message: string };

/** What {@link buildExport} makes: an outcome, or a PDF still to render ({@link finishExport}). */
export type BuiltExport = ExportOutcome | { ok: true; pdf: PdfDoc };

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Builds one export from the records, synchronously: everything read from the records is read
 * here (in one read transaction, see {@link buildExportSnapshot}); a PDF comes back as its
 * definition. Throws only for a failure.
 */
export function buildExport(records: Records, job: ExportJob, o: ExportOptions): BuiltExport {
  try {
    switch (job.kind) {
      case 'session-workbook':
      case 'session-csv':
      case 'sign-in':
      case 'results-pdf': {
        if (!records.session(job.sessionId))
          return { ok: false, status: 404, message: 'no such session' };
        if (job.kind === 'session-workbook')
          return { ok: true, body: sessionWorkbookBuffer(records, job.sessionId, o) };
        if (job.kind === 'sign-in')
          return { ok: true, pdf: signInSheetPdf(records, job.sessionId, o) };
        if (job.kind === 'results-pdf')
          return { ok: true, pdf: resultsPdf(records, job.sessionId, o) };
        const csv = sheetCsv(records, job.sessionId, job.sheet, o);
        return csv === undefined
          ? { ok: false, status: 404, message: `no sheet "${job.sheet}"` }
          : { ok: true, body: utf8(csv) };
      }
      case 'history-workbook': {
        const h = traineeHistory(records, job.officerId, o);
        if (!h.sessions.length)
          return { ok: false, status: 404, message: `no sessions for officer ID ${job.officerId}` };
        return {
          ok: true,
          body: writeXlsx(traineeHistorySheets(h, o), {
            footerLeft: `Training history — ${h.name} (${h.officerId})`,
          }),
        };
      }
      case 'roster': {
        const ro = { ...o, profile: job.profile };
        if (job.format === 'pdf') return { ok: true, pdf: rosterPdf(records, job.range, ro) };
        if (job.format === 'csv')
          return {
            ok: true,
            body: utf8(toCsv(certificationRosterSheets(records, job.range, ro)[0])),
          };
        return { ok: true, body: certificationRoster(records, job.range, ro) };
      }
      case 'weak-spots-workbook':
        return {
          ok: true,
          body: writeXlsx(weakSpotsSheets(weakSpots(records, job.range, o)), {
            footerLeft: 'Weak spots',
            footerCenter: `${job.range.from || 'start'} to ${job.range.to || 'today'}`,
          }),
        };
      case 'department-gaps-workbook':
        return {
          ok: true,
          body: writeXlsx(departmentGapsSheets(departmentGaps(records, job.range)), {
            footerLeft: 'Department gaps',
            footerCenter: `${job.range.from || 'start'} to ${job.range.to || 'today'}`,
          }),
        };
      default: {
        const never: never = job;
        throw new Error(`unknown export ${JSON.stringify(never)}`);
      }
    }
  } catch (e) {
    // A bad range or an unknown profile is the asker's mistake, answered with its status; anything else is a failure.
    if (isMusterError(e, 'date-range') || isMusterError(e, 'unknown-profile'))
      return { ok: false, status: e.status, message: e.message };
    throw e;
  }
}

/** The finished export: a PDF definition rendered to its bytes (reads no records). */
export async function finishExport(built: BuiltExport): Promise<ExportOutcome> {
  if (!built.ok || !('pdf' in built)) return built;
  return { ok: true, body: await renderPdf(built.pdf) };
}

/**
 * The records file opened read-only, for the export worker. The exports only read: `records.db`
 * and the read methods such as `records.session()`. The Records constructor is the write path
 * (it creates the folder, switches on WAL, migrates the schema and prepares every INSERT), so this
 * gives the class's read methods a read-only connection of its own instead. Against the app's WAL
 * connection it sees the last committed state and never blocks the writer.
 */
export function openRecordsReadOnly(file: string): Records {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    db.close();
    throw e;
  }
  return Object.assign(Object.create(Records.prototype) as Records, { db });
}

/**
 * Runs {@link buildExport} in one read transaction, so every sheet of the file comes from the same
 * committed state even while the class goes on writing answers (on the main thread nothing could
 * write during a synchronous export; in a worker it can).
 */
export function buildExportSnapshot(
  records: Records,
  job: ExportJob,
  o: ExportOptions,
): BuiltExport {
  return records.db.transaction(() => buildExport(records, job, o))();
}
