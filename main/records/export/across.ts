/**
 * Records across sessions: the sessions by date range and course (days in the department's time
 * zone), and the list of past sessions. What is made of them is in their own modules: one
 * trainee's training history and trainee search in ./trainee-history.ts, the weak-spot report in
 * ./weak-spots.ts, the certification roster in ./certification.ts.
 */
import type { Records, SessionRow } from '../db';
import { clockFor, computerTimeZone, dayBounds, parseDate } from '../../../shared/clock';
import type { Clock } from '../../../shared/clock';
import { MusterError } from '../../../shared/errors';
import type { SessionListItem } from '../../../shared/records';

export type { SessionListItem };

export interface RangeInput {
  /** First day, YYYY-MM-DD (local), inclusive. */
  from?: string | null;
  /** Last day, YYYY-MM-DD (local), inclusive. */
  to?: string | null;
  /** A course id or course number. */
  course?: string | null;
}

/**
 * The range as instants: `from`'s first moment to the end of `to`, as days in the clock's zone (all
 * time when left out). A bad --from/--to/?from=&to= throws a `date-range` {@link MusterError}
 * whose message says which and why.
 */
export function parseRange(
  r: RangeInput,
  clock?: Clock,
): { start: number; end: number; course: string | null } {
  const day = (name: string, v: string | null | undefined) => {
    if (v === undefined || v === null || v === '') return null;
    const d = parseDate(v);
    if (!d)
      throw new MusterError('date-range', `${name}: not a date (YYYY-MM-DD): ${JSON.stringify(v)}`);
    return clock
      ? dayBounds(clock, d)
      : {
          start: Date.UTC(d.year, d.month - 1, d.day),
          end: Date.UTC(d.year, d.month - 1, d.day + 1),
        };
  };
  const from = day('from', r.from);
  const to = day('to', r.to);
  if (from && to && from.start > to.start)
    throw new MusterError('date-range', `from: ${r.from} is after to: ${r.to}`);
  return {
    start: from?.start ?? -8.64e15,
    end: to?.end ?? 8.64e15,
    course: r.course?.trim() || null,
  };
}

/** The sessions that started within the range (days in the clock's zone; by default this computer's), oldest first. */
export function sessionsInRange(
  records: Records,
  r: RangeInput,
  clock: Clock = clockFor(computerTimeZone()),
): SessionRow[] {
  const { start, end, course } = parseRange(r, clock);
  return records.db
    .prepare(
      `SELECT * FROM sessions WHERE started_at >= ? AND started_at < ? AND (? IS NULL OR course = ? OR course_number = ?) ORDER BY started_at, id`,
    )
    .all(start, end, course, course, course) as SessionRow[];
}

/** Past sessions, newest first, with how many trainees joined each. */
export function sessionList(records: Records, limit = 500): SessionListItem[] {
  return records.db
    .prepare(
      // A class day that moved through several modules lists them all, in order.
      `SELECT s.id, s.course, s.course_title AS courseTitle, s.course_number AS courseNumber,
              COALESCE((SELECT group_concat(title, '; ') FROM (SELECT title FROM session_modules m WHERE m.session_id = s.id ORDER BY m.seq)), s.title) AS title,
              s.started_at AS startedAt, s.ended_at AS endedAt,
              (SELECT COUNT(*) FROM trainees t WHERE t.session_id = s.id) AS trainees
       FROM sessions s ORDER BY s.started_at DESC LIMIT ?`,
    )
    .all(limit) as SessionListItem[];
}
