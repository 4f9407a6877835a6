// The session workbook's Scores sheet, read back: correctness, the pass mark, and credit and
// certificate numbers by the department's rule, only once the session has ended.
import { afterAll, describe, expect, it } from 'vitest';
import { sessionWorkbookBuffer } from '../../main/records/export';
import {
  at,
  HYPER,
  openRecords,
  storeClass,
  read,
  rowsOf,
  removeRecordsDirs,
} from '../helpers/records-fixture';
import { sessionWorkbook } from '../helpers/session-workbook';

afterAll(removeRecordsDirs);

describe('the session workbook, read back', () => {
  const { r, wb } = sessionWorkbook();

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
