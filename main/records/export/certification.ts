/**
 * The certification roster across sessions, as a standards body's export profile lays it out
 * (shared/export-profiles.ts): one row per trainee per session, with the columns, headers, date
 * and time format of the profile; a second sheet lists the sessions. The same rows make the
 * workbook, the CSV for upload and the PDF.
 */
import type { Records, SessionRow } from '../db';
import { departmentClock, departmentProfile } from '../department';
import type { DepartmentProfile } from '../department';
import { neutralise, text } from './cells';
import { sessionResults } from './results';
import type { SessionResults } from './results';
import type { ExportOptions } from './session';
import { sessionsInRange } from './across';
import type { RangeInput } from './across';
import { byLastName, namesOf } from './people';
import { sessionInstructors } from './names';
import { writeXlsx } from './xlsx';
import type { Cell, PrintOptions, SheetSpec } from './xlsx';
import {
  ROSTER_COLUMNS,
  SHIPPED_PROFILES,
  formatDate,
  formatTime,
} from '../../../shared/export-profiles';
import type { ExportProfile, RosterColumnField } from '../../../shared/export-profiles';
import { MusterError } from '../../../shared/errors';

/**
 * The profile to use: by id among the department's (or the shipped ones), else the first. An id
 * nobody has throws an `unknown-profile` {@link MusterError} (HTTP 404).
 */
export function pickProfile(
  profiles: readonly ExportProfile[] | undefined,
  id?: string | null,
): ExportProfile {
  const list = profiles?.length ? profiles : SHIPPED_PROFILES;
  if (!id) return list[0];
  const found = list.find((p) => p.id === id);
  if (!found)
    throw new MusterError(
      'unknown-profile',
      `no export profile "${id}" (there are: ${list.map((p) => p.id).join(', ')})`,
    );
  return found;
}

/** One trainee's record of one session: every value a roster column can hold, before formatting. */
export type RosterRecord = Record<Exclude<RosterColumnField, 'fixed'>, string | number>;

/**
 * A session's part of the roster: what the Sessions sheet says of it, and a record of each of its
 * trainees (by last name, as the sign-in sheet lists them). The records server keeps these derived,
 * a session at a time, and lays them out with a profile when asked.
 */
export interface SessionRoster {
  row: SessionRow;
  modules: string;
  trainees: number;
  /** null while it runs. */
  credited: number | null;
  records: RosterRecord[];
}

/** One session's roster records: its results worked out once (or given, already worked out), for both sheets. */
export function sessionRoster(
  records: Records,
  s: SessionRow,
  dept: DepartmentProfile,
  now: number,
  res: SessionResults = sessionResults(records, s.id, dept, now),
): SessionRoster {
  const clock = departmentClock(dept);
  const names = namesOf(records, s.id);
  const modules =
    (
      records.db
        .prepare(`SELECT title FROM session_modules WHERE session_id = ? ORDER BY seq`)
        .pluck()
        .all(s.id) as string[]
    ).join('; ') || s.title;
  const instructors = sessionInstructors(s.instructors, dept.instructors);
  const startDate = clock.date(s.started_at);
  const endDate = s.ended_at === null ? '' : clock.date(s.ended_at);
  const emails = new Map(
    (
      records.db
        .prepare(
          `SELECT UPPER(TRIM(officer_id)) AS k, IFNULL(email, '') AS email FROM roster_entries WHERE session_id = ?`,
        )
        .all(s.id) as { k: string; email: string }[]
    ).map((e) => [e.k, e.email]),
  );
  const rows: RosterRecord[] = [];
  for (const t of res.trainees) {
    const n = names(t.name, t.officerId);
    rows.push({
      lastName: n.last,
      firstName: n.first,
      fullName: t.name,
      officerId: t.officerId,
      agency: t.agency,
      email: emails.get(t.officerId.trim().toUpperCase()) ?? '',
      courseNumber: s.course_number ?? '',
      courseTitle: s.course_title,
      courseId: s.course,
      modules,
      dates: endDate && endDate !== startDate ? `${startDate} – ${endDate}` : startDate,
      startDate,
      endDate: endDate || startDate,
      startTime: clock.time(s.started_at),
      endTime: clock.time(s.ended_at),
      creditHours: t.hoursAwarded ?? '',
      courseHours: s.credit_hours ?? '',
      score: t.scorePercent ?? '',
      result: t.result ?? '',
      presentPercent: t.presentPercent,
      creditEarned: t.creditEarned === null ? '' : t.creditEarned ? 'Yes' : 'No',
      pretest: t.pretestPercent ?? '',
      posttest: t.posttestPercent ?? '',
      instructors: instructors.map((i) => (i.id ? `${i.name} (${i.id})` : i.name)).join('; '),
      instructorNames: instructors.map((i) => i.name).join('; '),
      instructorIds: instructors.map((i) => i.id).join('; '),
      location: s.location ?? '',
      certificate: t.certificate ?? '',
      presentingAgency: dept.agency,
      state: dept.state,
      sessionId: s.id,
    });
  }
  // Each session's people by last name, as the sign-in sheet lists them.
  rows.sort((a, b) =>
    byLastName(
      { last: String(a.lastName), first: String(a.firstName), officerId: String(a.officerId) },
      { last: String(b.lastName), first: String(b.firstName), officerId: String(b.officerId) },
    ),
  );
  return {
    row: s,
    modules,
    trainees: res.trainees.length,
    credited: res.ended ? res.trainees.filter((t) => t.creditEarned).length : null,
    records: rows,
  };
}

/** The roster of every session in the range, oldest first. */
export function rosterSessions(records: Records, r: RangeInput, o: ExportOptions): SessionRoster[] {
  const dept = departmentProfile(o.department);
  const now = o.now ?? Date.now();
  return sessionsInRange(records, r, departmentClock(dept)).map((s) =>
    sessionRoster(records, s, dept, now),
  );
}

const DATE_FIELDS = new Set<RosterColumnField>(['startDate', 'endDate']);
const TIME_FIELDS = new Set<RosterColumnField>(['startTime', 'endTime']);
/** Columns of long text, wrapped when printed. */
const LONG = new Set<RosterColumnField>([
  'dates',
  'courseTitle',
  'modules',
  'instructors',
  'instructorNames',
  'location',
  'fullName',
  'agency',
  'presentingAgency',
]);
const WIDTH: Partial<Record<RosterColumnField, number>> = {
  lastName: 14,
  firstName: 12,
  fullName: 20,
  officerId: 11,
  agency: 22,
  email: 22,
  courseNumber: 9,
  courseTitle: 26,
  modules: 26,
  dates: 12,
  startDate: 11,
  endDate: 11,
  startTime: 7,
  endTime: 7,
  instructors: 24,
  instructorNames: 20,
  instructorIds: 12,
  location: 20,
  certificate: 19,
  presentingAgency: 20,
  sessionId: 36,
};

/** The header of a profile's column: as written in the profile, or the field's own name. */
export function columnHeader(c: ExportProfile['columns'][number], dept: DepartmentProfile): string {
  if (c.header) return c.header;
  return c.field === 'officerId' ? dept.officerIdLabel : ROSTER_COLUMNS[c.field];
}

/** The roster laid out by an export profile: header row first, column widths, the columns that wrap. */
export interface RosterTable {
  rows: Cell[][];
  widths: number[];
  wrap: number[];
  sessions: SessionRoster[];
}

/** Sessions' roster records as a table laid out by the profile. Text is neutralised; IDs stay text. */
export function rosterLayout(
  sessions: SessionRoster[],
  profile: ExportProfile,
  dept: DepartmentProfile,
): RosterTable {
  const cell = (rec: RosterRecord, c: ExportProfile['columns'][number]): Cell => {
    if (c.field === 'fixed') return text(c.value ?? '');
    const v = rec[c.field];
    if (typeof v === 'number') return v;
    if (c.field === 'dates')
      return v
        .split(' – ')
        .map((d) => formatDate(d, profile.dateFormat))
        .join(' – ');
    if (DATE_FIELDS.has(c.field)) return formatDate(v, profile.dateFormat);
    if (TIME_FIELDS.has(c.field)) return formatTime(v, profile.timeFormat);
    return neutralise(v);
  };
  const rows: Cell[][] = [profile.columns.map((c) => neutralise(columnHeader(c, dept)))];
  for (const s of sessions)
    for (const rec of s.records)
      if (profile.include !== 'credit' || rec.creditEarned === 'Yes')
        rows.push(profile.columns.map((c) => cell(rec, c)));
  const widths = profile.columns.map((c) =>
    Math.max(WIDTH[c.field] ?? 9, Math.min(16, columnHeader(c, dept).length + 1)),
  );
  const wrap = profile.columns.flatMap((c, i) => (LONG.has(c.field) ? [i] : []));
  return { rows, widths, wrap, sessions };
}

/** The roster of the sessions in range as a table laid out by the profile. */
export function rosterTable(
  records: Records,
  r: RangeInput,
  profile: ExportProfile,
  o: ExportOptions = {},
): RosterTable {
  return rosterLayout(rosterSessions(records, r, o), profile, departmentProfile(o.department));
}

/** The roster sheet (by the profile) and the sessions it covers. */
export function certificationRosterSheets(
  records: Records,
  r: RangeInput,
  o: ExportOptions & { profile?: string | null } = {},
): SheetSpec[] {
  return rosterSheetsOf(rosterSessions(records, r, o), o);
}

/** The roster's sheets from sessions' roster records, oldest session first (the records server's are derived). */
export function rosterSheetsOf(
  sessions: SessionRoster[],
  o: ExportOptions & { profile?: string | null } = {},
): SheetSpec[] {
  const dept = departmentProfile(o.department);
  const clock = departmentClock(dept);
  const now = o.now ?? Date.now();
  const profile = pickProfile(o.profiles, o.profile);
  const table = rosterLayout(sessions, profile, dept);
  const list: Cell[][] = [
    [
      'Session ID',
      'Session date',
      'Course title',
      'Course number',
      'Modules',
      'Started',
      'Ended',
      'Trainees',
      'Earned credit',
    ],
  ];
  for (const { row: s, modules, trainees, credited } of table.sessions)
    list.push([
      s.id,
      clock.date(s.started_at),
      text(s.course_title),
      text(s.course_number),
      neutralise(modules),
      clock.dateTime(s.started_at),
      clock.dateTime(s.ended_at),
      trainees,
      credited ?? '',
    ]);
  list.push(
    [],
    [`Times are local, ${clock.label(now)}.`],
    [`Laid out by the export profile “${profile.name}”.`],
  );
  return [
    { name: 'Roster', rows: table.rows, widths: table.widths, wrap: table.wrap, landscape: true },
    { name: 'Sessions', rows: list, widths: [36, 11, 28, 9, 28, 16, 16, 8, 8], wrap: [2, 4] },
  ];
}

/** The footer of a printed roster: the range. */
export function rosterPrint(r: RangeInput): PrintOptions {
  return {
    footerLeft: `Certification roster${r.course ? ` — ${r.course}` : ''}`,
    footerCenter: `${r.from || 'start'} to ${r.to || 'today'}`,
  };
}

/** The certification roster across sessions, as an xlsx file. */
export function certificationRoster(
  records: Records,
  r: RangeInput,
  o: ExportOptions & { profile?: string | null } = {},
): Buffer {
  return writeXlsx(certificationRosterSheets(records, r, o), rosterPrint(r));
}
