/** One trainee across sessions: finding them by name or officer ID, and their training history. */
import type { Records, SessionRow } from '../db';
import { departmentClock, departmentProfile } from '../department';
import { neutralise, text } from './cells';
import { sessionResults } from './results';
import type { TraineeResult } from './results';
import type { ExportOptions } from './session';
import type { Cell, SheetSpec } from './xlsx';
import type { Clock } from '../../../shared/clock';
import type { HistoryEntry, TraineeHistory, TraineeMatch } from '../../../shared/records';

export type { HistoryEntry, TraineeHistory, TraineeMatch };

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Trainees whose name or officer ID contains `q` (case-insensitive), one per officer ID, most recent first. */
export function searchTrainees(records: Records, q: string, limit = 50): TraineeMatch[] {
  const query = q.trim().slice(0, 100);
  if (!query) return [];
  const p = likePattern(query);
  // SQLite takes the bare columns of a MAX() aggregate from the row that has the maximum.
  return records.db
    .prepare(
      `SELECT officer_id AS officerId, name, agency, COUNT(DISTINCT session_id) AS sessions, MAX(joined_at) AS lastSeen
       FROM trainees WHERE officer_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\'
       GROUP BY UPPER(TRIM(officer_id)) ORDER BY lastSeen DESC LIMIT ?`,
    )
    .all(p, p, limit) as TraineeMatch[];
}

/** Every session a trainee (by officer ID, case-insensitive) attended, oldest first. */
export function traineeHistory(
  records: Records,
  officerId: string,
  o: ExportOptions = {},
): TraineeHistory {
  const dept = departmentProfile(o.department);
  const now = o.now ?? Date.now();
  const id = officerId.trim();
  const found = records.db
    .prepare(
      `SELECT t.id, t.session_id, t.officer_id FROM trainees t JOIN sessions s ON s.id = t.session_id
       WHERE UPPER(TRIM(t.officer_id)) = UPPER(?) ORDER BY s.started_at, s.id`,
    )
    .all(id) as { id: string; session_id: string; officer_id: string }[];
  const pairs: { session: SessionRow; trainee: TraineeResult }[] = [];
  for (const f of found) {
    const res = sessionResults(records, f.session_id, dept, now);
    const t = res.trainees.find((x) => x.traineeId === f.id);
    if (t) pairs.push({ session: res.session, trainee: t });
  }
  return historyOf(found.at(-1)?.officer_id ?? id, pairs, departmentClock(dept));
}

/**
 * A training history from the trainee's results in each session, oldest first, dated in the
 * clock's zone (the records server keeps the results derived and builds the history from them).
 */
export function historyOf(
  officerId: string,
  pairs: { session: SessionRow; trainee: TraineeResult }[],
  clock: Clock,
): TraineeHistory {
  const sessions: HistoryEntry[] = pairs.map(({ session: s, trainee: t }) => ({
    sessionId: s.id,
    date: clock.date(s.started_at),
    courseTitle: s.course_title,
    courseNumber: s.course_number,
    module: s.title,
    name: t.name,
    agency: t.agency,
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    presentPercent: t.presentPercent,
    scorePercent: t.scorePercent,
    result: t.result,
    creditEarned: t.creditEarned,
    hoursAwarded: t.hoursAwarded,
    certificate: t.certificate,
  }));
  const last = sessions.at(-1);
  return {
    officerId,
    name: last?.name ?? '',
    agency: last?.agency ?? '',
    totalHours: sessions.reduce((n, s) => n + (s.hoursAwarded ?? 0), 0),
    sessions,
  };
}

/** A training history as a workbook: one row per session, oldest first. */
export function traineeHistorySheets(h: TraineeHistory, o: ExportOptions = {}): SheetSpec[] {
  const dept = departmentProfile(o.department);
  const clock = departmentClock(dept);
  const rows: Cell[][] = [
    [
      'Session date',
      'Course title',
      'Course number',
      'Module',
      'Name',
      dept.officerIdLabel,
      'Agency',
      'Check-in',
      'Check-out',
      'Present %',
      'Score %',
      'Result',
      'Credit earned',
      'Hours awarded',
      'Certificate number',
      'Session ID',
    ],
  ];
  for (const s of h.sessions)
    rows.push([
      s.date,
      text(s.courseTitle),
      text(s.courseNumber),
      text(s.module),
      neutralise(s.name),
      neutralise(h.officerId),
      neutralise(s.agency),
      clock.dateTime(s.checkIn),
      clock.dateTime(s.checkOut),
      s.presentPercent,
      s.scorePercent ?? '',
      s.result ?? '',
      s.creditEarned === null ? '' : s.creditEarned ? 'Yes' : 'No',
      s.hoursAwarded ?? '',
      s.certificate ?? '',
      s.sessionId,
    ]);
  return [
    {
      name: 'History',
      rows,
      widths: [11, 30, 9, 26, 20, 11, 18, 16, 16, 8, 7, 7, 8, 7, 20, 36],
      wrap: [1, 3, 4, 6],
    },
  ];
}
