/**
 * The records API on the loopback listener (the token is checked by http.ts before this runs):
 *   GET /api/sessions/<id>/export.xlsx           the session workbook (for people: print-ready)
 *   GET /api/sessions/<id>/<sheet>.csv           one sheet as CSV, for upload ("Scores.csv", "item-analysis.csv", "qa.csv" …)
 *   GET /api/sessions/<id>/sign-in.pdf           the sign-in sheet to print
 *   GET /api/sessions/<id>/results.pdf           the class's results summary
 *   GET /api/trainees?q=<name or officer ID>     search across sessions
 *   GET /api/trainees/<officerId>/history        one trainee's sessions, hours, scores (JSON)
 *   GET /api/trainees/<officerId>/history.xlsx   the same as a workbook
 *   GET /api/roster.xlsx?from=&to=&course=&profile=   certification roster across sessions, laid out by an export profile
 *   GET /api/roster.csv?…, /api/roster.pdf?…     the same for upload, and to print
 *   GET /api/export-profiles                     the department's export profiles (PUT: profiles-api.ts)
 *   GET /api/weak-spots?from=&to=&course=        item analysis by topic tag and agency (JSON)
 *   GET /api/weak-spots.xlsx?from=&to=&course=   the same as a workbook
 *   GET /api/department-gaps?from=&to=&course=   the anonymous department gap audit's totals (JSON)
 *   GET /api/department-gaps.xlsx?from=&to=&course=  the same as a workbook
 *   GET /api/records/sessions                    past sessions with their trainee counts
 *
 * The files (workbooks, CSV, PDFs) are built in a worker thread (records/export-runner.ts)
 * that reads the SQLite file read-only, so a big export does not stall the live class on this event
 * loop. A failed export answers 500 "the export failed; see the log", too many at once 503.
 */
import type http from 'node:http';
import type { Records, SessionRow } from '../records/db';
import type { Department } from '../records/department';
import { SHIPPED_PROFILES } from '../../shared/export-profiles';
import type { ExportProfile, ExportProfilesReply } from '../../shared/export-profiles';
import {
  parseRange,
  searchTrainees,
  sessionList,
  traineeHistory,
  weakSpots,
} from '../records/export';
import type { ExportOptions, RangeInput } from '../records/export';
import { departmentGaps } from '../records/department-gaps';
import { departmentClock, departmentProfile } from '../records/department';
import { buildExport, finishExport } from '../records/export-job';
import type { ExportJob, ExportOutcome } from '../records/export-job';
import { exportRunner } from '../records/export-runner';
import { errorDetail, isMusterError } from '../../shared/errors';

export interface RecordsContext {
  records: Records;
  /** The department profile from settings (read on every request: it may have changed). */
  department?: () => Department | undefined;
  /** The department's export profiles from settings (undefined: the shipped ones). */
  profiles?: () => ExportProfile[] | undefined;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF_TYPE = 'application/pdf';
const CSV_TYPE = 'text/csv; charset=utf-8';
const SESSION_ID = '[0-9A-Za-z][0-9A-Za-z-]{0,63}';
/** A sheet's name in a URL: letters, digits, spaces, &, hyphens (decoded). */
const SHEET_NAME = /^[A-Za-z0-9 &_-]{1,40}$/;

/** A file name safe in a Content-Disposition header. */
function fileName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'muster'
  );
}

function send(
  res: http.ServerResponse,
  head: boolean,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(head ? undefined : buf);
}

const json = (res: http.ServerResponse, head: boolean, value: unknown, status = 200) =>
  send(res, head, status, 'application/json; charset=utf-8', JSON.stringify(value));
const text = (res: http.ServerResponse, head: boolean, status: number, message: string) =>
  send(res, head, status, 'text/plain; charset=utf-8', message);
/** The headers of a file to save (not to show). */
const attachment = (name: string) => ({
  'Content-Disposition': `attachment; filename="${fileName(name)}"`,
});

function sessionStem(row: SessionRow, o: ExportOptions): string {
  return `muster-${departmentClock(departmentProfile(o.department)).date(row.started_at)}-${row.id.slice(0, 8)}`;
}

/** The department's export profiles, or the shipped starting points while it has saved none. */
export function profilesReply(saved: ExportProfile[] | undefined): ExportProfilesReply {
  return saved?.length
    ? { profiles: saved, shipped: false }
    : { profiles: [...SHIPPED_PROFILES], shipped: true };
}

function range(url: URL): RangeInput {
  return {
    from: url.searchParams.get('from'),
    to: url.searchParams.get('to'),
    course: url.searchParams.get('course'),
  };
}

/**
 * Where the files are built: in the export thread (always, in the app). `thread: false` builds them
 * on this thread, as before the thread existed, for tests/bench/export.ts to compare the two.
 */
export const exportPlacement = { thread: true };

/**
 * Answers with an export built off this thread: the file with `type` and `headers`, a 400/404 the
 * builder gave, 503 when too many exports are running, 500 when it failed (the reason goes to the
 * log). Whatever happens to the export, the server goes on serving; an export whose client went
 * away is stopped. Only an in-memory database (which no other thread can open) is built here.
 */
function sendExport(
  res: http.ServerResponse,
  head: boolean,
  ctx: RecordsContext,
  job: ExportJob,
  o: ExportOptions,
  type: string,
  headers: Record<string, string>,
): void {
  const db = ctx.records.db;
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  const here = db.memory || !exportPlacement.thread;
  const built: Promise<ExportOutcome> = here
    ? new Promise<ReturnType<typeof buildExport>>((resolve) =>
        resolve(buildExport(ctx.records, job, o)),
      ).then(finishExport)
    : exportRunner.run(db.name, job, o, { signal: gone.signal });
  built
    .then(
      (out) => {
        if (res.headersSent || res.destroyed) return;
        if (!out.ok) return text(res, head, out.status, out.message);
        send(
          res,
          head,
          200,
          type,
          Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength),
          headers,
        );
      },
      (e: unknown) => {
        if (isMusterError(e, 'export-busy')) {
          if (!res.headersSent)
            send(
              res,
              head,
              e.status,
              'text/plain; charset=utf-8',
              'another export is running; try again in a moment',
              { 'Retry-After': '5' },
            );
          return;
        }
        // The client went away before the file was ready: nothing failed, nobody is waiting for it.
        if (gone.signal.aborted) return;
        // An export that fails must not take the class down with it: report it, keep serving.
        // (An export-failed error's message says what and why, with the worker's stack; its own stack says nothing.)
        console.error(
          `records: export failed: ${isMusterError(e, 'export-failed') ? e.message : errorDetail(e)}`,
        );
        if (!res.headersSent && !res.destroyed)
          text(res, head, 500, 'the export failed; see the log');
      },
    )
    .catch((e: unknown) => console.error(`records: could not send an export: ${String(e)}`));
}

/** Handles a records route; false when the path is not one (http.ts goes on). */
export function handleRecords(
  url: URL,
  res: http.ServerResponse,
  head: boolean,
  ctx: RecordsContext,
): boolean {
  const p = url.pathname;
  if (
    !/^\/api\/(sessions\/|trainees|roster\.|weak-spots|department-gaps|records\/|export-profiles$)/.test(
      p,
    )
  )
    return false;
  const { records } = ctx;
  const o: ExportOptions = { department: ctx.department?.(), profiles: ctx.profiles?.() };
  try {
    const session = new RegExp(`^/api/sessions/(${SESSION_ID})/([^/]+)$`).exec(p);
    if (session) {
      const what = decodeURIComponent(session[2]);
      const csv = /^(.+)\.csv$/.exec(what);
      if (
        what !== 'export.xlsx' &&
        what !== 'sign-in.pdf' &&
        what !== 'results.pdf' &&
        !(csv && SHEET_NAME.test(csv[1]))
      )
        return false;
      const row = records.session(session[1]);
      if (!row) return (text(res, head, 404, 'no such session'), true);
      const sessionId = row.id;
      const stem = sessionStem(row, o);
      if (what === 'export.xlsx')
        return (
          sendExport(
            res,
            head,
            ctx,
            { kind: 'session-workbook', sessionId },
            o,
            XLSX_TYPE,
            attachment(`${stem}.xlsx`),
          ),
          true
        );
      if (what === 'sign-in.pdf')
        return (
          sendExport(
            res,
            head,
            ctx,
            { kind: 'sign-in', sessionId },
            o,
            PDF_TYPE,
            attachment(`${stem}-sign-in.pdf`),
          ),
          true
        );
      if (what === 'results.pdf')
        return (
          sendExport(
            res,
            head,
            ctx,
            { kind: 'results-pdf', sessionId },
            o,
            PDF_TYPE,
            attachment(`${stem}-results.pdf`),
          ),
          true
        );
      const sheet = csv![1];
      return (
        sendExport(
          res,
          head,
          ctx,
          { kind: 'session-csv', sessionId, sheet },
          o,
          CSV_TYPE,
          attachment(`${stem}-${sheet.toLowerCase()}.csv`),
        ),
        true
      );
    }
    if (p === '/api/records/sessions') return (json(res, head, sessionList(records)), true);
    if (p === '/api/trainees') {
      const q = url.searchParams.get('q') ?? '';
      return (json(res, head, { q, results: q.trim() ? searchTrainees(records, q) : [] }), true);
    }
    const history = /^\/api\/trainees\/([^/]+)\/(history|history\.xlsx)$/.exec(p);
    if (history) {
      const officerId = decodeURIComponent(history[1]).trim();
      if (!officerId || officerId.length > 64)
        return (text(res, head, 400, 'an officer ID has 1 to 64 characters'), true);
      if (history[2] === 'history.xlsx')
        return (
          sendExport(
            res,
            head,
            ctx,
            { kind: 'history-workbook', officerId },
            o,
            XLSX_TYPE,
            attachment(`muster-history-${officerId}.xlsx`),
          ),
          true
        );
      const h = traineeHistory(records, officerId, o);
      if (!h.sessions.length)
        return (text(res, head, 404, `no sessions for officer ID ${officerId}`), true);
      return (json(res, head, h), true);
    }
    const roster = /^\/api\/roster\.(xlsx|csv|pdf)$/.exec(p);
    if (roster) {
      const r = range(url);
      parseRange(r); // a bad date is a 400 from here, before any thread starts
      const format = roster[1] as 'xlsx' | 'csv' | 'pdf';
      const profile = url.searchParams.get('profile') || null;
      if (profile !== null && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(profile))
        return (text(res, head, 400, 'profile: not a profile id'), true);
      const type = format === 'xlsx' ? XLSX_TYPE : format === 'csv' ? CSV_TYPE : PDF_TYPE;
      const name = `muster-roster-${profile ? `${profile}-` : ''}${r.from || 'start'}-to-${r.to || 'today'}.${format}`;
      return (
        sendExport(
          res,
          head,
          ctx,
          { kind: 'roster', range: r, profile, format },
          o,
          type,
          attachment(name),
        ),
        true
      );
    }
    if (p === '/api/export-profiles') return (json(res, head, profilesReply(o.profiles)), true);
    if (p === '/api/weak-spots') return (json(res, head, weakSpots(records, range(url), o)), true);
    if (p === '/api/weak-spots.xlsx') {
      const r = range(url);
      parseRange(r);
      return (
        sendExport(
          res,
          head,
          ctx,
          { kind: 'weak-spots-workbook', range: r },
          o,
          XLSX_TYPE,
          attachment(`muster-weak-spots-${r.from || 'start'}-to-${r.to || 'today'}.xlsx`),
        ),
        true
      );
    }
    if (p === '/api/department-gaps')
      return (json(res, head, departmentGaps(records, range(url))), true);
    if (p === '/api/department-gaps.xlsx') {
      const r = range(url);
      parseRange(r);
      return (
        sendExport(
          res,
          head,
          ctx,
          { kind: 'department-gaps-workbook', range: r },
          o,
          XLSX_TYPE,
          attachment(`muster-department-gaps-${r.from || 'start'}-to-${r.to || 'today'}.xlsx`),
        ),
        true
      );
    }
    return false;
  } catch (e) {
    if (isMusterError(e, 'date-range')) return (text(res, head, e.status, e.message), true);
    if (e instanceof URIError) return (text(res, head, 400, 'malformed address'), true);
    // An export that fails must not take the class down with it: report it, keep serving.
    console.error(`records: ${p}: ${errorDetail(e)}`);
    if (!res.headersSent) text(res, head, 500, 'the export failed; see the log');
    return true;
  }
}
