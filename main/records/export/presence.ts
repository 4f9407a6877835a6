/**
 * Who was in the room and when, from what a session stored: check-in at a phone's first join,
 * connected intervals join → leave, and the manual corrections in force (a paper sign-in sheet, a
 * phone that died), which replace the recorded times.
 */
import type { Records, SessionRow } from '../db';
import { round1 } from './cells';

export interface AttendanceSummary {
  traineeId: string;
  name: string;
  officerId: string;
  agency: string;
  checkIn: number | null;
  checkOut: number | null;
  minutesPresent: number;
  intervals: number;
  /** A manual correction is in force: check-in/out (and minutes present) are the corrected ones. */
  corrected: boolean;
  /** Why (the reason of the correction in force); null when not corrected. */
  correctionReason: string | null;
}

interface AttendanceRow {
  trainee_id: string;
  name: string;
  officer_id: string;
  agency: string;
  joined_at: number;
  event: 'join' | 'leave' | 'return' | null;
  at: number | null;
}

type Working = AttendanceSummary & { joinedAt: number; openSince: number | null; ms: number };

/** The latest manual correction of a trainee's attendance (attendance_corrections); null times keep the recorded ones. */
export interface CorrectionRow {
  traineeId: string;
  checkIn: number | null;
  checkOut: number | null;
  reason: string;
}

/** The correction in force for each trainee of a session: the latest row wins (rows are never edited). */
export function latestCorrections(records: Records, sessionId: string): Map<string, CorrectionRow> {
  const rows = records.db
    .prepare(
      `SELECT trainee_id AS traineeId, check_in AS checkIn, check_out AS checkOut, reason FROM attendance_corrections WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as CorrectionRow[];
  return new Map(rows.map((r) => [r.traineeId, r]));
}

/**
 * Attendance with the corrections in force. A corrected check-in or check-out replaces the recorded
 * one; minutes present then becomes the corrected span, check-in to check-out (or to the end of the
 * session, or now), within the session: a correction says when the trainee was in the room (a paper
 * sheet, a dead phone), so the phone's connected intervals no longer describe it. The number of
 * connected intervals stays what the phone did.
 */
export function attendanceOf(
  records: Records,
  session: SessionRow,
  now: number,
): (AttendanceSummary & { joinedAt: number })[] {
  const recorded = recordedAttendanceOf(records, session, now);
  const corrections = latestCorrections(records, session.id);
  if (!corrections.size) return recorded;
  const end = Math.max(session.ended_at ?? now, session.started_at);
  return recorded.map((a) => {
    const c = corrections.get(a.traineeId);
    if (!c || (c.checkIn === null && c.checkOut === null)) return a;
    const checkIn = c.checkIn ?? a.checkIn;
    const checkOut = c.checkOut ?? a.checkOut;
    const spanMs =
      checkIn === null
        ? 0
        : Math.max(0, Math.min(checkOut ?? end, end) - Math.max(checkIn, session.started_at));
    return {
      ...a,
      checkIn,
      checkOut,
      minutesPresent: round1(spanMs / 60000),
      corrected: true,
      correctionReason: c.reason,
    };
  });
}

/** Attendance as the phones recorded it: check-in at the first join, intervals join → leave. */
export function recordedAttendanceOf(
  records: Records,
  session: SessionRow,
  now: number,
): (AttendanceSummary & { joinedAt: number })[] {
  const rows = records.db
    .prepare(
      `SELECT t.id AS trainee_id, t.name, t.officer_id, t.agency, t.joined_at, a.event, a.at
       FROM trainees t LEFT JOIN attendance a ON a.session_id = t.session_id AND a.trainee_id = t.id
       WHERE t.session_id = ? ORDER BY t.joined_at, t.id, a.seq`,
    )
    .all(session.id) as AttendanceRow[];
  const out = new Map<string, Working>();
  for (const r of rows) {
    let s = out.get(r.trainee_id);
    if (!s) {
      s = {
        traineeId: r.trainee_id,
        name: r.name,
        officerId: r.officer_id,
        agency: r.agency,
        joinedAt: r.joined_at,
        checkIn: null,
        checkOut: null,
        minutesPresent: 0,
        intervals: 0,
        corrected: false,
        correctionReason: null,
        openSince: null,
        ms: 0,
      };
      out.set(r.trainee_id, s);
    }
    if (r.at === null) continue;
    if (r.event === 'join' || r.event === 'return') {
      if (s.checkIn === null) s.checkIn = r.at;
      if (s.openSince === null) {
        s.openSince = r.at;
        s.intervals++;
      }
    } else if (r.event === 'leave' && s.openSince !== null) {
      s.ms += r.at - s.openSince;
      s.openSince = null;
      s.checkOut = r.at;
    }
  }
  const end = session.ended_at ?? now;
  return [...out.values()].map(({ openSince, ms, ...s }) => {
    const total = ms + (openSince !== null ? Math.max(0, end - openSince) : 0);
    return {
      ...s,
      checkOut: openSince !== null ? (session.ended_at ?? null) : s.checkOut,
      minutesPresent: round1(total / 60000),
    };
  });
}

/**
 * Minutes present = the sum of the connected intervals (join → leave), capped at the session's end;
 * for a trainee whose attendance was corrected, the corrected span (see attendanceOf).
 */
export function attendance(records: Records, sessionId: string): AttendanceSummary[] {
  const session = records.session(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  return attendanceOf(records, session, Date.now()).map(({ joinedAt: _j, ...a }) => a);
}
