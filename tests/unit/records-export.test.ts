/**
 * Round trips: a class stored through Records.apply (the engine's RecordOp shapes), exported, and
 * every sheet read back with SheetJS holds what the session recorded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';
import {
  certificationRoster,
  freezeHeaderRow,
  parseRange,
  searchTrainees,
  sessionWorkbookBuffer,
  sheetCsv,
  toCsv,
  traineeHistory,
  weakSpots,
  writeXlsx,
} from '../../main/records/export';
import { settingValue } from '../../main/settings';
import { main } from '../../main/cli';
import { isCorrect } from '../../shared/question';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const MIN = 60_000;
/** 9:00 local time on 6 May 2025: the session date is local, so the test works in any time zone. */
const T0 = new Date(2025, 4, 6, 9, 0, 0).getTime();
const at = (minutes: number) => T0 + minutes * MIN;
const pad = (n: number) => String(n).padStart(2, '0');
/** How the exports write an instant: local time (the department's zone is this computer's here), to the minute. */
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const HYPER = '=HYPERLINK("http://x","y")';
const TITLE = 'Human Trafficking: Identify & Respond (Patrol) — "Module 1"';

const dirs: string[] = [];
function openRecords(): Records {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-records-export-'));
  dirs.push(dir);
  return new Records(path.join(dir, 'muster.sqlite'));
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const Q: Record<string, QuestionDef> = {
  ind: { id: 'ind-1', type: 'single', prompt: 'Which is an indicator?', options: ['A', 'B', 'C'], correct: 'B', tags: ['indicators'] },
  def: { id: 'def-1', type: 'multi', prompt: 'Elements of the definition', options: ['Force', 'Fraud', 'Coercion', 'Movement'], correct: ['Force', 'Fraud', 'Coercion'], scoring: 'partial', tags: ['definitions'] },
  minor: { id: 'minor-1', type: 'truefalse', prompt: 'A minor needs no proof of force', correct: true, tags: ['minors', 'definitions'] },
  hours: { id: 'hours-1', type: 'numeric', prompt: 'Hours required?', correct: 2, tags: ['mandates'] },
  poll: { id: 'poll-1', type: 'rating', prompt: 'How confident are you?', scale: { min: 1, max: 5 } },
  useful: { id: 'eval-useful', type: 'rating', prompt: 'How useful for your duties?', scale: { min: 1, max: 5 } },
  comments: { id: 'comments', type: 'text', prompt: 'Comments on the instructor', tags: ['evaluation'] },
};
const RUNS = ['ind', 'def', 'minor', 'hours', 'poll', 'useful', 'comments'] as const;

const PEOPLE = [
  { id: 't1', name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD', join: 2 },
  { id: 't3', name: 'Ben Cole', officerId: 'TX-2231', agency: 'Riverside PD', join: 3 },
  { id: 't4', name: 'Cara Diaz', officerId: '88120', agency: 'County Sheriff', join: 4 },
  { id: 't5', name: 'Dev Patel', officerId: '00902', agency: 'county sheriff ', join: 5 },
  { id: 't2', name: HYPER, officerId: '00123', agency: '+SUM(1)', join: 15 },
];

/** Final answers by trainee; Dev first answers C to the first question, then A. */
const ANSWERS: Record<string, Partial<Record<(typeof RUNS)[number], AnswerValue>>> = {
  t1: { ind: 'B', def: ['Coercion', 'Force', 'Fraud'], minor: true, hours: 2, poll: 4, useful: 5, comments: 'Clear and practical' },
  t3: { ind: 'B', def: ['Force', 'Fraud'], minor: true, hours: 2, poll: 5 },
  t4: { ind: 'B', def: ['Force', 'Fraud', 'Coercion'], minor: true, hours: 2, useful: 3 },
  t5: { ind: 'A', def: ['Movement'], minor: false, hours: 2 },
  t2: { ind: 'B', comments: '=1+2' },
};

function storeClass(r: Records, o: { id?: string; start?: number; courseNumber?: string | null; course?: string } = {}): string {
  const sid = o.id ?? 's1';
  const start = o.start ?? T0;
  const m = (minutes: number) => start + minutes * MIN;
  const tid = (t: string) => `${sid}-${t}`;
  const ops: RecordOp[] = [
    { op: 'session', id: sid, roomCode: '123456', course: o.course ?? 'ht-patrol', courseTitle: TITLE, courseNumber: o.courseNumber === undefined ? '3270' : o.courseNumber, creditHours: 2, passMark: 75, file: '01.md', title: 'Module 1', at: start },
  ];
  for (const p of PEOPLE) {
    ops.push({ op: 'trainee', id: tid(p.id), sessionId: sid, name: p.name, officerId: p.officerId, agency: p.agency, at: m(p.join) });
    ops.push({ op: 'attendance', sessionId: sid, traineeId: tid(p.id), event: 'join', at: m(p.join) });
  }
  // Ben's phone sleeps for ten minutes; Cara leaves twenty minutes early.
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t3'), event: 'leave', at: m(60) });
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t3'), event: 'return', at: m(70) });
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t4'), event: 'leave', at: m(100) });
  RUNS.forEach((key, i) => {
    const q = Q[key];
    const runId = `${sid}-r${i}`;
    ops.push({ op: 'runOpen', runId, sessionId: sid, slideIndex: i + 2, question: q, at: m(20 + i * 10), deadline: null });
    if (key === 'ind') ops.push({ op: 'answer', runId, sessionId: sid, traineeId: tid('t5'), msgId: 'first', value: 'C', correct: false, at: m(20.25) });
    PEOPLE.forEach((p, k) => {
      const value = ANSWERS[p.id][key];
      if (value !== undefined) ops.push({ op: 'answer', runId, sessionId: sid, traineeId: tid(p.id), msgId: `${key}-${p.id}`, value, correct: isCorrect(q, value), at: m(20 + i * 10 + 0.5) + k * 1000 });
    });
    ops.push({ op: 'runClose', runId, at: m(25 + i * 10) });
  });
  ops.push(
    { op: 'qaAsk', id: `${sid}-qa1`, sessionId: sid, traineeId: tid('t1'), text: 'Is a T visa the same as a U visa?', anonymous: false, msgId: `${sid}-qm1`, at: m(30) },
    { op: 'qaAsk', id: `${sid}-qa2`, sessionId: sid, traineeId: null, text: '@SUM(A1) what if the victim is a minor?', anonymous: true, msgId: `${sid}-qm2`, at: m(31) },
    { op: 'qaVote', qaId: `${sid}-qa1`, traineeId: tid('t3'), at: m(32) },
    { op: 'qaVote', qaId: `${sid}-qa1`, traineeId: tid('t4'), at: m(33) },
    { op: 'qaModerate', qaId: `${sid}-qa1`, status: 'approved', pinned: true, at: m(34) },
    {
      op: 'correctTrainee',
      sessionId: sid,
      traineeId: tid('t1'),
      before: { name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD' },
      after: { name: 'Ana M. Ortiz', officerId: '00417', agency: 'Riverside PD' },
      reason: 'Name as on her license',
      actor: 'instructor',
      at: m(40),
    },
    { op: 'end', sessionId: sid, at: m(120) },
  );
  // In batches, as the classroom's group commit stores them.
  for (let i = 0; i < ops.length; i += 7) r.apply(ops.slice(i, i + 7));
  r.db.prepare(`UPDATE sessions SET instructors = ?, location = ? WHERE id = ?`).run('Sgt. Maria Lopez; Det. Sam Reed', 'Riverside Training Center, Room 2', sid);
  return sid;
}

const DEPT = { officerIdLabel: 'TCOLE PID', agency: 'Riverside Regional Academy', state: 'TX' };

function read(buf: Buffer): XLSX.WorkBook {
  return XLSX.read(buf, { type: 'buffer', cellNF: true });
}
/** A sheet as rows of values, empty cells as null. */
function rowsOf(wb: XLSX.WorkBook, sheet: string): unknown[][] {
  return XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet], { header: 1, raw: true, defval: null });
}

describe('the session workbook, read back', () => {
  const r = openRecords();
  storeClass(r);
  const buf = sessionWorkbookBuffer(r, 's1', { department: DEPT, now: at(500) });
  const wb = read(buf);

  it('has the sheets in order, every header row frozen', () => {
    expect(wb.SheetNames).toEqual(['Summary', 'Attendance', 'Scores', 'Responses', 'Item analysis', 'Q&A', 'Evaluation', 'Audit log']);
    const files = unzipSync(buf);
    for (let i = 1; i <= wb.SheetNames.length; i++) {
      const xml = strFromU8(files[`xl/worksheets/sheet${i}.xml`]);
      expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
      expect(xml).toMatch(/<cols>.*<\/cols>/); // readable widths
      expect(xml).not.toContain('<f>'); // nothing anyone typed became a formula
    }
  });

  it('Summary: the course exactly as recorded, the numbers records staff need', () => {
    const summary = Object.fromEntries(rowsOf(wb, 'Summary').slice(1) as [string, unknown][]);
    expect(summary).toMatchObject({
      Course: TITLE,
      'Course number': '3270',
      'Course ID': 'ht-patrol',
      Module: 'Module 1',
      'Session ID': 's1',
      'Session date': '2025-05-06',
      Started: '2025-05-06 09:00',
      Ended: '2025-05-06 11:00',
      Status: 'Ended',
      'Duration (minutes)': 120,
      'Credit hours': 2,
      'Pass mark (%)': 75,
      'Pass mark set by': 'Course',
      'Late grace (minutes)': 10,
      Instructors: 'Sgt. Maria Lopez; Det. Sam Reed',
      Location: 'Riverside Training Center, Room 2',
      'Presenting agency': 'Riverside Regional Academy',
      State: 'TX',
      Trainees: 5,
      'Rostered, never joined': 0,
      Passed: 3,
      'Earned credit': 2,
      'Questions asked': 7,
      'Graded questions': 4,
      Responses: 23,
      'Q&A questions': 2,
      'Audit entries': 1,
      'Exported at': local(at(500)),
    });
    // The zone is stated once; no time anywhere has seconds or a Z.
    expect(summary['Time zone']).toBe(`${Intl.DateTimeFormat().resolvedOptions().timeZone} (UTC${(() => {
      const o = -new Date(T0).getTimezoneOffset();
      return `${o < 0 ? '−' : '+'}${pad(Math.floor(Math.abs(o) / 60))}:${pad(Math.abs(o) % 60)}`;
    })()})`);
    for (const sheet of wb.SheetNames) expect(JSON.stringify(rowsOf(wb, sheet)), sheet).not.toMatch(/\d{2}:\d{2}:\d{2}|\d{2}Z/);
    expect(summary['Credit rule']).toMatch(/at least 90%.*passed the assessment/);
  });

  it('Attendance: check-in/out, minutes, late arrival and early departure', () => {
    const rows = rowsOf(wb, 'Attendance');
    expect(rows[0]).toEqual(['Name', 'TCOLE PID', 'Agency', 'Status', 'Check-in', 'Check-out', 'Minutes present', 'Connected intervals', 'Minutes in class', 'Present %', 'Late arrival', 'Minutes late', 'Early departure', 'Minutes early', 'Corrected', 'Correction reason']);
    const t = (m: number) => `2025-05-06 ${pad(9 + Math.floor(m / 60))}:${pad(m % 60)}`;
    expect(rows.slice(1)).toEqual([
      ['Ana M. Ortiz', '00417', 'Riverside PD', 'Present', t(2), t(120), 118, 1, 118, 98.3, 'No', 0, 'No', 0, 'No', ''],
      ['Ben Cole', 'TX-2231', 'Riverside PD', 'Present', t(3), t(120), 107, 2, 117, 97.5, 'No', 0, 'No', 0, 'No', ''],
      ['Cara Diaz', '88120', 'County Sheriff', 'Present', t(4), t(100), 96, 1, 96, 80, 'No', 0, 'Yes', 20, 'No', ''],
      ['Dev Patel', '00902', 'county sheriff ', 'Present', t(5), t(120), 115, 1, 115, 95.8, 'No', 0, 'No', 0, 'No', ''],
      [`'${HYPER}`, '00123', "'+SUM(1)", 'Present', t(15), t(120), 105, 1, 105, 87.5, 'Yes', 15, 'No', 0, 'No', ''],
    ]);
  });

  it('Scores: correctness only, pass mark, credit by the rule, certificate numbers in join order', () => {
    const rows = rowsOf(wb, 'Scores');
    expect(rows[0]).toEqual(['Name', 'TCOLE PID', 'Agency', 'Graded questions', 'Answered', 'Correct', 'Score %', 'Pass mark %', 'Result', 'Pre-test %', 'Post-test %', 'Gain (points)', 'Present %', 'Evaluation submitted', 'Credit earned', 'Hours awarded', 'Certificate number', 'Scenario decisions voted', 'Scenario judgement %']);
    // No pre-test or post-test in this class: those columns stay empty, and the live questions decide.
    expect(rows.slice(1)).toEqual([
      ['Ana M. Ortiz', '00417', 'Riverside PD', 4, 4, 4, 100, 75, 'Pass', '', '', '', 98.3, 'Yes', 'Yes', 2, '3270-20250506-001', '', ''],
      // Partial credit on the multiple select: (1 + 2/3 + 1 + 1) / 4. Present by check-in to check-out, though his phone slept.
      ['Ben Cole', 'TX-2231', 'Riverside PD', 4, 4, 3, 91.7, 75, 'Pass', '', '', '', 97.5, 'No', 'Yes', 2, '3270-20250506-002', '', ''],
      ['Cara Diaz', '88120', 'County Sheriff', 4, 4, 4, 100, 75, 'Pass', '', '', '', 80, 'Yes', 'No', 0, '', '', ''],
      ['Dev Patel', '00902', 'county sheriff ', 4, 4, 1, 25, 75, 'Fail', '', '', '', 95.8, 'No', 'No', 0, '', '', ''],
      [`'${HYPER}`, '00123', "'+SUM(1)", 4, 1, 1, 25, 75, 'Fail', '', '', '', 87.5, 'Yes', 'No', 0, '', '', ''],
    ]);
  });

  it('the credit rule is the department’s: minutes connected, no pass needed', () => {
    const strict = read(sessionWorkbookBuffer(r, 's1', { department: { attendanceRule: { basis: 'connected', requirePass: false, minPresentPercent: 90 } } }));
    const credit = rowsOf(strict, 'Scores')
      .slice(1)
      .map((row) => [row[0], row[12], row[14], row[16]]);
    expect(credit).toEqual([
      ['Ana M. Ortiz', 98.3, 'Yes', '3270-20250506-001'],
      ['Ben Cole', 89.2, 'No', ''],
      ['Cara Diaz', 80, 'No', ''],
      ['Dev Patel', 95.8, 'Yes', '3270-20250506-004'],
      [`'${HYPER}`, 87.5, 'No', ''],
    ]);
    expect(rowsOf(strict, 'Attendance')[0][1]).toBe('Officer ID');
  });

  it('Responses: every final answer, as stored', () => {
    const rows = rowsOf(wb, 'Responses');
    expect(rows[0]).toEqual(['Name', 'TCOLE PID', 'Question ID', 'Question', 'Type', 'Answer', 'Correct', 'Score', 'First answered', 'Final answer at', 'Changes']);
    const got = rows.slice(1).map((x) => [x[1], x[2], x[5], x[6], x[7], x[10]]);
    expect(got).toEqual([
      ['00417', 'ind-1', 'B', 'Yes', 1, 0],
      ['TX-2231', 'ind-1', 'B', 'Yes', 1, 0],
      ['88120', 'ind-1', 'B', 'Yes', 1, 0],
      ['00902', 'ind-1', 'A', 'No', 0, 1],
      ['00123', 'ind-1', 'B', 'Yes', 1, 0],
      ['00417', 'def-1', 'Force | Fraud | Coercion', 'Yes', 1, 0],
      ['TX-2231', 'def-1', 'Force | Fraud', 'No', 0.6667, 0],
      ['88120', 'def-1', 'Force | Fraud | Coercion', 'Yes', 1, 0],
      ['00902', 'def-1', 'Movement', 'No', 0, 0],
      ['00417', 'minor-1', 'True', 'Yes', 1, 0],
      ['TX-2231', 'minor-1', 'True', 'Yes', 1, 0],
      ['88120', 'minor-1', 'True', 'Yes', 1, 0],
      ['00902', 'minor-1', 'False', 'No', 0, 0],
      ['00417', 'hours-1', 2, 'Yes', 1, 0],
      ['TX-2231', 'hours-1', 2, 'Yes', 1, 0],
      ['88120', 'hours-1', 2, 'Yes', 1, 0],
      ['00902', 'hours-1', 2, 'Yes', 1, 0],
      ['00417', 'poll-1', 4, '', '', 0],
      ['TX-2231', 'poll-1', 5, '', '', 0],
      ['00417', 'eval-useful', 5, '', '', 0],
      ['88120', 'eval-useful', 3, '', '', 0],
      ['00417', 'comments', 'Clear and practical', '', '', 0],
      ['00123', 'comments', "'=1+2", '', '', 0],
    ]);
    const dev = rows.find((x) => x[1] === '00902' && x[2] === 'ind-1')!;
    expect([dev[8], dev[9]]).toEqual(['2025-05-06 09:20', '2025-05-06 09:20']);
    expect(wb.Sheets.Responses.H3.z).toBe('0%');
  });

  it('Item analysis: share correct and the count of each choice, per question run', () => {
    const rows = rowsOf(wb, 'Item analysis');
    expect(rows[0].slice(0, 11)).toEqual(['#', 'Slide', 'Question ID', 'Question', 'Type', 'Tags', 'Opened', 'Answered', 'Correct answer', 'Correct', 'Share correct']);
    expect(rows[0].slice(11)).toEqual(['Asked in', 'Choice 1', 'Count 1', 'Choice 2', 'Count 2', 'Choice 3', 'Count 3', 'Choice 4', 'Count 4', 'Choice 5', 'Count 5']);
    const pad = (xs: unknown[]) => [...xs.slice(0, 6), 'Live', ...xs.slice(6), ...Array(16 - xs.length).fill(null)];
    expect(rows.slice(1).map((x) => [x[2], x[5], ...x.slice(7)])).toEqual([
      pad(['ind-1', 'indicators', 5, 'B', 4, 0.8, 'A', 1, 'B', 4, 'C', 0]),
      pad(['def-1', 'definitions', 4, 'Force | Fraud | Coercion', 2, 0.5, 'Force', 3, 'Fraud', 3, 'Coercion', 2, 'Movement', 1]),
      pad(['minor-1', 'minors, definitions', 4, 'True', 3, 0.75, 'True', 3, 'False', 1]),
      pad(['hours-1', 'mandates', 4, '2', 4, 1, '2', 4]),
      pad(['poll-1', '', 2, '', '', '', '1', 0, '2', 0, '3', 0, '4', 1, '5', 1]),
      pad(['eval-useful', '', 2, '', '', '', '1', 0, '2', 0, '3', 1, '4', 0, '5', 1]),
      pad(['comments', 'evaluation', 2, '', '', '', '1 2', 1, 'clear and practical', 1]),
    ]);
    expect(rows[1].slice(0, 2)).toEqual([1, 3]);
    expect(rows[1][6]).toBe('2025-05-06 09:20');
    expect(wb.Sheets['Item analysis'].K2.z).toBe('0%');
  });

  it('Q&A: an anonymous question has no name and no ID', () => {
    expect(rowsOf(wb, 'Q&A')).toEqual([
      ['Asked at', 'Name', 'TCOLE PID', 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
      ['2025-05-06 09:30', 'Ana M. Ortiz', '00417', 'No', 'Is a T visa the same as a U visa?', 'approved', 'Yes', 2],
      ['2025-05-06 09:31', '', '', 'Yes', "'@SUM(A1) what if the victim is a minor?", 'pending', 'No', 0],
    ]);
  });

  it('Evaluation: the answers to evaluation questions (id eval…, or tagged evaluation)', () => {
    const rows = rowsOf(wb, 'Evaluation');
    expect(rows[0]).toEqual(['Name', 'TCOLE PID', 'Agency', 'Question ID', 'Question', 'Type', 'Answer', 'Answered at']);
    expect(rows.slice(1).map((x) => x.slice(0, 7))).toEqual([
      ['Ana M. Ortiz', '00417', 'Riverside PD', 'eval-useful', 'How useful for your duties?', 'rating', 5],
      ['Cara Diaz', '88120', 'County Sheriff', 'eval-useful', 'How useful for your duties?', 'rating', 3],
      ['Ana M. Ortiz', '00417', 'Riverside PD', 'comments', 'Comments on the instructor', 'text', 'Clear and practical'],
      [`'${HYPER}`, '00123', "'+SUM(1)", 'comments', 'Comments on the instructor', 'text', "'=1+2"],
    ]);
  });

  it('Audit log: every correction with who, when, before, after and why', () => {
    expect(rowsOf(wb, 'Audit log')).toEqual([
      ['Time', 'Actor', 'Action', 'Entity', 'Entity ID', 'Before', 'After', 'Reason'],
      [
        '2025-05-06 09:40',
        'instructor',
        'correctTrainee',
        'trainee',
        's1-t1',
        'name: Ana Ortiz; officerId: 00417; agency: Riverside PD',
        'name: Ana M. Ortiz; officerId: 00417; agency: Riverside PD',
        'Name as on her license',
      ],
    ]);
  });

  it('a trainee named =HYPERLINK(…) with ID 00123 comes out as inert text and 00123', () => {
    for (const sheet of ['Attendance', 'Scores', 'Responses']) {
      const ws = wb.Sheets[sheet];
      const name = Object.keys(ws).find((k) => !k.startsWith('!') && String((ws[k] as XLSX.CellObject).v).includes('HYPERLINK'))!;
      const cell = ws[name] as XLSX.CellObject;
      expect(cell.t).toBe('s');
      expect(cell.v).toBe(`'${HYPER}`);
      expect(cell.f).toBeUndefined();
      const id = ws[XLSX.utils.encode_cell({ r: XLSX.utils.decode_cell(name).r, c: 1 })] as XLSX.CellObject;
      expect([id.t, id.v]).toEqual(['s', '00123']);
    }
  });

  it('an unfinished session awards nothing yet', () => {
    const r2 = openRecords();
    storeClass(r2);
    r2.db.prepare(`UPDATE sessions SET ended_at = NULL`).run();
    const rows = rowsOf(read(sessionWorkbookBuffer(r2, 's1', { now: at(120) })), 'Scores');
    expect(rows.slice(1).map((x) => [x[8], x[14], x[15], x[16]])).toEqual(Array(5).fill(['', '', '', '']).map((x, i) => (i === 3 || i === 4 ? ['Fail', '', '', ''] : ['Pass', '', '', ''])));
  });
});

describe('sheets written defensively', () => {
  it('without a qa_questions table, and with no evaluation or correction, the sheets have headers only', () => {
    const r = openRecords();
    r.apply([
      { op: 'session', id: 'x', roomCode: '1', course: 'c', courseTitle: 'C', courseNumber: null, creditHours: null, passMark: null, file: 'f', title: 'T', at: T0 },
      { op: 'trainee', id: 'a', sessionId: 'x', name: 'Ana', officerId: '007', agency: 'PD', at: T0 },
    ]);
    r.db.exec('DROP TABLE IF EXISTS qa_votes; DROP TABLE IF EXISTS qa_questions;');
    const wb = read(sessionWorkbookBuffer(r, 'x'));
    expect(rowsOf(wb, 'Q&A')).toEqual([['Asked at', 'Name', 'Officer ID', 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes']]);
    expect(rowsOf(wb, 'Evaluation')).toHaveLength(1);
    expect(rowsOf(wb, 'Audit log')).toHaveLength(1);
    const summary = Object.fromEntries(rowsOf(wb, 'Summary').slice(1) as [string, unknown][]);
    expect(summary).toMatchObject({ 'Pass mark (%)': 70, 'Pass mark set by': 'Department default', 'Credit hours': '', 'Q&A questions': 0, Status: 'In progress' });
    // No graded question: no score, no pass or fail.
    expect(rowsOf(wb, 'Scores')[1].slice(3, 9)).toEqual([0, 0, 0, '', 70, '']);
  });
});

describe('CSV', () => {
  it('any sheet, RFC 4180 quoting, neutralised like the workbook, IDs as they are', () => {
    const r = openRecords();
    storeClass(r);
    const csv = sheetCsv(r, 's1', 'Attendance')!;
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('Name,Officer ID,Agency,Status,Check-in,Check-out,Minutes present,Connected intervals,Minutes in class,Present %,Late arrival,Minutes late,Early departure,Minutes early,Corrected,Correction reason');
    expect(lines[5]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",00123,'\+SUM\(1\),/);
    expect(parseCsv(csv)[5].slice(0, 3)).toEqual([`'${HYPER}`, '00123', "'+SUM(1)"]);
    expect(sheetCsv(r, 's1', 'item-analysis')).toContain('ind-1');
    expect(sheetCsv(r, 's1', 'qa')).toContain('"Is a T visa the same as a U visa?"'.slice(1, -1));
    expect(sheetCsv(r, 's1', 'Nope')).toBeUndefined();
  });

  it('quotes commas, quotes and line breaks; nothing else', () => {
    const csv = toCsv({ name: 'x', widths: [], rows: [['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rx', 1.5, null, '']] });
    expect(csv).toBe('a,"b,c","say ""hi""","two\nlines","cr\rx",1.5,,\r\n');
    expect(parseCsv(csv)[0]).toEqual(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rx', '1.5', '', '']);
  });
});

/** A strict RFC 4180 reader, to read the CSV back. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && !(s[i] === '"' && s[i + 1] !== '"')) {
        field += s[i];
        i += s[i] === '"' ? 2 : 1;
      }
      i++;
    } else while (i < s.length && s[i] !== ',' && s[i] !== '\r') field += s[i++];
    row.push(field);
    if (s[i] === ',') i++;
    else if (s[i] === '\r') {
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

describe('the xlsx writer', () => {
  it('freezes the header row of any worksheet XML, once', () => {
    const selfClosing = '<worksheet><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData/></worksheet>';
    const frozen = freezeHeaderRow(selfClosing);
    expect(frozen).toContain('<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(freezeHeaderRow(frozen)).toBe(frozen);
    const none = freezeHeaderRow('<worksheet><dimension ref="A1"/><cols><col min="1" max="1" width="9"/></cols><sheetData/></worksheet>');
    expect(none).toMatch(/<dimension ref="A1"\/><sheetViews><sheetView workbookViewId="0"><pane [^>]*state="frozen"\/>.*<\/sheetViews><cols>/);
  });

  it('keeps any text as it was: entities, control characters, _xHHHH_, spaces at the edges, long text', () => {
    const texts = ['a & b <c> "d" \'e\'', 'tab\there', 'bell\u0007', 'line\nbreak', '_x0041_ stays', '  padded  ', 'x'.repeat(40000), 'emoji 👮‍♀️', ''];
    const wb = read(writeXlsx([{ name: 'T', widths: [20], rows: [['Text'], ...texts.map((t) => [t])] }]));
    const back = rowsOf(wb, 'T').slice(1).map((x) => x[0]);
    expect(back).toEqual(texts.map((t) => t.slice(0, 32767)));
  });
});

describe('across sessions', () => {
  const r = openRecords();
  storeClass(r, { id: 'may', start: T0 });
  storeClass(r, { id: 'june', start: new Date(2025, 5, 10, 13, 0).getTime(), courseNumber: '3271', course: 'ht-advanced' });
  storeClass(r, { id: 'july', start: new Date(2025, 6, 1, 8, 0).getTime(), courseNumber: null });

  it('the certification roster: one row per trainee per session, by date range and course, laid out as a POST office files it', () => {
    const wb = read(certificationRoster(r, { from: '2025-05-01', to: '2025-06-30' }, { department: DEPT }));
    const rows = rowsOf(wb, 'Roster');
    // The generic POST profile; the officer ID column is headed with the department's label.
    expect(rows[0]).toEqual(['Last name', 'First name', 'TCOLE PID', 'Agency', 'Course number', 'Course title', 'Date(s)', 'Start', 'End', 'Credit hours', 'Score', 'Pass/Fail', 'Instructor(s)', 'Location', 'Certificate number']);
    expect(rows).toHaveLength(11);
    // Each session's trainees by last name; a name typed whole is split, last word last.
    expect(rows.slice(1, 6).map((x) => [x[0], x[1], x[2]])).toEqual([
      ["'=HYPERLINK(\"http://x\"", '"y")', '00123'],
      ['Cole', 'Ben', 'TX-2231'],
      ['Diaz', 'Cara', '88120'],
      ['Ortiz', 'Ana M.', '00417'],
      ['Patel', 'Dev', '00902'],
    ]);
    expect(rows[4]).toEqual(['Ortiz', 'Ana M.', '00417', 'Riverside PD', '3270', TITLE, '2025-05-06', '09:00', '11:00', 2, 100, 'Pass', 'Sgt. Maria Lopez; Det. Sam Reed', 'Riverside Training Center, Room 2', '3270-20250506-001']);
    expect(rows[7].slice(0, 12)).toEqual(['Cole', 'Ben', 'TX-2231', 'Riverside PD', '3271', TITLE, '2025-06-10', '13:00', '15:00', 2, 91.7, 'Pass']);
    const sessions = rowsOf(wb, 'Sessions').slice(1);
    expect(sessions.filter((x) => x[0] === 'may' || x[0] === 'june').map((x) => [x[0], x[1], x[5], x[6], x[7], x[8]])).toEqual([
      ['may', '2025-05-06', '2025-05-06 09:00', '2025-05-06 11:00', 5, 2],
      ['june', '2025-06-10', '2025-06-10 13:00', '2025-06-10 15:00', 5, 2],
    ]);
    expect(sessions.at(-1)?.[0]).toBe('Laid out by the export profile “POST roster (generic)”.');
    // By course (id or number); a session without a course number gets its course id on the certificate.
    expect(rowsOf(read(certificationRoster(r, { course: '3271' })), 'Roster')).toHaveLength(6);
    const july = rowsOf(read(certificationRoster(r, { from: '2025-07-01', to: '2025-07-01' })), 'Roster');
    expect(july.find((x) => x[2] === '00417')?.[14]).toBe('ht-patrol-20250701-001');
  });

  it('bad dates are refused with a clear message', () => {
    expect(() => parseRange({ from: '2025-13-01' })).toThrow('from: not a date (YYYY-MM-DD): "2025-13-01"');
    expect(() => parseRange({ to: '2025-02-30' })).toThrow('to: not a date');
    expect(() => parseRange({ from: '2025-06-02', to: '2025-06-01' })).toThrow('from: 2025-06-02 is after to: 2025-06-01');
  });

  it('search by name or officer ID, and one trainee’s history', () => {
    expect(searchTrainees(r, '0041').map((m) => [m.officerId, m.name, m.sessions])).toEqual([['00417', 'Ana M. Ortiz', 3]]);
    expect(searchTrainees(r, 'cole').map((m) => m.officerId)).toEqual(['TX-2231']);
    expect(searchTrainees(r, '%')).toEqual([]);
    const h = traineeHistory(r, 'tx-2231');
    expect(h.officerId).toBe('TX-2231');
    expect(h.totalHours).toBe(6);
    expect(h.sessions.map((s) => [s.date, s.courseNumber, s.scorePercent, s.result, s.hoursAwarded, s.certificate])).toEqual([
      ['2025-05-06', '3270', 91.7, 'Pass', 2, '3270-20250506-002'],
      ['2025-06-10', '3271', 91.7, 'Pass', 2, '3271-20250610-002'],
      ['2025-07-01', null, 91.7, 'Pass', 2, 'ht-patrol-20250701-002'],
    ]);
  });

  it('weak spots: share correct by topic tag, by agency (however it was typed) and by question, weakest first', () => {
    const w = weakSpots(r, { from: '2025-05-06', to: '2025-05-06' });
    expect(w.sessions).toBe(1);
    expect(w.answers).toBe(17);
    expect(w.byTag.map((t) => [t.tag, t.answered, t.correct, t.share])).toEqual([
      ['definitions', 8, 5, 0.625],
      ['minors', 4, 3, 0.75],
      ['indicators', 5, 4, 0.8],
      ['mandates', 4, 4, 1],
    ]);
    expect(w.byAgency.map((a) => [a.agency, a.trainees, a.answered, a.correct])).toEqual([
      ['County Sheriff', 2, 8, 5],
      ['Riverside PD', 2, 8, 7],
      ['+SUM(1)', 1, 1, 1],
    ]);
    expect(w.byQuestion[0]).toMatchObject({ questionId: 'def-1', answered: 4, correct: 2, share: 0.5, sessions: 1 });
  });
});

describe('the department profile setting', () => {
  it('is read through its schema', () => {
    expect(settingValue('department', { officerIdLabel: 'TCOLE PID', attendanceRule: { minPresentPercent: 90, requirePass: true }, lateGraceMinutes: 5 })).toEqual({
      officerIdLabel: 'TCOLE PID',
      attendanceRule: { minPresentPercent: 90, requirePass: true },
      lateGraceMinutes: 5,
    });
    expect(settingValue('department', { defaultPassMark: 170 })).toBeUndefined();
    expect(settingValue('department', 'TX')).toBeUndefined();
  });
});

describe('muster export on the command line', () => {
  it('writes the roster, one sheet as CSV, a history; refuses bad dates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cli-export-'));
    dirs.push(dir);
    const r = new Records(path.join(dir, 'muster.sqlite'));
    storeClass(r);
    r.close();
    const log = console.log;
    console.log = () => {};
    try {
      const out = (name: string) => path.join(dir, name);
      expect(await main(['export', '--data', dir, '--from', '2025-05-01', '--to', '2025-05-31', '--out', out('roster.xlsx')])).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('roster.xlsx'))), 'Roster')).toHaveLength(6);
      expect(await main(['export', '--data', dir, '--session', 's1', '--sheet', 'Scores', '--csv', '--out', out('scores.csv')])).toBe(0);
      expect(fs.readFileSync(out('scores.csv'), 'utf8')).toContain('3270-20250506-001');
      expect(await main(['export', '--data', dir, '--trainee', '00417', '--out', out('h.xlsx')])).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('h.xlsx'))), 'History')).toHaveLength(2);
      await expect(main(['export', '--data', dir, '--from', '2025-5-1', '--to', '2025-05-31'])).rejects.toThrow('--from: not a date (YYYY-MM-DD): "2025-5-1"');
      await expect(main(['export', '--data', dir, '--session', 's1', '--csv'])).rejects.toThrow('--csv needs --sheet NAME');
    } finally {
      console.log = log;
    }
  });
});
