/**
 * The per-session workbook: Summary, Attendance, Scores, Responses, Item analysis, Q&A, Evaluation,
 * Audit log (and Scenarios when role-play was played). Every string a trainee (or an imported
 * course) could have typed goes through neutralise(); officer IDs stay text. Each sheet is made in
 * the module of its kind: session-summary, session-trainees, session-answers, session-logs.
 */
import type { Records } from '../db';
import { departmentClock, departmentProfile } from '../department';
import type { Department } from '../department';
import { neutralise } from './cells';
import { loadResponses, loadRuns, sessionResults } from './results';
import { rosterNoShows } from './people';
import { itemAnalysisSheet, itemStats } from './item-analysis';
import type { PrintOptions, SheetSpec } from './xlsx';
import { withScenarioJudgement } from './scenario-judgement';
import { departmentGapsSessionSheet, isDepartmentGap } from '../department-gaps';
import { summarySheet } from './session-summary';
import { attendanceSheet, scoresSheet } from './session-trainees';
import { evaluationSheet, responsesSheet } from './session-answers';
import type { People } from './session-answers';
import { auditSheet, qaSheet, scenariosSheet } from './session-logs';
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
