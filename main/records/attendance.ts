/**
 * Manual attendance corrections: records staff or the instructor set a trainee's check-in and/or
 * check-out (a phone that died, a trainee who signed the paper sheet) with a reason. Each one is a
 * new attendance_corrections row plus its audit_log row, in one transaction; the latest row for a
 * trainee is in force (export/results.ts applies it). Bad input changes nothing.
 *
 * A rostered officer who never joined is absent. Once the session has ended (while it runs they
 * can still join on a phone), a correction with a check-in records them as present: a trainee row
 * from the roster entry, the correction, and the audit row, in one transaction. The trainee comes
 * last in join order, so nobody else's certificate number changes.
 */
import crypto from 'node:crypto';
import type { Records } from './db';
import { attendance, latestCorrections, recordedAttendanceOf } from './export/results';
import { nameCollator, rosterNoShows } from './export/people';
import type { Clock } from '../../shared/clock';
import type { AttendanceCorrection, AttendanceRow } from '../../shared/records';

export type CorrectionOutcome =
  { ok: true; row: AttendanceRow } | { ok: false; status: 400 | 404; message: string };

const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();

/**
 * A session's people with their attendance (corrections applied), times ISO: those who joined in
 * join order, then the rostered officers who never did, as absent.
 */
export function sessionAttendance(records: Records, sessionId: string): AttendanceRow[] {
  const present: AttendanceRow[] = attendance(records, sessionId).map((a) => ({
    traineeId: a.traineeId,
    rosterEntryId: null,
    absent: a.checkIn === null,
    name: a.name,
    officerId: a.officerId,
    agency: a.agency,
    checkIn: isoOrNull(a.checkIn),
    checkOut: isoOrNull(a.checkOut),
    minutesPresent: a.minutesPresent,
    corrected: a.corrected,
    reason: a.correctionReason,
  }));
  const absent: AttendanceRow[] = rosterNoShows(records, sessionId).map((r) => ({
    traineeId: null,
    rosterEntryId: r.rosterEntryId,
    absent: true,
    name: r.name,
    officerId: r.officerId,
    agency: r.agency,
    checkIn: null,
    checkOut: null,
    minutesPresent: 0,
    corrected: false,
    reason: null,
  }));
  return [...present, ...absent.sort((a, b) => nameCollator().compare(a.name, b.name))];
}

/**
 * Checks a correction against the session and the trainee's record and, if it holds, stores it
 * with its audit row. Times in messages are read with `clock` (the department's time zone).
 */
export function correctAttendance(
  records: Records,
  sessionId: string,
  input: AttendanceCorrection,
  clock: Clock,
  now = Date.now(),
): CorrectionOutcome {
  const session = records.session(sessionId);
  if (!session) return { ok: false, status: 404, message: 'no such session' };
  const fail = (message: string): CorrectionOutcome => ({
    ok: false,
    status: 400,
    message: `${message} Nothing was changed.`,
  });
  const when = (ms: number) => clock.dateTime(ms);
  if (input.rosterEntryId !== undefined) return markPresent(records, sessionId, input, clock, now);
  const traineeId = input.traineeId ?? '';
  const recorded = recordedAttendanceOf(records, session, now).find(
    (a) => a.traineeId === traineeId,
  );
  if (!recorded) return fail(`There is no trainee "${traineeId.slice(0, 64)}" in this session.`);
  const latest = latestCorrections(records, sessionId).get(traineeId);

  // Within the session: from its start to its end (or now, while it runs). A datetime-local input
  // has minute precision, so the minute the session started counts as its start (stored as the start).
  const start = session.started_at;
  const end = session.ended_at ?? now;
  const bounds = `between ${when(start)} and ${session.ended_at === null ? 'now' : when(end)}`;
  const parse = (
    v: string | null | undefined,
    label: string,
  ): { t: number | null | undefined } | { error: string } => {
    if (v === undefined || v === null) return { t: v };
    const t = Date.parse(v);
    if (t < Math.floor(start / 60000) * 60000 || t > end)
      return { error: `The ${label} (${when(t)}) is outside the session: it must be ${bounds}.` };
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
  if (checkOut !== null && checkIn === null)
    return fail(`${recorded.name} has no check-in on record: give a check-in time too.`);
  if (checkIn !== null && checkOut !== null && checkOut < checkIn)
    return fail(`The check-out (${when(checkOut)}) is before the check-in (${when(checkIn)}).`);

  const before = attendance(records, sessionId).find((a) => a.traineeId === traineeId)!;
  const actor = input.actor ?? 'instructor';
  records.db.transaction(() =>
    writeCorrection(records, {
      sessionId,
      traineeId,
      checkIn: storedIn,
      checkOut: storedOut,
      reason: input.reason,
      actor,
      at: now,
      before: { checkIn: isoOrNull(before.checkIn), checkOut: isoOrNull(before.checkOut) },
      after: { checkIn: isoOrNull(checkIn), checkOut: isoOrNull(checkOut) },
    }),
  )();
  return {
    ok: true,
    row: sessionAttendance(records, sessionId).find((r) => r.traineeId === traineeId)!,
  };
}

/** A rostered officer who never joined, recorded as present from the paper sheet. */
function markPresent(
  records: Records,
  sessionId: string,
  input: AttendanceCorrection,
  clock: Clock,
  now: number,
): CorrectionOutcome {
  const session = records.session(sessionId)!;
  const fail = (message: string): CorrectionOutcome => ({
    ok: false,
    status: 400,
    message: `${message} Nothing was changed.`,
  });
  const entry = rosterNoShows(records, sessionId).find(
    (r) => r.rosterEntryId === input.rosterEntryId,
  );
  if (!entry)
    return fail(
      `Roster line ${input.rosterEntryId} is not an absent officer of this session (they may have joined since).`,
    );
  if (session.ended_at === null)
    return fail(
      `${entry.name} can still join on a phone while the class runs: mark them present once the session has ended.`,
    );
  if (!input.checkIn)
    return fail(`Give the time ${entry.name} checked in (from the paper sign-in sheet).`);
  const start = session.started_at;
  const end = session.ended_at;
  const given = Date.parse(input.checkIn);
  const checkIn = Math.max(given, start);
  // Without a check-out they stayed to the end, as a phone that never left is counted.
  const checkOut = input.checkOut ? Date.parse(input.checkOut) : end;
  const bounds = `between ${clock.dateTime(start)} and ${clock.dateTime(end)}`;
  if (given < Math.floor(start / 60000) * 60000 || checkIn > end)
    return fail(
      `The check-in (${clock.dateTime(given)}) is outside the session: it must be ${bounds}.`,
    );
  if (checkOut > end || checkOut < start)
    return fail(
      `The check-out (${clock.dateTime(checkOut)}) is outside the session: it must be ${bounds}.`,
    );
  if (checkOut < checkIn)
    return fail(
      `The check-out (${clock.dateTime(checkOut)}) is before the check-in (${clock.dateTime(checkIn)}).`,
    );
  const traineeId = crypto.randomUUID();
  const actor = input.actor ?? 'instructor';
  records.db.transaction(() => {
    records.db
      .prepare(
        `INSERT INTO trainees (id, session_id, name, officer_id, agency, joined_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(traineeId, sessionId, entry.name, entry.officerId, entry.agency, now);
    writeCorrection(records, {
      sessionId,
      traineeId,
      checkIn,
      checkOut,
      reason: input.reason,
      actor,
      at: now,
      before: {
        status: 'absent',
        officerId: entry.officerId,
        name: entry.name,
        rosterLine: entry.rosterEntryId,
      },
      after: { status: 'present', checkIn: isoOrNull(checkIn), checkOut: isoOrNull(checkOut) },
    });
  })();
  return {
    ok: true,
    row: sessionAttendance(records, sessionId).find((r) => r.traineeId === traineeId)!,
  };
}

/** A correction row and its audit row (who, when, before, after, why); run inside a transaction. */
function writeCorrection(
  records: Records,
  c: {
    sessionId: string;
    traineeId: string;
    checkIn: number | null;
    checkOut: number | null;
    reason: string;
    actor: string;
    at: number;
    before: object;
    after: object;
  },
): void {
  records.db
    .prepare(
      `INSERT INTO attendance_corrections (session_id, trainee_id, check_in, check_out, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.sessionId, c.traineeId, c.checkIn, c.checkOut, c.reason, c.actor, c.at);
  records.db
    .prepare(
      `INSERT INTO audit_log (session_id, at, actor, action, entity, entity_id, before_json, after_json, reason) VALUES (?, ?, ?, 'correctAttendance', 'attendance', ?, ?, ?, ?)`,
    )
    .run(
      c.sessionId,
      c.at,
      c.actor,
      c.traineeId,
      JSON.stringify(c.before),
      JSON.stringify(c.after),
      c.reason,
    );
}
