/**
 * Manual attendance corrections: records staff or the instructor set a trainee's check-in and/or
 * check-out (a phone that died, a trainee who signed the paper sheet) with a reason. Each one is a
 * new attendance_corrections row plus its audit_log row, in one transaction; the latest row for a
 * trainee is in force (export/results.ts applies it). Bad input changes nothing.
 */
import type { Records } from './db';
import { attendance, latestCorrections, recordedAttendanceOf } from './export/results';
import { localDate, localTime } from './export/cells';
import type { AttendanceCorrection, AttendanceRow } from '../../shared/records';

export type CorrectionOutcome = { ok: true; row: AttendanceRow } | { ok: false; status: 400 | 404; message: string };

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A readable instant for a message, in this computer's time like the console shows it (the console runs here). */
const when = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;

/** A session's trainees with their attendance (corrections applied), in join order, times ISO. */
export function sessionAttendance(records: Records, sessionId: string): AttendanceRow[] {
  return attendance(records, sessionId).map((a) => ({
    traineeId: a.traineeId,
    name: a.name,
    officerId: a.officerId,
    agency: a.agency,
    checkIn: isoOrNull(a.checkIn),
    checkOut: isoOrNull(a.checkOut),
    minutesPresent: a.minutesPresent,
    corrected: a.corrected,
    reason: a.correctionReason,
  }));
}

/** Checks a correction against the session and the trainee's record and, if it holds, stores it with its audit row. */
export function correctAttendance(records: Records, sessionId: string, input: AttendanceCorrection, now = Date.now()): CorrectionOutcome {
  const session = records.session(sessionId);
  if (!session) return { ok: false, status: 404, message: 'no such session' };
  const fail = (message: string): CorrectionOutcome => ({ ok: false, status: 400, message: `${message} Nothing was changed.` });
  const recorded = recordedAttendanceOf(records, session, now).find((a) => a.traineeId === input.traineeId);
  if (!recorded) return fail(`There is no trainee "${input.traineeId.slice(0, 64)}" in this session.`);
  const latest = latestCorrections(records, sessionId).get(input.traineeId);

  // Within the session: from its start to its end (or now, while it runs). A datetime-local input
  // has minute precision, so the minute the session started counts as its start (stored as the start).
  const start = session.started_at;
  const end = session.ended_at ?? now;
  const bounds = `between ${when(start)} and ${session.ended_at === null ? 'now' : when(end)}`;
  const parse = (v: string | null | undefined, label: string): { t: number | null | undefined } | { error: string } => {
    if (v === undefined || v === null) return { t: v };
    const t = Date.parse(v);
    if (t < Math.floor(start / 60000) * 60000 || t > end) return { error: `The ${label} (${when(t)}) is outside the session: it must be ${bounds}.` };
    return { t: Math.max(t, start) };
  };
  const inGiven = parse(input.checkIn, 'check-in');
  if ('error' in inGiven) return fail(inGiven.error);
  const outGiven = parse(input.checkOut, 'check-out');
  if ('error' in outGiven) return fail(outGiven.error);

  // Left out: what the latest correction said; null: back to the recorded time.
  const storedIn = inGiven.t === undefined ? (latest?.checkIn ?? null) : inGiven.t;
  const storedOut = outGiven.t === undefined ? (latest?.checkOut ?? null) : outGiven.t;
  if (storedIn === (latest?.checkIn ?? null) && storedOut === (latest?.checkOut ?? null))
    return fail('That is already the attendance on record: change the check-in or check-out time.');
  const checkIn = storedIn ?? recorded.checkIn;
  const checkOut = storedOut ?? recorded.checkOut;
  if (checkOut !== null && checkIn === null) return fail(`${recorded.name} has no check-in on record: give a check-in time too.`);
  if (checkIn !== null && checkOut !== null && checkOut < checkIn) return fail(`The check-out (${when(checkOut)}) is before the check-in (${when(checkIn)}).`);

  const before = attendance(records, sessionId).find((a) => a.traineeId === input.traineeId)!;
  const actor = input.actor ?? 'instructor';
  records.db.transaction(() => {
    records.db
      .prepare(`INSERT INTO attendance_corrections (session_id, trainee_id, check_in, check_out, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(sessionId, input.traineeId, storedIn, storedOut, input.reason, actor, now);
    records.db
      .prepare(
        `INSERT INTO audit_log (session_id, at, actor, action, entity, entity_id, before_json, after_json, reason) VALUES (?, ?, ?, 'correctAttendance', 'attendance', ?, ?, ?, ?)`,
      )
      .run(
        sessionId,
        now,
        actor,
        input.traineeId,
        JSON.stringify({ checkIn: isoOrNull(before.checkIn), checkOut: isoOrNull(before.checkOut) }),
        JSON.stringify({ checkIn: isoOrNull(checkIn), checkOut: isoOrNull(checkOut) }),
        input.reason,
      );
  })();
  return { ok: true, row: sessionAttendance(records, sessionId).find((r) => r.traineeId === input.traineeId)! };
}
