/**
 * Records across sessions: sessions by date range and course (days in the department's time
 * zone), one trainee's training history, trainee search, and the weak-spot report (item analysis
 * by topic tag and by agency, the pre-test as a baseline beside it). The certification roster is
 * in ./certification.ts.
 */
import type { Records, SessionRow } from '../db';
import { departmentClock, departmentProfile } from '../department';
import { neutralise, text } from './cells';
import { loadResponses, loadRuns, sessionResults } from './results';
import type { TraineeResult } from './results';
import type { ExportOptions } from './session';
import type { Cell, SheetSpec } from './xlsx';
import { clockFor, computerTimeZone, dayBounds, parseDate } from '../../../shared/clock';
import type { Clock } from '../../../shared/clock';
import { MusterError } from '../../../shared/errors';
import type {
  HistoryEntry,
  SessionListItem,
  TraineeHistory,
  TraineeMatch,
  WeakSpotStat,
  WeakSpots,
} from '../../../shared/records';

export type {
  HistoryEntry,
  SessionListItem,
  TraineeHistory,
  TraineeMatch,
  WeakSpotStat,
  WeakSpots,
};

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

// ---------------------------------------------------------------- trainees

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

// ---------------------------------------------------------------- weak spots

export const UNTAGGED = '(untagged)';
/** How agencies are grouped: however trainees typed them, case and spacing aside. */
export const agencyKey = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Item analysis across sessions: the share of correct answers to graded questions (course
 * evaluations and polls left out), by topic tag, by agency (spelled however trainees typed it,
 * grouped case-insensitively), by both, and by question. Weakest first.
 *
 * What counts is what the class knew once taught: post-test, quiz and live answers. Pre-test
 * answers are given before any teaching, so they are kept apart, as each row's baseline; a row
 * with only pre-test answers comes last.
 */
export function weakSpots(records: Records, r: RangeInput, o: ExportOptions = {}): WeakSpots {
  return weakSpotsOf(
    records,
    sessionsInRange(records, r, departmentClock(departmentProfile(o.department))),
    r,
  );
}

/** The weak-spot report over the given sessions. */
export function weakSpotsOf(
  records: Records,
  sessions: SessionRow[],
  r: RangeInput = {},
): WeakSpots {
  type Row = WeakSpotStat;
  const blank = (): Row => ({
    answered: 0,
    correct: 0,
    share: 0,
    pretest: { answered: 0, correct: 0, share: 0 },
  });
  const tally = <T extends object>(
    m: Map<string, Row & T>,
    key: string,
    init: () => T,
    ok: boolean,
    pre: boolean,
  ) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = { ...blank(), ...init() }));
    const into = pre ? s.pretest : s;
    into.answered++;
    if (ok) into.correct++;
    return s;
  };
  const byTag = new Map<string, Row & { tag: string }>();
  const byAgency = new Map<string, Row & { agency: string; people: Set<string> }>();
  const byAgencyTag = new Map<string, Row & { agency: string; tag: string }>();
  const byQuestion = new Map<
    string,
    Row & { questionId: string; prompt: string; tags: string[]; ids: Set<string> }
  >();
  let answers = 0;
  let pretestAnswers = 0;
  for (const s of sessions) {
    const all = loadRuns(records, s.id);
    const runs = new Map(all.filter((x) => x.scored).map((x) => [x.id, x]));
    if (!runs.size) continue;
    const people = new Map(
      (
        records.db
          .prepare(`SELECT id, officer_id, agency FROM trainees WHERE session_id = ?`)
          .all(s.id) as { id: string; officer_id: string; agency: string }[]
      ).map((t) => [t.id, t]),
    );
    for (const resp of loadResponses(records, s.id, all)) {
      const run = runs.get(resp.runId);
      if (!run) continue;
      const pre = run.assessment?.kind === 'pretest';
      if (pre) pretestAnswers++;
      else answers++;
      const ok = resp.ok === true;
      const person = people.get(resp.traineeId);
      const agency = person?.agency.trim() || '(no agency)';
      const aKey = agencyKey(agency);
      const tags = run.q.tags?.length ? [...new Set(run.q.tags)] : [UNTAGGED];
      for (const tag of tags) {
        tally(byTag, tag, () => ({ tag }), ok, pre);
        tally(byAgencyTag, `${aKey}\u0000${tag}`, () => ({ agency, tag }), ok, pre);
      }
      tally(byAgency, aKey, () => ({ agency, people: new Set<string>() }), ok, pre).people.add(
        person ? person.officer_id.trim().toUpperCase() : resp.traineeId,
      );
      tally(
        byQuestion,
        run.q.id,
        () => ({
          questionId: run.q.id,
          prompt: run.q.prompt,
          tags: run.q.tags ?? [],
          ids: new Set<string>(),
        }),
        ok,
        pre,
      ).ids.add(s.id);
    }
  }
  const share = (x: { answered: number; correct: number }) =>
    x.answered ? Math.round((x.correct / x.answered) * 10000) / 10000 : 0;
  const finish = <T extends Row>(xs: Iterable<T>): T[] =>
    [...xs]
      .map((x) => ({ ...x, share: share(x), pretest: { ...x.pretest, share: share(x.pretest) } }))
      .sort(
        (a, b) =>
          Number(a.answered === 0) - Number(b.answered === 0) ||
          a.share - b.share ||
          b.answered - a.answered,
      );
  return {
    from: r.from || null,
    to: r.to || null,
    course: r.course || null,
    sessions: sessions.length,
    answers,
    pretestAnswers,
    byTag: finish(byTag.values()),
    byAgency: finish(byAgency.values()).map(({ people, ...x }) => ({
      ...x,
      trainees: people.size,
    })),
    byAgencyTag: finish(byAgencyTag.values()),
    byQuestion: finish(byQuestion.values()).map(({ ids, ...x }) => ({ ...x, sessions: ids.size })),
  };
}

export function weakSpotsSheets(w: WeakSpots): SheetSpec[] {
  const STAT = [
    'Answers',
    'Correct',
    'Share correct',
    'Pre-test answers (baseline)',
    'Pre-test share correct',
  ];
  // An empty share where nothing was answered: 0% would read as "all wrong".
  const stat = (s: WeakSpotStat): Cell[] => [
    s.answered,
    s.correct,
    s.answered ? s.share : '',
    s.pretest.answered,
    s.pretest.answered ? s.pretest.share : '',
  ];
  const pct = (first: number) => ({ [first + 2]: '0%', [first + 4]: '0%' });
  const W = [9, 9, 9, 11, 11];
  return [
    {
      name: 'By topic',
      rows: [['Topic tag', ...STAT], ...w.byTag.map((s) => [neutralise(s.tag), ...stat(s)])],
      widths: [28, ...W],
      formats: pct(1),
      wrap: [0],
    },
    {
      name: 'By agency',
      rows: [
        ['Agency', 'Trainees', ...STAT],
        ...w.byAgency.map((s) => [neutralise(s.agency), s.trainees, ...stat(s)]),
      ],
      widths: [30, 9, ...W],
      formats: pct(2),
      wrap: [0],
    },
    {
      name: 'By agency and topic',
      rows: [
        ['Agency', 'Topic tag', ...STAT],
        ...w.byAgencyTag.map((s) => [neutralise(s.agency), neutralise(s.tag), ...stat(s)]),
      ],
      widths: [30, 24, ...W],
      formats: pct(2),
      wrap: [0, 1],
    },
    {
      name: 'By question',
      rows: [
        ['Question ID', 'Question', 'Tags', 'Sessions', ...STAT],
        ...w.byQuestion.map((s) => [
          s.questionId,
          neutralise(s.prompt),
          neutralise(s.tags.join(', ')),
          s.sessions,
          ...stat(s),
        ]),
      ],
      widths: [16, 44, 18, 8, ...W],
      formats: pct(4),
      wrap: [0, 1, 2],
    },
    {
      name: 'Range',
      rows: [
        ['Field', 'Value'],
        ['From', w.from ?? ''],
        ['To', w.to ?? ''],
        ['Course', text(w.course)],
        ['Sessions', w.sessions],
        ['Answers counted (post-test, quiz, live)', w.answers],
        ['Pre-test answers (baseline, not counted)', w.pretestAnswers],
      ],
      widths: [40, 30],
    },
  ];
}
