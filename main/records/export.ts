/**
 * Spreadsheet export of a session for records staff (SheetJS, writing only).
 * Officer IDs stay text (leading zeros kept); anything a trainee typed that a spreadsheet could
 * take for a formula gets a leading apostrophe (DESIGN.md rule 6).
 */
import * as XLSX from 'xlsx';
import type { Records } from './db';
import { score } from '../../shared/question';
import type { AnswerValue, QuestionDef } from '../../shared/question';

/** OWASP: cells starting with = + - @ tab CR (or NUL) are neutralised with a leading apostrophe. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r\0]/.test(value) ? `'${value}` : value;
}

const iso = (ms: number | null | undefined) => (ms == null ? '' : new Date(ms).toISOString());

/**
 * An answer as records staff read it: a ranking as "A > B > C" (top first), a multiple select as
 * "A | B", true/false as True or False, a number as a number cell; text through {@link neutralise}.
 */
export function answerCell(q: QuestionDef, v: AnswerValue): string | number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) {
    if (q.type === 'ranking') return neutralise(v.join(' > '));
    // Picks in the order of the options, whatever order they were tapped in.
    const order = 'options' in q ? q.options : [];
    const rank = (x: string) => (order.includes(x) ? order.indexOf(x) : order.length);
    return neutralise([...v].sort((a, b) => rank(a) - rank(b)).join(' | '));
  }
  return neutralise(v);
}

/** The record score (0–1, partial credit where the question allows it), or '' for a poll or survey. */
function scoreCell(question: QuestionDef, v: AnswerValue): number | '' {
  // The stored question was checked when its course was loaded; score() only reads its fields.
  const s = score(question, v);
  return s === null ? '' : Math.round(s * 10000) / 10000;
}

interface AttendanceRow {
  trainee_id: string;
  name: string;
  officer_id: string;
  agency: string;
  event: 'join' | 'leave' | 'return' | null;
  at: number | null;
}

export interface AttendanceSummary {
  traineeId: string;
  name: string;
  officerId: string;
  agency: string;
  checkIn: number | null;
  checkOut: number | null;
  minutesPresent: number;
  intervals: number;
}

/** Minutes present = the sum of the connected intervals (join → leave), capped at the session's end. */
export function attendance(records: Records, sessionId: string): AttendanceSummary[] {
  const session = records.session(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const rows = records.db
    .prepare(
      `SELECT t.id AS trainee_id, t.name, t.officer_id, t.agency, a.event, a.at
       FROM trainees t LEFT JOIN attendance a ON a.trainee_id = t.id
       WHERE t.session_id = ? ORDER BY t.joined_at, t.id, a.seq`,
    )
    .all(sessionId) as AttendanceRow[];
  const out = new Map<string, AttendanceSummary & { openSince: number | null; ms: number }>();
  for (const r of rows) {
    let s = out.get(r.trainee_id);
    if (!s) {
      s = { traineeId: r.trainee_id, name: r.name, officerId: r.officer_id, agency: r.agency, checkIn: null, checkOut: null, minutesPresent: 0, intervals: 0, openSince: null, ms: 0 };
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
  const end = session.ended_at ?? Date.now();
  return [...out.values()].map(({ openSince, ms, ...s }) => {
    const total = ms + (openSince !== null ? Math.max(0, end - openSince) : 0);
    return { ...s, checkOut: openSince !== null ? (session.ended_at ?? null) : s.checkOut, minutesPresent: Math.round((total / 60000) * 10) / 10 };
  });
}

/** Builds the session workbook. Every trainee string goes through {@link neutralise}. */
export function sessionWorkbook(records: Records, sessionId: string): XLSX.WorkBook {
  const session = records.session(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const wb = XLSX.utils.book_new();

  const summary: (string | number)[][] = [
    ['Course', session.course_title],
    ['Module', session.title],
    ['Session ID', session.id],
    ['Started', iso(session.started_at)],
    ['Ended', iso(session.ended_at)],
  ];
  addSheet(wb, 'Summary', [['Field', 'Value'], ...summary], [18, 60]);

  const att = attendance(records, sessionId);
  addSheet(
    wb,
    'Attendance',
    [
      ['Name', 'Officer ID', 'Agency', 'Check-in', 'Check-out', 'Minutes present', 'Connected intervals'],
      ...att.map((a) => [neutralise(a.name), neutralise(a.officerId), neutralise(a.agency), iso(a.checkIn), iso(a.checkOut), a.minutesPresent, a.intervals]),
    ],
    [28, 14, 28, 26, 26, 16, 20],
  );

  const responses = records.db
    .prepare(
      `SELECT t.name, t.officer_id, q.question_id, q.question_json, q.slide_index, r.value_json, r.correct, r.first_at, r.answered_at, r.changes
       FROM responses r JOIN trainees t ON t.id = r.trainee_id JOIN question_runs q ON q.id = r.run_id
       WHERE r.session_id = ? ORDER BY q.opened_at, t.joined_at, t.id`,
    )
    .all(sessionId) as {
    name: string;
    officer_id: string;
    question_id: string;
    question_json: string;
    slide_index: number;
    value_json: string;
    correct: number | null;
    first_at: number;
    answered_at: number;
    changes: number;
  }[];
  addSheet(
    wb,
    'Responses',
    [
      ['Name', 'Officer ID', 'Question ID', 'Question', 'Type', 'Answer', 'Correct', 'Score', 'First answered', 'Final answer at', 'Changes'],
      ...responses.map((r) => {
        const question = JSON.parse(r.question_json) as QuestionDef;
        const value = JSON.parse(r.value_json) as AnswerValue;
        return [
          neutralise(r.name),
          neutralise(r.officer_id),
          r.question_id,
          neutralise(question.prompt),
          question.type,
          answerCell(question, value),
          r.correct === null ? '' : r.correct ? 'Yes' : 'No',
          scoreCell(question, value),
          iso(r.first_at),
          iso(r.answered_at),
          r.changes,
        ];
      }),
    ],
    [28, 14, 24, 60, 10, 40, 9, 8, 26, 26, 9],
  );
  percentColumn(wb.Sheets.Responses, 7);

  // Role-play: the path the class took, each decision with the split of its vote.
  const steps = records.db
    .prepare(
      `SELECT s.scenario_id, s.play_id, s.step, s.from_node, s.option_id, s.to_node, s.run_id, s.at, q.question_json
       FROM scenario_steps s LEFT JOIN question_runs q ON q.id = s.run_id
       WHERE s.session_id = ? ORDER BY s.seq`,
    )
    .all(sessionId) as { scenario_id: string; play_id: string; step: number; from_node: string; option_id: string; to_node: string; run_id: string | null; at: number; question_json: string | null }[];
  if (steps.length) {
    const votes = records.db.prepare(`SELECT value_json, COUNT(*) AS n FROM responses WHERE run_id = ? GROUP BY value_json`);
    addSheet(
      wb,
      'Scenarios',
      [
        ['Scenario', 'Play', 'Step', 'At decision', 'Branch followed', 'Led to', 'Votes', 'Vote split', 'Time'],
        ...steps.map((st) => {
          const split = st.run_id ? (votes.all(st.run_id) as { value_json: string; n: number }[]) : [];
          const total = split.reduce((n, v) => n + v.n, 0);
          return [
            st.scenario_id,
            st.play_id,
            st.step,
            st.from_node,
            st.option_id,
            st.to_node,
            st.run_id ? total : '',
            split.map((v) => `${neutralise(JSON.parse(v.value_json) as string)}: ${v.n}`).join(' | '),
            iso(st.at),
          ];
        }),
      ],
      [22, 14, 6, 20, 22, 20, 7, 70, 26],
    );
  }
  return wb;
}

/** An array-of-arrays sheet where every string stays a string cell (IDs keep their leading zeros). */
function addSheet(wb: XLSX.WorkBook, name: string, rows: (string | number)[][], widths: number[]): void {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  ws['!cols'] = widths.map((wch) => ({ wch }));
  XLSX.utils.book_append_sheet(wb, ws, name);
}

/** Shows a column of 0–1 scores as percentages (the cell value stays the fraction). */
function percentColumn(ws: XLSX.WorkSheet, col: number): void {
  const range = XLSX.utils.decode_range(ws['!ref'] ?? 'A1');
  for (let r = 1; r <= range.e.r; r++) {
    const cell = ws[XLSX.utils.encode_cell({ r, c: col })] as XLSX.CellObject | undefined;
    if (cell?.t === 'n') cell.z = '0%';
  }
}

export function sessionWorkbookBuffer(records: Records, sessionId: string): Buffer {
  return XLSX.write(sessionWorkbook(records, sessionId), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
