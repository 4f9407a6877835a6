/**
 * The exports across sessions: the certification roster by date range and course, one trainee's
 * history, and weak spots by topic, agency and question.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  certificationRoster,
  parseRange,
  searchTrainees,
  traineeHistory,
  weakSpots,
} from '../../main/records/export';
import {
  T0,
  TITLE,
  openRecords,
  storeClass,
  DEPT,
  read,
  rowsOf,
  removeRecordsDirs,
} from '../helpers/records-fixture';

afterAll(removeRecordsDirs);

describe('across sessions', () => {
  const r = openRecords();
  storeClass(r, { id: 'may', start: T0 });
  storeClass(r, {
    id: 'june',
    start: new Date(2025, 5, 10, 13, 0).getTime(),
    courseNumber: '3271',
    course: 'ht-advanced',
  });
  storeClass(r, { id: 'july', start: new Date(2025, 6, 1, 8, 0).getTime(), courseNumber: null });

  it('the certification roster: one row per trainee per session, by date range and course, laid out as a POST office files it', () => {
    const wb = read(
      certificationRoster(r, { from: '2025-05-01', to: '2025-06-30' }, { department: DEPT }),
    );
    const rows = rowsOf(wb, 'Roster');
    // The generic POST profile; the officer ID column is headed with the department's label.
    expect(rows[0]).toEqual([
      'Last name',
      'First name',
      'TCOLE PID',
      'Agency',
      'Course number',
      'Course title',
      'Date(s)',
      'Start',
      'End',
      'Credit hours',
      'Score',
      'Pass/Fail',
      'Instructor(s)',
      'Location',
      'Certificate number',
    ]);
    expect(rows).toHaveLength(11);
    // Each session's trainees by last name; a name typed whole is split, last word last.
    expect(rows.slice(1, 6).map((x) => [x[0], x[1], x[2]])).toEqual([
      ['\'=HYPERLINK("http://x"', '"y")', '00123'],
      ['Cole', 'Ben', 'TX-2231'],
      ['Diaz', 'Cara', '88120'],
      ['Ortiz', 'Ana M.', '00417'],
      ['Patel', 'Dev', '00902'],
    ]);
    expect(rows[4]).toEqual([
      'Ortiz',
      'Ana M.',
      '00417',
      'Riverside PD',
      '3270',
      TITLE,
      '2025-05-06',
      '09:00',
      '11:00',
      2,
      100,
      'Pass',
      'Sgt. Maria Lopez; Det. Sam Reed',
      'Riverside Training Center, Room 2',
      '3270-20250506-001',
    ]);
    expect(rows[7].slice(0, 12)).toEqual([
      'Cole',
      'Ben',
      'TX-2231',
      'Riverside PD',
      '3271',
      TITLE,
      '2025-06-10',
      '13:00',
      '15:00',
      2,
      91.7,
      'Pass',
    ]);
    const sessions = rowsOf(wb, 'Sessions').slice(1);
    expect(
      sessions
        .filter((x) => x[0] === 'may' || x[0] === 'june')
        .map((x) => [x[0], x[1], x[5], x[6], x[7], x[8]]),
    ).toEqual([
      ['may', '2025-05-06', '2025-05-06 09:00', '2025-05-06 11:00', 5, 2],
      ['june', '2025-06-10', '2025-06-10 13:00', '2025-06-10 15:00', 5, 2],
    ]);
    expect(sessions.at(-1)?.[0]).toBe('Laid out by the export profile “POST roster (generic)”.');
    // By course (id or number); a session without a course number gets its course id on the certificate.
    expect(rowsOf(read(certificationRoster(r, { course: '3271' })), 'Roster')).toHaveLength(6);
    const july = rowsOf(
      read(certificationRoster(r, { from: '2025-07-01', to: '2025-07-01' })),
      'Roster',
    );
    expect(july.find((x) => x[2] === '00417')?.[14]).toBe('ht-patrol-20250701-001');
  });

  it('bad dates are refused with a clear message', () => {
    expect(() => parseRange({ from: '2025-13-01' })).toThrow(
      'from: not a date (YYYY-MM-DD): "2025-13-01"',
    );
    expect(() => parseRange({ to: '2025-02-30' })).toThrow('to: not a date');
    expect(() => parseRange({ from: '2025-06-02', to: '2025-06-01' })).toThrow(
      'from: 2025-06-02 is after to: 2025-06-01',
    );
  });

  it('search by name or officer ID, and one trainee’s history', () => {
    expect(searchTrainees(r, '0041').map((m) => [m.officerId, m.name, m.sessions])).toEqual([
      ['00417', 'Ana M. Ortiz', 3],
    ]);
    expect(searchTrainees(r, 'cole').map((m) => m.officerId)).toEqual(['TX-2231']);
    expect(searchTrainees(r, '%')).toEqual([]);
    const h = traineeHistory(r, 'tx-2231');
    expect(h.officerId).toBe('TX-2231');
    expect(h.totalHours).toBe(6);
    expect(
      h.sessions.map((s) => [
        s.date,
        s.courseNumber,
        s.scorePercent,
        s.result,
        s.hoursAwarded,
        s.certificate,
      ]),
    ).toEqual([
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
    expect(w.byQuestion[0]).toMatchObject({
      questionId: 'def-1',
      answered: 4,
      correct: 2,
      share: 0.5,
      sessions: 1,
    });
  });
});
