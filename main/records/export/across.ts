/**
 * Records across sessions: the certification roster by date range and course, one trainee's
 * training history, trainee search, and the weak-spot report (item analysis by topic tag and by
 * agency).
 */
import type { Records, SessionRow } from '../db';
import { departmentProfile } from '../department';
import { iso, localDate, neutralise, parseDay, text } from './cells';
import { loadResponses, loadRuns, sessionResults } from './results';
import type { ExportOptions } from './session';
import { writeXlsx } from './xlsx';
import type { Cell, SheetSpec } from './xlsx';
import type { HistoryEntry, SessionListItem, TraineeHistory, TraineeMatch, WeakSpotStat, WeakSpots } from '../../../shared/records';

export type { HistoryEntry, SessionListItem, TraineeHistory, TraineeMatch, WeakSpotStat, WeakSpots };

export interface RangeInput {
  /** First day, YYYY-MM-DD (local), inclusive. */
  from?: string | null;
  /** Last day, YYYY-MM-DD (local), inclusive. */
  to?: string | null;
  /** A course id or course number. */
  course?: string | null;
}

/** A bad --from/--to/?from=&to=: the message says which and why. */
export class DateRangeError extends Error {}

export function parseRange(r: RangeInput): { start: number; end: number; course: string | null } {
  const day = (name: string, v: string | null | undefined) => {
    if (v === undefined || v === null || v === '') return null;
    const d = parseDay(v);
    if (!d) throw new DateRangeError(`${name}: not a date (YYYY-MM-DD): ${JSON.stringify(v)}`);
    return d;
  };
  const from = day('from', r.from);
  const to = day('to', r.to);
  if (from && to && from.start > to.start) throw new DateRangeError(`from: ${r.from} is after to: ${r.to}`);
  return { start: from?.start ?? -8.64e15, end: to?.end ?? 8.64e15, course: r.course?.trim() || null };
}

/** The sessions that started within the range (local days), oldest first. */
export function sessionsInRange(records: Records, r: RangeInput): SessionRow[] {
  const { start, end, course } = parseRange(r);
  return records.db
    .prepare(`SELECT * FROM sessions WHERE started_at >= ? AND started_at < ? AND (? IS NULL OR course = ? OR course_number = ?) ORDER BY started_at, id`)
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

// ---------------------------------------------------------------- certification roster

export function certificationRosterSheets(records: Records, r: RangeInput, o: ExportOptions = {}): SheetSpec[] {
  const dept = departmentProfile(o.department);
  const now = o.now ?? Date.now();
  const rows: Cell[][] = [
    [dept.officerIdLabel, 'Name', 'Agency', 'Course title', 'Course number', 'Session date', 'Hours awarded', 'Score %', 'Result', 'Certificate number', 'Present %', 'Credit earned', 'Session ID'],
  ];
  const sessions: Cell[][] = [['Session ID', 'Session date', 'Course title', 'Course number', 'Module', 'Started', 'Ended', 'Trainees', 'Earned credit']];
  for (const s of sessionsInRange(records, r)) {
    const res = sessionResults(records, s.id, dept, now);
    const date = localDate(s.started_at);
    const title = text(s.course_title);
    const number = text(s.course_number);
    for (const t of res.trainees)
      rows.push([
        neutralise(t.officerId),
        neutralise(t.name),
        neutralise(t.agency),
        title,
        number,
        date,
        t.hoursAwarded ?? '',
        t.scorePercent ?? '',
        t.result ?? '',
        t.certificate ?? '',
        t.presentPercent,
        t.creditEarned === null ? '' : t.creditEarned ? 'Yes' : 'No',
        s.id,
      ]);
    sessions.push([s.id, date, title, number, text(s.title), iso(s.started_at), iso(s.ended_at), res.trainees.length, res.ended ? res.trainees.filter((t) => t.creditEarned).length : '']);
  }
  return [
    { name: 'Roster', rows, widths: [14, 28, 28, 40, 16, 12, 13, 9, 8, 24, 10, 13, 38] },
    { name: 'Sessions', rows: sessions, widths: [38, 12, 40, 16, 36, 26, 26, 9, 13] },
  ];
}

/** The certification roster across sessions, as an xlsx file. */
export function certificationRoster(records: Records, r: RangeInput, o: ExportOptions = {}): Buffer {
  return writeXlsx(certificationRosterSheets(records, r, o));
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
export function traineeHistory(records: Records, officerId: string, o: ExportOptions = {}): TraineeHistory {
  const dept = departmentProfile(o.department);
  const now = o.now ?? Date.now();
  const id = officerId.trim();
  const found = records.db
    .prepare(
      `SELECT t.id, t.session_id, t.officer_id FROM trainees t JOIN sessions s ON s.id = t.session_id
       WHERE UPPER(TRIM(t.officer_id)) = UPPER(?) ORDER BY s.started_at, s.id`,
    )
    .all(id) as { id: string; session_id: string; officer_id: string }[];
  const sessions: HistoryEntry[] = [];
  for (const f of found) {
    const res = sessionResults(records, f.session_id, dept, now);
    const t = res.trainees.find((x) => x.traineeId === f.id);
    if (!t) continue;
    const s = res.session;
    sessions.push({
      sessionId: s.id,
      date: localDate(s.started_at),
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
    });
  }
  const last = sessions.at(-1);
  return {
    officerId: found.at(-1)?.officer_id ?? id,
    name: last?.name ?? '',
    agency: last?.agency ?? '',
    totalHours: sessions.reduce((n, s) => n + (s.hoursAwarded ?? 0), 0),
    sessions,
  };
}

export function traineeHistorySheets(h: TraineeHistory, o: ExportOptions = {}): SheetSpec[] {
  const dept = departmentProfile(o.department);
  const rows: Cell[][] = [
    ['Session date', 'Course title', 'Course number', 'Module', 'Name', dept.officerIdLabel, 'Agency', 'Check-in', 'Check-out', 'Present %', 'Score %', 'Result', 'Credit earned', 'Hours awarded', 'Certificate number', 'Session ID'],
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
      iso(s.checkIn),
      iso(s.checkOut),
      s.presentPercent,
      s.scorePercent ?? '',
      s.result ?? '',
      s.creditEarned === null ? '' : s.creditEarned ? 'Yes' : 'No',
      s.hoursAwarded ?? '',
      s.certificate ?? '',
      s.sessionId,
    ]);
  return [{ name: 'History', rows, widths: [12, 40, 16, 36, 28, 14, 28, 26, 26, 10, 9, 8, 13, 13, 24, 38] }];
}

// ---------------------------------------------------------------- weak spots

export const UNTAGGED = '(untagged)';
const agencyKey = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Item analysis across sessions: the share of correct answers to graded questions (course
 * evaluations and polls left out), by topic tag, by agency (spelled however trainees typed it,
 * grouped case-insensitively), by both, and by question. Weakest first.
 */
export function weakSpots(records: Records, r: RangeInput): WeakSpots {
  const sessions = sessionsInRange(records, r);
  const tally = <T extends object>(m: Map<string, WeakSpotStat & T>, key: string, init: () => T, ok: boolean) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = { answered: 0, correct: 0, share: 0, ...init() }));
    s.answered++;
    if (ok) s.correct++;
    return s;
  };
  const byTag = new Map<string, WeakSpotStat & { tag: string }>();
  const byAgency = new Map<string, WeakSpotStat & { agency: string; people: Set<string> }>();
  const byAgencyTag = new Map<string, WeakSpotStat & { agency: string; tag: string }>();
  const byQuestion = new Map<string, WeakSpotStat & { questionId: string; prompt: string; tags: string[]; ids: Set<string> }>();
  let answers = 0;
  for (const s of sessions) {
    const all = loadRuns(records, s.id);
    const runs = new Map(all.filter((x) => x.scored).map((x) => [x.id, x]));
    if (!runs.size) continue;
    const people = new Map(
      (records.db.prepare(`SELECT id, officer_id, agency FROM trainees WHERE session_id = ?`).all(s.id) as { id: string; officer_id: string; agency: string }[]).map((t) => [t.id, t]),
    );
    for (const resp of loadResponses(records, s.id, all)) {
      const run = runs.get(resp.runId);
      if (!run) continue;
      answers++;
      const ok = resp.ok === true;
      const person = people.get(resp.traineeId);
      const agency = person?.agency.trim() || '(no agency)';
      const aKey = agencyKey(agency);
      const tags = run.q.tags?.length ? [...new Set(run.q.tags)] : [UNTAGGED];
      for (const tag of tags) {
        tally(byTag, tag, () => ({ tag }), ok);
        tally(byAgencyTag, `${aKey}\u0000${tag}`, () => ({ agency, tag }), ok);
      }
      tally(byAgency, aKey, () => ({ agency, people: new Set<string>() }), ok).people.add(person ? person.officer_id.trim().toUpperCase() : resp.traineeId);
      tally(byQuestion, run.q.id, () => ({ questionId: run.q.id, prompt: run.q.prompt, tags: run.q.tags ?? [], ids: new Set<string>() }), ok).ids.add(s.id);
    }
  }
  const finish = <T extends WeakSpotStat>(xs: Iterable<T>): T[] =>
    [...xs]
      .map((x) => ({ ...x, share: x.answered ? Math.round((x.correct / x.answered) * 10000) / 10000 : 0 }))
      .sort((a, b) => a.share - b.share || b.answered - a.answered);
  return {
    from: r.from || null,
    to: r.to || null,
    course: r.course || null,
    sessions: sessions.length,
    answers,
    byTag: finish(byTag.values()),
    byAgency: finish(byAgency.values()).map(({ people, ...x }) => ({ ...x, trainees: people.size })),
    byAgencyTag: finish(byAgencyTag.values()),
    byQuestion: finish(byQuestion.values()).map(({ ids, ...x }) => ({ ...x, sessions: ids.size })),
  };
}

export function weakSpotsSheets(w: WeakSpots): SheetSpec[] {
  const stat = (s: WeakSpotStat): Cell[] => [s.answered, s.correct, s.share];
  return [
    { name: 'By topic', rows: [['Topic tag', 'Answers', 'Correct', 'Share correct'], ...w.byTag.map((s) => [neutralise(s.tag), ...stat(s)])], widths: [30, 10, 10, 14], formats: { 3: '0%' } },
    {
      name: 'By agency',
      rows: [['Agency', 'Trainees', 'Answers', 'Correct', 'Share correct'], ...w.byAgency.map((s) => [neutralise(s.agency), s.trainees, ...stat(s)])],
      widths: [34, 10, 10, 10, 14],
      formats: { 4: '0%' },
    },
    {
      name: 'By agency and topic',
      rows: [['Agency', 'Topic tag', 'Answers', 'Correct', 'Share correct'], ...w.byAgencyTag.map((s) => [neutralise(s.agency), neutralise(s.tag), ...stat(s)])],
      widths: [34, 30, 10, 10, 14],
      formats: { 4: '0%' },
    },
    {
      name: 'By question',
      rows: [
        ['Question ID', 'Question', 'Tags', 'Sessions', 'Answers', 'Correct', 'Share correct'],
        ...w.byQuestion.map((s) => [s.questionId, neutralise(s.prompt), neutralise(s.tags.join(', ')), s.sessions, ...stat(s)]),
      ],
      widths: [26, 60, 30, 10, 10, 10, 14],
      formats: { 6: '0%' },
    },
    {
      name: 'Range',
      rows: [
        ['Field', 'Value'],
        ['From', w.from ?? ''],
        ['To', w.to ?? ''],
        ['Course', text(w.course)],
        ['Sessions', w.sessions],
        ['Answers', w.answers],
      ],
      widths: [12, 30],
    },
  ];
}
