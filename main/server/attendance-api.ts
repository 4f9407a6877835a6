/**
 * Attendance and its manual corrections, on the loopback listener (token checked by http.ts):
 *
 *   GET  /api/sessions/<id>/attendance               → AttendanceRow[] (shared/records.ts): join order, then the rostered absent
 *   POST /api/sessions/<id>/attendance-corrections   JSON AttendanceCorrection → { ok, row } | { ok: false, message }
 *
 * A correction is checked against the session and the trainee's record (main/records/attendance.ts)
 * and stored with its audit row; anything wrong gets a 400 that says what, and nothing is stored.
 */
import type http from 'node:http';
import type { Records } from '../records/db';
import { correctAttendance, sessionAttendance } from '../records/attendance';
import { AttendanceCorrection } from '../../shared/records';
import type { Department } from '../../shared/records';
import { departmentClock, departmentProfile } from '../records/department';
import { describeZodError } from '../../shared/protocol';
import { readBody } from './body';
import { errorDetail, isMusterError } from '../../shared/errors';

/** A correction is a few hundred bytes; this leaves room and nothing more. */
const BODY_LIMIT = 8 * 1024;
const SESSION_ID = '[0-9A-Za-z][0-9A-Za-z-]{0,63}';
export const ATTENDANCE_PATH = new RegExp(`^/api/sessions/(${SESSION_ID})/attendance$`);
export const CORRECTIONS_PATH = new RegExp(
  `^/api/sessions/(${SESSION_ID})/attendance-corrections$`,
);

/** A JSON reply that is never cached. */
export function replyJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  close = false,
): void {
  if (res.headersSent) return;
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(buf);
}

/**
 * Reads a small JSON body sent by the console page: application/json only (a cross-site form
 * cannot send it without a preflight we never answer), our own Origin, at most `limit` bytes.
 * Answers the request itself and gives undefined when the body cannot be used.
 */
export async function readJsonBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limit: number,
): Promise<{ value: unknown } | undefined> {
  const refuse = (status: number, message: string) => {
    // Do not read what the client still sends: answer and close the connection.
    replyJson(res, status, { ok: false, message }, true);
    res.once('finish', () => req.destroy());
  };
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`)
    return void refuse(403, 'wrong origin');
  if (type !== 'application/json')
    return void refuse(415, 'send JSON (Content-Type: application/json)');
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (e) {
    if (isMusterError(e, 'body-too-large'))
      return void refuse(e.status, `the request is larger than ${limit / 1024} KB`);
    req.destroy();
    return undefined;
  }
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    replyJson(res, 400, {
      ok: false,
      message: 'The request is not valid JSON. Nothing was changed.',
    });
    return undefined;
  }
}

/** `GET /api/sessions/<id>/attendance`; false when the path is not it (http.ts goes on). */
export function handleAttendanceGet(url: URL, res: http.ServerResponse, records: Records): boolean {
  const m = ATTENDANCE_PATH.exec(url.pathname);
  if (!m) return false;
  if (!records.session(m[1])) replyJson(res, 404, { ok: false, message: 'no such session' });
  else replyJson(res, 200, sessionAttendance(records, m[1]));
  return true;
}

/** `POST /api/sessions/<id>/attendance-corrections`. */
export async function handleAttendanceCorrection(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  sessionId: string,
  records: Records,
  department?: () => Department | undefined,
): Promise<void> {
  const body = await readJsonBody(req, res, BODY_LIMIT);
  if (!body) return;
  const parsed = AttendanceCorrection.safeParse(body.value);
  if (!parsed.success)
    return replyJson(res, 400, {
      ok: false,
      message: `${describeZodError(parsed.error)}. Nothing was changed.`,
    });
  let outcome;
  try {
    outcome = correctAttendance(
      records,
      sessionId,
      parsed.data,
      departmentClock(departmentProfile(department?.())),
    );
  } catch (e) {
    console.error(`attendance correction: ${errorDetail(e)}`);
    return replyJson(res, 500, {
      ok: false,
      message: 'The correction could not be stored; see the log. Nothing was changed.',
    });
  }
  if (!outcome.ok) return replyJson(res, outcome.status, { ok: false, message: outcome.message });
  replyJson(res, 200, { ok: true, row: outcome.row });
}
