// The session workbook's Attendance sheet, read back: check-in and check-out, minutes, late
// arrivals and early departures, as records-fixture.ts stored them.
import { afterAll, describe, expect, it } from 'vitest';
import { pad, HYPER, rowsOf, removeRecordsDirs } from '../helpers/records-fixture';
import { sessionWorkbook } from '../helpers/session-workbook';

afterAll(removeRecordsDirs);

describe('the session workbook, read back', () => {
  const { wb } = sessionWorkbook();

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
});
