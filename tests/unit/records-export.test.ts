/**
 * Round trips: a class stored through Records.apply (the engine's RecordOp shapes), exported, and
 * every sheet of its workbook read back with SheetJS holds what the session recorded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { strFromU8, unzipSync } from 'fflate';
import { sessionWorkbookBuffer } from '../../main/records/export';
import {
  T0,
  at,
  pad,
  local,
  HYPER,
  TITLE,
  openRecords,
  storeClass,
  DEPT,
  read,
  rowsOf,
  removeRecordsDirs,
} from '../helpers/records-fixture';

afterAll(removeRecordsDirs);

describe('the session workbook, read back', () => {
  const r = openRecords();
  storeClass(r);
  const buf = sessionWorkbookBuffer(r, 's1', { department: DEPT, now: at(500) });
  const wb = read(buf);

  it('has the sheets in order, every header row frozen', () => {
    expect(wb.SheetNames).toEqual([
      'Summary',
      'Attendance',
      'Scores',
      'Responses',
      'Item analysis',
      'Q&A',
      'Evaluation',
      'Audit log',
    ]);
    const files = unzipSync(buf);
    for (let i = 1; i <= wb.SheetNames.length; i++) {
      const xml = strFromU8(files[`xl/worksheets/sheet${i}.xml`]);
      expect(xml).toContain(
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
      );
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
    expect(summary['Time zone']).toBe(
      `${Intl.DateTimeFormat().resolvedOptions().timeZone} (UTC${(() => {
        const o = -new Date(T0).getTimezoneOffset();
        return `${o < 0 ? '−' : '+'}${pad(Math.floor(Math.abs(o) / 60))}:${pad(Math.abs(o) % 60)}`;
      })()})`,
    );
    for (const sheet of wb.SheetNames)
      expect(JSON.stringify(rowsOf(wb, sheet)), sheet).not.toMatch(/\d{2}:\d{2}:\d{2}|\d{2}Z/);
    expect(summary['Credit rule']).toMatch(/at least 90%.*passed the assessment/);
  });

  it('Attendance: check-in/out, minutes, late arrival and early departure', () => {
    const rows = rowsOf(wb, 'Attendance');
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
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
    ]);
    const t = (m: number) => `2025-05-06 ${pad(9 + Math.floor(m / 60))}:${pad(m % 60)}`;
    expect(rows.slice(1)).toEqual([
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        'Present',
        t(2),
        t(120),
        118,
        1,
        118,
        98.3,
        'No',
        0,
        'No',
        0,
        'No',
        '',
      ],
      [
        'Ben Cole',
        'TX-2231',
        'Riverside PD',
        'Present',
        t(3),
        t(120),
        107,
        2,
        117,
        97.5,
        'No',
        0,
        'No',
        0,
        'No',
        '',
      ],
      [
        'Cara Diaz',
        '88120',
        'County Sheriff',
        'Present',
        t(4),
        t(100),
        96,
        1,
        96,
        80,
        'No',
        0,
        'Yes',
        20,
        'No',
        '',
      ],
      [
        'Dev Patel',
        '00902',
        'county sheriff ',
        'Present',
        t(5),
        t(120),
        115,
        1,
        115,
        95.8,
        'No',
        0,
        'No',
        0,
        'No',
        '',
      ],
      [
        `'${HYPER}`,
        '00123',
        "'+SUM(1)",
        'Present',
        t(15),
        t(120),
        105,
        1,
        105,
        87.5,
        'Yes',
        15,
        'No',
        0,
        'No',
        '',
      ],
    ]);
  });

  it('Scores: correctness only, pass mark, credit by the rule, certificate numbers in join order', () => {
    const rows = rowsOf(wb, 'Scores');
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
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
      'Scenario decisions voted',
      'Scenario judgement %',
    ]);
    // No pre-test or post-test in this class: those columns stay empty, and the live questions decide.
    expect(rows.slice(1)).toEqual([
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        4,
        4,
        4,
        100,
        75,
        'Pass',
        '',
        '',
        '',
        98.3,
        'Yes',
        'Yes',
        2,
        '3270-20250506-001',
        '',
        '',
      ],
      // Partial credit on the multiple select: (1 + 2/3 + 1 + 1) / 4. Present by check-in to check-out, though his phone slept.
      [
        'Ben Cole',
        'TX-2231',
        'Riverside PD',
        4,
        4,
        3,
        91.7,
        75,
        'Pass',
        '',
        '',
        '',
        97.5,
        'No',
        'Yes',
        2,
        '3270-20250506-002',
        '',
        '',
      ],
      [
        'Cara Diaz',
        '88120',
        'County Sheriff',
        4,
        4,
        4,
        100,
        75,
        'Pass',
        '',
        '',
        '',
        80,
        'Yes',
        'No',
        0,
        '',
        '',
        '',
      ],
      [
        'Dev Patel',
        '00902',
        'county sheriff ',
        4,
        4,
        1,
        25,
        75,
        'Fail',
        '',
        '',
        '',
        95.8,
        'No',
        'No',
        0,
        '',
        '',
        '',
      ],
      [
        `'${HYPER}`,
        '00123',
        "'+SUM(1)",
        4,
        1,
        1,
        25,
        75,
        'Fail',
        '',
        '',
        '',
        87.5,
        'Yes',
        'No',
        0,
        '',
        '',
        '',
      ],
    ]);
  });

  it('the credit rule is the department’s: minutes connected, no pass needed', () => {
    const strict = read(
      sessionWorkbookBuffer(r, 's1', {
        department: {
          attendanceRule: { basis: 'connected', requirePass: false, minPresentPercent: 90 },
        },
      }),
    );
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
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Correct',
      'Score',
      'First answered',
      'Final answer at',
      'Changes',
    ]);
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
    expect(rows[0].slice(0, 11)).toEqual([
      '#',
      'Slide',
      'Question ID',
      'Question',
      'Type',
      'Tags',
      'Opened',
      'Answered',
      'Correct answer',
      'Correct',
      'Share correct',
    ]);
    expect(rows[0].slice(11)).toEqual([
      'Asked in',
      'Choice 1',
      'Count 1',
      'Choice 2',
      'Count 2',
      'Choice 3',
      'Count 3',
      'Choice 4',
      'Count 4',
      'Choice 5',
      'Count 5',
    ]);
    const pad = (xs: unknown[]) => [
      ...xs.slice(0, 6),
      'Live',
      ...xs.slice(6),
      ...Array(16 - xs.length).fill(null),
    ];
    expect(rows.slice(1).map((x) => [x[2], x[5], ...x.slice(7)])).toEqual([
      pad(['ind-1', 'indicators', 5, 'B', 4, 0.8, 'A', 1, 'B', 4, 'C', 0]),
      pad([
        'def-1',
        'definitions',
        4,
        'Force | Fraud | Coercion',
        2,
        0.5,
        'Force',
        3,
        'Fraud',
        3,
        'Coercion',
        2,
        'Movement',
        1,
      ]),
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
      [
        '2025-05-06 09:30',
        'Ana M. Ortiz',
        '00417',
        'No',
        'Is a T visa the same as a U visa?',
        'approved',
        'Yes',
        2,
      ],
      [
        '2025-05-06 09:31',
        '',
        '',
        'Yes',
        "'@SUM(A1) what if the victim is a minor?",
        'pending',
        'No',
        0,
      ],
    ]);
  });

  it('Evaluation: the answers to evaluation questions (id eval…, or tagged evaluation)', () => {
    const rows = rowsOf(wb, 'Evaluation');
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
      'Agency',
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Answered at',
    ]);
    expect(rows.slice(1).map((x) => x.slice(0, 7))).toEqual([
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        'eval-useful',
        'How useful for your duties?',
        'rating',
        5,
      ],
      [
        'Cara Diaz',
        '88120',
        'County Sheriff',
        'eval-useful',
        'How useful for your duties?',
        'rating',
        3,
      ],
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        'comments',
        'Comments on the instructor',
        'text',
        'Clear and practical',
      ],
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
      const name = Object.keys(ws).find(
        (k) => !k.startsWith('!') && String((ws[k] as XLSX.CellObject).v).includes('HYPERLINK'),
      )!;
      const cell = ws[name] as XLSX.CellObject;
      expect(cell.t).toBe('s');
      expect(cell.v).toBe(`'${HYPER}`);
      expect(cell.f).toBeUndefined();
      const id = ws[
        XLSX.utils.encode_cell({ r: XLSX.utils.decode_cell(name).r, c: 1 })
      ] as XLSX.CellObject;
      expect([id.t, id.v]).toEqual(['s', '00123']);
    }
  });

  it('an unfinished session awards nothing yet', () => {
    const r2 = openRecords();
    storeClass(r2);
    r2.db.prepare(`UPDATE sessions SET ended_at = NULL`).run();
    const rows = rowsOf(read(sessionWorkbookBuffer(r2, 's1', { now: at(120) })), 'Scores');
    expect(rows.slice(1).map((x) => [x[8], x[14], x[15], x[16]])).toEqual(
      Array(5)
        .fill(['', '', '', ''])
        .map((x, i) => (i === 3 || i === 4 ? ['Fail', '', '', ''] : ['Pass', '', '', ''])),
    );
  });
});
