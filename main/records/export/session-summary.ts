/** The Summary sheet of a session's workbook: the session, its rules and its totals, one per row. */
import type { Records } from '../db';
import { describeRule } from '../department';
import type { DepartmentProfile } from '../department';
import { neutralise, orBlank, text } from './cells';
import { countRows, tableColumns } from './optional-tables';
import type { SessionResults } from './results';
import type { Cell, SheetSpec } from './xlsx';
import type { Clock } from '../../../shared/clock';

export function summarySheet(
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
