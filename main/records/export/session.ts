/**
 * The per-session workbook: Summary, Attendance, Scores, Responses, Item analysis, Q&A, Evaluation,
 * Audit log (and Scenarios when role-play was played). Every string a trainee (or an imported
 * course) could have typed goes through neutralise(); officer IDs stay text.
 */
import type { Records } from '../db';
import { departmentProfile, describeRule } from '../department';
import type { Department, DepartmentProfile } from '../department';
import { correctLabels } from '../../../shared/question';
import { fmt, tally } from '../../../shared/results';
import type { AnswerValue, QuestionDef } from '../../../shared/question';
import { answerCell, iso, localDate, neutralise, text } from './cells';
import { loadResponses, loadRuns, sessionResults } from './results';
import type { LoadedResponse, LoadedRun, SessionResults } from './results';
import type { Cell, SheetSpec } from './xlsx';
import { withScenarioJudgement } from './scenario-judgement';
import { departmentGapsSessionSheet, isDepartmentGap } from '../department-gaps';

export interface ExportOptions {
  /** The department profile from settings; defaults for whatever is unset. */
  department?: Department;
  /** "Now" for a session still running (tests pin it). */
  now?: number;
}

export const SESSION_SHEETS = ['Summary', 'Attendance', 'Scores', 'Responses', 'Item analysis', 'Q&A', 'Evaluation', 'Audit log', 'Scenarios', 'Department gaps'] as const;
export type SessionSheet = (typeof SESSION_SHEETS)[number];

const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'Yes' : 'No');
const orBlank = (n: number | null): Cell => (n === null ? '' : n);
const MAX_CHOICES = 12;

/** Whether a table (and which of its columns) exists: sheets from newer migrations are written defensively. */
function tableColumns(records: Records, table: string): Set<string> {
  const rows = records.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

export function countRows(records: Records, table: string, sessionId: string): number {
  if (!tableColumns(records, table).has('session_id')) return 0;
  return (records.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE session_id = ?`).get(sessionId) as { n: number }).n;
}

function summarySheet(records: Records, res: SessionResults, dept: DepartmentProfile, counts: { responses: number }, now: number): SheetSpec {
  const s = res.session;
  const rows: Cell[][] = [
    ['Field', 'Value'],
    ['Course', text(s.course_title)],
    ['Course number', text(s.course_number)],
    ['Course ID', text(s.course)],
    ['Module', text(s.title)],
    ['Modules presented', modulesPresented(records, s.id, s.title)],
    ['Session ID', s.id],
    ['Session date', localDate(s.started_at)],
    ['Started', iso(s.started_at)],
    ['Ended', iso(s.ended_at)],
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
    ['Passed', res.trainees.filter((t) => t.result === 'Pass').length],
    ['Earned credit', res.ended ? res.trainees.filter((t) => t.creditEarned).length : ''],
    ['Questions asked', res.runs.length],
    ['Graded questions', res.gradedQuestions],
    ['Score based on', res.scoredOn ?? ''],
    ...assessmentSummary(res),
    ['Responses', counts.responses],
    ['Q&A questions', countRows(records, 'qa_questions', s.id)],
    ['Audit entries', countRows(records, 'audit_log', s.id)],
    ['Exported at', iso(now)],
  ];
  return { name: 'Summary', rows, widths: [22, 60] };
}

/** The modules (decks) the session presented, in order ("A; B; C"); the one it started with on older records. */
function modulesPresented(records: Records, sessionId: string, first: string): string {
  if (!tableColumns(records, 'session_modules').has('title')) return text(first);
  const titles = records.db.prepare(`SELECT title FROM session_modules WHERE session_id = ? ORDER BY seq`).pluck().all(sessionId) as string[];
  return neutralise((titles.length ? titles : [first]).join('; '));
}

/** The pre-test and post-test of the session, and the class's knowledge gain over those who took both. */
function assessmentSummary(res: SessionResults): Cell[][] {
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : '');
  const pre = res.trainees.filter((t) => t.pretestPercent !== null).map((t) => t.pretestPercent!);
  const post = res.trainees.filter((t) => t.posttestPercent !== null).map((t) => t.posttestPercent!);
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

function attendanceSheet(res: SessionResults, idLabel: string): SheetSpec {
  const rows: Cell[][] = [
    ['Name', idLabel, 'Agency', 'Check-in', 'Check-out', 'Minutes present', 'Connected intervals', 'Minutes in class', 'Present %', 'Late arrival', 'Minutes late', 'Early departure', 'Minutes early', 'Corrected', 'Correction reason'],
  ];
  for (const a of res.trainees)
    rows.push([
      neutralise(a.name),
      neutralise(a.officerId),
      neutralise(a.agency),
      iso(a.checkIn),
      iso(a.checkOut),
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
  return { name: 'Attendance', rows, widths: [28, 14, 28, 26, 26, 16, 20, 16, 10, 13, 13, 15, 14, 11, 40] };
}

function scoresSheet(res: SessionResults, idLabel: string): SheetSpec {
  const rows: Cell[][] = [
    ['Name', idLabel, 'Agency', 'Graded questions', 'Answered', 'Correct', 'Score %', 'Pass mark %', 'Result', 'Pre-test %', 'Post-test %', 'Gain (points)', 'Present %', 'Evaluation submitted', 'Credit earned', 'Hours awarded', 'Certificate number'],
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
  return { name: 'Scores', rows, widths: [28, 14, 28, 16, 10, 9, 9, 12, 8, 11, 12, 13, 10, 20, 14, 14, 24] };
}

/** The record score of one answer (0–1, partial credit where the question allows it), or '' for a poll or survey. */
const scoreCell = (s: number | null): number | '' => (s === null ? '' : Math.round(s * 10000) / 10000);

interface People {
  name: Map<string, string>;
  officerId: Map<string, string>;
  agency: Map<string, string>;
}

function responsesSheet(runs: Map<string, LoadedRun>, responses: LoadedResponse[], people: People, idLabel: string): SheetSpec {
  const prompts = new Map<string, string>();
  function* each(): Iterable<Cell[]> {
    yield ['Name', idLabel, 'Question ID', 'Question', 'Type', 'Answer', 'Correct', 'Score', 'First answered', 'Final answer at', 'Changes'];
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
        iso(r.firstAt),
        iso(r.answeredAt),
        r.changes,
      ];
    }
  }
  // Made as they are written: 120,000 answers are never all rows at once.
  const rows = { count: responses.length + 1, width: 11, each };
  return { name: 'Responses', rows, widths: [28, 14, 24, 60, 10, 40, 9, 8, 26, 26, 9], formats: { 7: '0%' } };
}

/** The right answer of a question as text ('' for a poll or survey). */
export function correctAnswerText(q: QuestionDef): string {
  const labels = correctLabels(q);
  if (!labels) return '';
  if (q.type === 'numeric' && q.tolerance) return `${labels[0]} ± ${fmt(q.tolerance)}`;
  return neutralise(labels.join(q.type === 'ranking' ? ' > ' : ' | '));
}

/** The choices of a question run with how many picked each (for a ranking: how many put it first). */
export function choiceCounts(q: QuestionDef, values: AnswerValue[]): [string, number][] {
  const t = tally(q.type === 'text' ? { ...q, display: 'cloud' } : q, values);
  switch (t.kind) {
    case 'bars':
      return t.labels.map((l, i) => [l, t.counts[i]]);
    case 'histogram':
      return t.bins.map((b) => [b.label, b.count]);
    case 'rank':
      return t.items.map((it) => [`${it.label} (mean rank ${it.averageRank === null ? '–' : fmt(it.averageRank)})`, it.first]);
    case 'cloud':
      return t.words.map((w) => [w.text, w.count]);
    case 'list':
      return [];
  }
}

export interface ItemStats {
  run: LoadedRun;
  answered: number;
  correct: number | null;
  share: number | null;
  choices: [string, number][];
}

export function itemStats(runs: LoadedRun[], responses: LoadedResponse[]): ItemStats[] {
  const byRun = new Map<string, AnswerValue[]>(runs.map((r) => [r.id, []]));
  const right = new Map<string, number>();
  for (const r of responses) {
    byRun.get(r.runId)?.push(r.value);
    if (r.ok) right.set(r.runId, (right.get(r.runId) ?? 0) + 1);
  }
  return runs.map((run) => {
    const values = byRun.get(run.id)!;
    const graded = correctLabels(run.q) !== undefined;
    const correct = right.get(run.id) ?? 0;
    return {
      run,
      answered: values.length,
      correct: graded ? correct : null,
      share: graded && values.length ? Math.round((correct / values.length) * 10000) / 10000 : null,
      choices: choiceCounts(run.q, values).slice(0, MAX_CHOICES),
    };
  });
}

function itemAnalysisSheet(stats: ItemStats[]): SheetSpec {
  const pairs = Math.max(0, ...stats.map((s) => s.choices.length));
  const header: Cell[] = ['#', 'Slide', 'Question ID', 'Question', 'Type', 'Tags', 'Opened', 'Answered', 'Correct answer', 'Correct', 'Share correct', 'Asked in'];
  for (let i = 1; i <= pairs; i++) header.push(`Choice ${i}`, `Count ${i}`);
  const rows: Cell[][] = [header];
  stats.forEach((s, i) => {
    const row: Cell[] = [
      i + 1,
      // A self-paced question has no slide: "Asked in" names its assessment.
      s.run.assessment ? '' : s.run.slideIndex + 1,
      s.run.q.id,
      neutralise(s.run.q.prompt),
      s.run.q.type,
      neutralise((s.run.q.tags ?? []).join(', ')),
      iso(s.run.openedAt),
      s.answered,
      correctAnswerText(s.run.q),
      orBlank(s.correct),
      orBlank(s.share),
      s.run.assessment ? neutralise(s.run.assessment.title) : 'Live',
    ];
    for (const [label, n] of s.choices) row.push(neutralise(label), n);
    rows.push(row);
  });
  const widths = [5, 7, 24, 60, 10, 24, 26, 10, 30, 9, 13, 16];
  for (let i = 0; i < pairs; i++) widths.push(24, 8);
  return { name: 'Item analysis', rows, widths, formats: { 10: '0%' } };
}

/** Q&A from the `qa_questions` table when it exists. An anonymous question never shows who asked. */
function qaSheet(records: Records, sessionId: string, idLabel: string): SheetSpec {
  const rows: Cell[][] = [['Asked at', 'Name', idLabel, 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes']];
  const cols = tableColumns(records, 'qa_questions');
  if (cols.has('session_id') && cols.has('text')) {
    const c = (name: string) => (cols.has(name) ? `q.${name}` : 'NULL');
    const anonymous = cols.has('anonymous') ? 'q.anonymous' : '0';
    // The join itself is conditional: for an anonymous question not even the name is read.
    const join = cols.has('trainee_id') ? `LEFT JOIN trainees t ON t.id = q.trainee_id AND IFNULL(${anonymous}, 1) = 0` : 'LEFT JOIN trainees t ON 0';
    const found = records.db
      .prepare(
        `SELECT ${c('created_at')} AS created_at, t.name, t.officer_id, ${anonymous} AS anonymous, q.text, ${c('status')} AS status, ${c('pinned')} AS pinned, ${c('votes')} AS votes
         FROM qa_questions q ${join} WHERE q.session_id = ? ORDER BY ${c('created_at')}, q.rowid`,
      )
      .all(sessionId) as { created_at: number | null; name: string | null; officer_id: string | null; anonymous: number | null; text: string; status: string | null; pinned: number | null; votes: number | null }[];
    for (const q of found) {
      const anon = q.anonymous !== 0;
      rows.push([
        iso(q.created_at),
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
  return { name: 'Q&A', rows, widths: [26, 28, 14, 11, 70, 11, 8, 7] };
}

function evaluationSheet(runs: Map<string, LoadedRun>, responses: LoadedResponse[], people: People, idLabel: string): SheetSpec {
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
        iso(r.answeredAt),
      ];
    }
  }
  let count = 1;
  for (const r of responses) if (runs.get(r.runId)!.evaluation) count++;
  return { name: 'Evaluation', rows: { count, width: 8, each }, widths: [28, 14, 28, 24, 60, 10, 50, 26] };
}

function auditSheet(records: Records, sessionId: string): SheetSpec {
  const rows: Cell[][] = [['Time', 'Actor', 'Action', 'Entity', 'Entity ID', 'Before', 'After', 'Reason']];
  const found = records.db
    .prepare(`SELECT at, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log WHERE session_id = ? ORDER BY seq`)
    .all(sessionId) as { at: number; actor: string; action: string; entity: string; entity_id: string; before_json: string | null; after_json: string | null; reason: string }[];
  for (const a of found)
    rows.push([iso(a.at), text(a.actor), text(a.action), text(a.entity), text(a.entity_id), text(a.before_json), text(a.after_json), text(a.reason)]);
  return { name: 'Audit log', rows, widths: [26, 18, 18, 12, 38, 50, 50, 50] };
}

/** Role-play: the path the class took, each decision with the split of its vote. */
function scenariosSheet(records: Records, sessionId: string): SheetSpec | null {
  const steps = records.db
    .prepare(`SELECT scenario_id, play_id, step, from_node, option_id, to_node, run_id, at FROM scenario_steps WHERE session_id = ? ORDER BY seq`)
    .all(sessionId) as { scenario_id: string; play_id: string; step: number; from_node: string; option_id: string; to_node: string; run_id: string | null; at: number }[];
  if (!steps.length) return null;
  const votes = records.db.prepare(`SELECT value_json, COUNT(*) AS n FROM responses WHERE run_id = ? GROUP BY value_json`);
  const rows: Cell[][] = [['Scenario', 'Play', 'Step', 'At decision', 'Branch followed', 'Led to', 'Votes', 'Vote split', 'Time']];
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
      iso(st.at),
    ]);
  }
  return { name: 'Scenarios', rows, widths: [22, 14, 6, 20, 22, 20, 7, 70, 26] };
}

/** The sheets of a session's workbook, in order. */
export function sessionSheets(records: Records, sessionId: string, o: ExportOptions = {}): SheetSpec[] {
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
  const sheets: SheetSpec[] = [
    summarySheet(records, res, dept, { responses: responses.length }, now),
    attendanceSheet(res, label),
    withScenarioJudgement(scoresSheet(res, label), res, runs, responses),
    // The department gap audit is anonymous: its answers are only in the Department gaps totals.
    responsesSheet(runMap, responses.filter((r) => !isDepartmentGap(runMap.get(r.runId)!.q)), people, label),
    itemAnalysisSheet(itemStats(runs, responses)),
    qaSheet(records, sessionId, label),
    evaluationSheet(runMap, responses, people, label),
    auditSheet(records, sessionId),
  ];
  const scenarios = scenariosSheet(records, sessionId);
  if (scenarios) sheets.push(scenarios);
  const gaps = departmentGapsSessionSheet(records, sessionId, { runs, responses });
  if (gaps) sheets.push(gaps);
  return sheets;
}

/** One sheet by name, matched loosely: "Item analysis", "item-analysis", "itemanalysis", "qa" for Q&A. */
export function findSheet(sheets: SheetSpec[], name: string): SheetSpec | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return sheets.find((s) => key(s.name) === key(name));
}
