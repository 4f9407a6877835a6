/**
 * The per-session workbook: Summary, Attendance, Scores, Responses, Item analysis, Q&A, Evaluation,
 * Audit log (and Scenarios when role-play was played). Every string a trainee (or an imported
 * course) could have typed goes through neutralise(); officer IDs stay text.
 */
import type { Records } from '../db';
import { departmentClock, departmentProfile, describeRule } from '../department';
import type { Department, DepartmentProfile } from '../department';
import { answerCell, localInstants, neutralise, readableJson, text } from './cells';
import { loadResponses, loadRuns, sessionResults } from './results';
import type { LoadedResponse, LoadedRun, SessionResults } from './results';
import { rosterNoShows } from './people';
import { itemAnalysisSheet, itemStats } from './item-analysis';
import type { RosterLine } from './people';
import type { Cell, PrintOptions, SheetSpec } from './xlsx';
import { withScenarioJudgement } from './scenario-judgement';
import { departmentGapsSessionSheet, isDepartmentGap } from '../department-gaps';
import type { Clock } from '../../../shared/clock';
import type { ExportProfile } from '../../../shared/export-profiles';

export interface ExportOptions {
  /** The department profile from settings; defaults for whatever is unset. */
  department?: Department;
  /** The department's export profiles from settings (the shipped ones when it has none). */
  profiles?: ExportProfile[];
  /** "Now" for a session still running (tests pin it). */
  now?: number;
}

export const SESSION_SHEETS = [
  'Summary',
  'Attendance',
  'Scores',
  'Responses',
  'Item analysis',
  'Q&A',
  'Evaluation',
  'Audit log',
  'Scenarios',
  'Department gaps',
] as const;
export type SessionSheet = (typeof SESSION_SHEETS)[number];

const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'Yes' : 'No');
const orBlank = (n: number | null): Cell => (n === null ? '' : n);

/** Whether a table (and which of its columns) exists: sheets from newer migrations are written defensively. */
function tableColumns(records: Records, table: string): Set<string> {
  const rows = records.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as {
    name: string;
  }[];
  return new Set(rows.map((r) => r.name));
}

export function countRows(records: Records, table: string, sessionId: string): number {
  if (!tableColumns(records, table).has('session_id')) return 0;
  return (
    records.db
      .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE session_id = ?`)
      .get(sessionId) as { n: number }
  ).n;
}

function summarySheet(
  records: Records,
  res: SessionResults,
  dept: DepartmentProfile,
  counts: { responses: number; absent: number },
  now: number,
  clock: Clock,
): SheetSpec {
  const s = res.session;
  const rows: Cell[][] = [
    ['Field', 'Value'],
    ['Course', text(s.course_title)],
    ['Course number', text(s.course_number)],
    ['Course ID', text(s.course)],
    ['Module', text(s.title)],
    ['Modules presented', modulesPresented(records, s.id, s.title)],
    ['Session ID', s.id],
    ['Session date', clock.date(s.started_at)],
    ['Started', clock.dateTime(s.started_at)],
    ['Ended', clock.dateTime(s.ended_at)],
    // Every time in this workbook is local time in this zone, to the minute.
    ['Time zone', clock.label(s.started_at)],
    ['Status', res.ended ? 'Ended' : 'In progress'],
    ['Duration (minutes)', res.durationMinutes],
    ['Credit hours', orBlank(s.credit_hours)],
    ['Pass mark (%)', res.passMark],
    ['Pass mark set by', res.passMarkSource === 'course' ? 'Course' : 'Department default'],
    ['Credit rule', describeRule(dept)],
    ['Late grace (minutes)', dept.lateGraceMinutes],
    ['Instructors', text(s.instructors)],
    ['Location', text(s.location)],
    ['Presenting agency', text(dept.agency)],
    ['State', text(dept.state)],
    ['Trainees', res.trainees.length],
    ['Rostered, never joined', counts.absent],
    ['Passed', res.trainees.filter((t) => t.result === 'Pass').length],
    ['Earned credit', res.ended ? res.trainees.filter((t) => t.creditEarned).length : ''],
    ['Questions asked', res.runs.length],
    ['Graded questions', res.gradedQuestions],
    ['Score based on', res.scoredOn ?? ''],
    ...assessmentSummary(res),
    ['Responses', counts.responses],
    ['Q&A questions', countRows(records, 'qa_questions', s.id)],
    ['Audit entries', countRows(records, 'audit_log', s.id)],
    ['Exported at', clock.dateTime(now)],
  ];
  return { name: 'Summary', rows, widths: [30, 62], wrap: [0, 1] };
}

/** The modules (decks) the session presented, in order ("A; B; C"); the one it started with on older records. */
function modulesPresented(records: Records, sessionId: string, first: string): string {
  if (!tableColumns(records, 'session_modules').has('title')) return text(first);
  const titles = records.db
    .prepare(`SELECT title FROM session_modules WHERE session_id = ? ORDER BY seq`)
    .pluck()
    .all(sessionId) as string[];
  return neutralise((titles.length ? titles : [first]).join('; '));
}

/** The pre-test and post-test of the session, and the class's knowledge gain over those who took both. */
function assessmentSummary(res: SessionResults): Cell[][] {
  const mean = (xs: number[]) =>
    xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : '';
  const pre = res.trainees.filter((t) => t.pretestPercent !== null).map((t) => t.pretestPercent!);
  const post = res.trainees
    .filter((t) => t.posttestPercent !== null)
    .map((t) => t.posttestPercent!);
  if (!pre.length && !post.length) return [];
  const both = res.trainees.filter((t) => t.gain !== null).map((t) => t.gain!);
  return [
    ['Pre-test takers', pre.length],
    ['Pre-test mean %', mean(pre)],
    ['Post-test takers', post.length],
    ['Post-test mean %', mean(post)],
    ['Knowledge gain (mean points, trainees with both)', mean(both)],
  ];
}

function attendanceSheet(
  res: SessionResults,
  absent: RosterLine[],
  idLabel: string,
  clock: Clock,
): SheetSpec {
  const rows: Cell[][] = [
    [
      'Name',
      idLabel,
      'Agency',
      'Status',
      'Check-in',
      'Check-out',
      'Minutes present',
      'Connected intervals',
      'Minutes in class',
      'Present %',
      'Late arrival',
      'Minutes late',
      'Early departure',
      'Minutes early',
      'Corrected',
      'Correction reason',
    ],
  ];
  for (const a of res.trainees)
    rows.push([
      neutralise(a.name),
      neutralise(a.officerId),
      neutralise(a.agency),
      a.checkIn === null ? 'Absent' : 'Present',
      clock.dateTime(a.checkIn),
      clock.dateTime(a.checkOut),
      a.minutesPresent,
      a.intervals,
      a.minutesInClass,
      a.presentPercent,
      yesNo(a.late),
      a.minutesLate,
      yesNo(a.earlyDeparture),
      a.minutesEarly,
      // A manual correction (check-in/out replaced, minutes = the corrected span); its who and when are in the Audit log.
      yesNo(a.corrected),
      text(a.correctionReason),
    ]);
  // On the roster, never joined: absent until a correction (from the paper sheet) says otherwise.
  for (const r of absent)
    rows.push([
      neutralise(r.name),
      neutralise(r.officerId),
      neutralise(r.agency),
      'Absent',
      '',
      '',
      0,
      0,
      0,
      0,
      '',
      0,
      '',
      0,
      'No',
      '',
    ]);
  return {
    name: 'Attendance',
    rows,
    widths: [24, 11, 20, 8, 16, 16, 9, 10, 9, 8, 8, 8, 9, 8, 10, 28],
    wrap: [0, 2, 15],
  };
}

function scoresSheet(res: SessionResults, idLabel: string): SheetSpec {
  const rows: Cell[][] = [
    [
      'Name',
      idLabel,
      'Agency',
      'Graded questions',
      'Answered',
      'Correct',
      'Score %',
      'Pass mark %',
      'Result',
      'Pre-test %',
      'Post-test %',
      'Gain (points)',
      'Present %',
      'Evaluation submitted',
      'Credit earned',
      'Hours awarded',
      'Certificate number',
    ],
  ];
  for (const t of res.trainees)
    rows.push([
      neutralise(t.name),
      neutralise(t.officerId),
      neutralise(t.agency),
      res.gradedQuestions,
      t.answered,
      t.correct,
      orBlank(t.scorePercent),
      res.passMark,
      t.result ?? '',
      orBlank(t.pretestPercent),
      orBlank(t.posttestPercent),
      orBlank(t.gain),
      t.presentPercent,
      yesNo(t.evaluationSubmitted),
      yesNo(t.creditEarned),
      orBlank(t.hoursAwarded),
      t.certificate ?? '',
    ]);
  return {
    name: 'Scores',
    rows,
    widths: [24, 11, 20, 9, 9, 8, 7, 7, 7, 8, 8, 8, 8, 11, 8, 7, 20],
    wrap: [0, 2],
  };
}

/** The record score of one answer (0–1, partial credit where the question allows it), or '' for a poll or survey. */
const scoreCell = (s: number | null): number | '' =>
  s === null ? '' : Math.round(s * 10000) / 10000;

interface People {
  name: Map<string, string>;
  officerId: Map<string, string>;
  agency: Map<string, string>;
}

function responsesSheet(
  runs: Map<string, LoadedRun>,
  responses: LoadedResponse[],
  people: People,
  idLabel: string,
  clock: Clock,
): SheetSpec {
  const prompts = new Map<string, string>();
  function* each(): Iterable<Cell[]> {
    yield [
      'Name',
      idLabel,
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Correct',
      'Score',
      'First answered',
      'Final answer at',
      'Changes',
    ];
    for (const r of responses) {
      const run = runs.get(r.runId)!;
      let prompt = prompts.get(r.runId);
      if (prompt === undefined) prompts.set(r.runId, (prompt = neutralise(run.q.prompt)));
      yield [
        people.name.get(r.traineeId) ?? '',
        people.officerId.get(r.traineeId) ?? '',
        run.q.id,
        prompt,
        run.q.type,
        answerCell(run.q, r.value),
        r.correct === null ? '' : r.correct ? 'Yes' : 'No',
        scoreCell(r.score),
        clock.dateTime(r.firstAt),
        clock.dateTime(r.answeredAt),
        r.changes,
      ];
    }
  }
  // Made as they are written: 120,000 answers are never all rows at once.
  const rows = { count: responses.length + 1, width: 11, each };
  // The question's text is cut to its column here (Item analysis has it whole): one line per answer.
  return {
    name: 'Responses',
    rows,
    widths: [22, 11, 16, 44, 9, 30, 8, 7, 16, 16, 8],
    formats: { 7: '0%' },
    wrap: [0, 5],
  };
}

/** Q&A from the `qa_questions` table when it exists. An anonymous question never shows who asked. */
function qaSheet(records: Records, sessionId: string, idLabel: string, clock: Clock): SheetSpec {
  const rows: Cell[][] = [
    ['Asked at', 'Name', idLabel, 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
  ];
  const cols = tableColumns(records, 'qa_questions');
  if (cols.has('session_id') && cols.has('text')) {
    const c = (name: string) => (cols.has(name) ? `q.${name}` : 'NULL');
    const anonymous = cols.has('anonymous') ? 'q.anonymous' : '0';
    // The join itself is conditional: for an anonymous question not even the name is read.
    const join = cols.has('trainee_id')
      ? `LEFT JOIN trainees t ON t.id = q.trainee_id AND IFNULL(${anonymous}, 1) = 0`
      : 'LEFT JOIN trainees t ON 0';
    const found = records.db
      .prepare(
        `SELECT ${c('created_at')} AS created_at, t.name, t.officer_id, ${anonymous} AS anonymous, q.text, ${c('status')} AS status, ${c('pinned')} AS pinned, ${c('votes')} AS votes
         FROM qa_questions q ${join} WHERE q.session_id = ? ORDER BY ${c('created_at')}, q.rowid`,
      )
      .all(sessionId) as {
      created_at: number | null;
      name: string | null;
      officer_id: string | null;
      anonymous: number | null;
      text: string;
      status: string | null;
      pinned: number | null;
      votes: number | null;
    }[];
    for (const q of found) {
      const anon = q.anonymous !== 0;
      rows.push([
        clock.dateTime(q.created_at),
        anon ? '' : text(q.name),
        anon ? '' : text(q.officer_id),
        anon ? 'Yes' : 'No',
        neutralise(q.text),
        text(q.status),
        q.pinned === null ? '' : q.pinned ? 'Yes' : 'No',
        q.votes ?? '',
      ]);
    }
  }
  return { name: 'Q&A', rows, widths: [16, 22, 11, 10, 60, 10, 7, 6], wrap: [1, 4] };
}

function evaluationSheet(
  runs: Map<string, LoadedRun>,
  responses: LoadedResponse[],
  people: People,
  idLabel: string,
  clock: Clock,
): SheetSpec {
  function* each(): Iterable<Cell[]> {
    yield ['Name', idLabel, 'Agency', 'Question ID', 'Question', 'Type', 'Answer', 'Answered at'];
    for (const r of responses) {
      const run = runs.get(r.runId)!;
      if (!run.evaluation) continue;
      yield [
        people.name.get(r.traineeId) ?? '',
        people.officerId.get(r.traineeId) ?? '',
        people.agency.get(r.traineeId) ?? '',
        run.q.id,
        neutralise(run.q.prompt),
        run.q.type,
        answerCell(run.q, r.value),
        clock.dateTime(r.answeredAt),
      ];
    }
  }
  let count = 1;
  for (const r of responses) if (runs.get(r.runId)!.evaluation) count++;
  return {
    name: 'Evaluation',
    rows: { count, width: 8, each },
    widths: [22, 11, 18, 14, 40, 8, 40, 16],
    wrap: [0, 2, 4, 6],
  };
}

function auditSheet(records: Records, sessionId: string, clock: Clock): SheetSpec {
  const rows: Cell[][] = [
    ['Time', 'Actor', 'Action', 'Entity', 'Entity ID', 'Before', 'After', 'Reason'],
  ];
  const found = records.db
    .prepare(
      `SELECT at, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as {
    at: number;
    actor: string;
    action: string;
    entity: string;
    entity_id: string;
    before_json: string | null;
    after_json: string | null;
    reason: string;
  }[];
  for (const a of found)
    rows.push([
      clock.dateTime(a.at),
      text(a.actor),
      text(a.action),
      text(a.entity),
      text(a.entity_id),
      readableJson(a.before_json, clock),
      readableJson(a.after_json, clock),
      localInstants(a.reason, clock),
    ]);
  return { name: 'Audit log', rows, widths: [16, 12, 16, 10, 20, 36, 36, 36], wrap: [4, 5, 6, 7] };
}

/** Role-play: the path the class took, each decision with the split of its vote. */
function scenariosSheet(records: Records, sessionId: string, clock: Clock): SheetSpec | null {
  const steps = records.db
    .prepare(
      `SELECT scenario_id, play_id, step, from_node, option_id, to_node, run_id, at FROM scenario_steps WHERE session_id = ? ORDER BY seq`,
    )
    .all(sessionId) as {
    scenario_id: string;
    play_id: string;
    step: number;
    from_node: string;
    option_id: string;
    to_node: string;
    run_id: string | null;
    at: number;
  }[];
  if (!steps.length) return null;
  const votes = records.db.prepare(
    `SELECT value_json, COUNT(*) AS n FROM responses WHERE run_id = ? GROUP BY value_json`,
  );
  const rows: Cell[][] = [
    [
      'Scenario',
      'Play',
      'Step',
      'At decision',
      'Branch followed',
      'Led to',
      'Votes',
      'Vote split',
      'Time',
    ],
  ];
  for (const st of steps) {
    const split = st.run_id ? (votes.all(st.run_id) as { value_json: string; n: number }[]) : [];
    const total = split.reduce((n, v) => n + v.n, 0);
    rows.push([
      st.scenario_id,
      st.play_id,
      st.step,
      st.from_node,
      st.option_id,
      st.to_node,
      st.run_id ? total : '',
      split.map((v) => `${neutralise(JSON.parse(v.value_json) as string)}: ${v.n}`).join(' | '),
      clock.dateTime(st.at),
    ]);
  }
  return {
    name: 'Scenarios',
    rows,
    widths: [18, 12, 5, 16, 18, 16, 6, 44, 16],
    wrap: [0, 3, 4, 5, 7],
  };
}

/** The sheets of a session's workbook, in order. */
export function sessionSheets(
  records: Records,
  sessionId: string,
  o: ExportOptions = {},
): SheetSpec[] {
  const now = o.now ?? Date.now();
  const dept = departmentProfile(o.department);
  const runs = loadRuns(records, sessionId);
  const responses = loadResponses(records, sessionId, runs);
  const res = sessionResults(records, sessionId, dept, now, { runs, responses });
  const people: People = { name: new Map(), officerId: new Map(), agency: new Map() };
  for (const t of res.trainees) {
    people.name.set(t.traineeId, neutralise(t.name));
    people.officerId.set(t.traineeId, neutralise(t.officerId));
    people.agency.set(t.traineeId, neutralise(t.agency));
  }
  const runMap = new Map(runs.map((r) => [r.id, r]));
  const label = dept.officerIdLabel;
  const clock = departmentClock(dept);
  const absent = rosterNoShows(records, sessionId);
  const sheets: SheetSpec[] = [
    summarySheet(
      records,
      res,
      dept,
      { responses: responses.length, absent: absent.length },
      now,
      clock,
    ),
    attendanceSheet(res, absent, label, clock),
    withScenarioJudgement(scoresSheet(res, label), res, runs, responses),
    // The department gap audit is anonymous: its answers are only in the Department gaps totals.
    responsesSheet(
      runMap,
      responses.filter((r) => !isDepartmentGap(runMap.get(r.runId)!.q)),
      people,
      label,
      clock,
    ),
    itemAnalysisSheet(itemStats(runs, responses), clock),
    qaSheet(records, sessionId, label, clock),
    evaluationSheet(runMap, responses, people, label, clock),
    auditSheet(records, sessionId, clock),
  ];
  const scenarios = scenariosSheet(records, sessionId, clock);
  if (scenarios) sheets.push(scenarios);
  const gaps = departmentGapsSessionSheet(records, sessionId, { runs, responses });
  if (gaps) sheets.push(gaps);
  return sheets;
}

/** The footer of a session's printed pages: the course and the session's date. */
export function sessionPrint(
  records: Records,
  sessionId: string,
  o: ExportOptions = {},
): PrintOptions {
  const s = records.session(sessionId);
  if (!s) return {};
  const clock = departmentClock(departmentProfile(o.department));
  return {
    footerLeft: [s.course_number, s.course_title].filter(Boolean).join(' '),
    footerCenter: clock.date(s.started_at),
  };
}

/** One sheet by name, matched loosely: "Item analysis", "item-analysis", "itemanalysis", "qa" for Q&A. */
export function findSheet(sheets: SheetSpec[], name: string): SheetSpec | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return sheets.find((s) => key(s.name) === key(name));
}
