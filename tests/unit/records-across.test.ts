/**
 * The exports beyond one session's workbook: defensive sheets, CSV, the xlsx writer, the
 * certification roster, history and weak spots across sessions, and `muster export`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
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
import {
  T0,
  HYPER,
  TITLE,
  openRecords,
  storeClass,
  DEPT,
  read,
  rowsOf,
  removeRecordsDirs,
  trackDir,
} from '../helpers/records-fixture';

afterAll(removeRecordsDirs);

describe('sheets written defensively', () => {
  it('without a qa_questions table, and with no evaluation or correction, the sheets have headers only', () => {
    const r = openRecords();
    r.apply([
      {
        op: 'session',
        id: 'x',
        roomCode: '1',
        course: 'c',
        courseTitle: 'C',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'f',
        title: 'T',
        at: T0,
      },
      {
        op: 'trainee',
        id: 'a',
        sessionId: 'x',
        name: 'Ana',
        officerId: '007',
        agency: 'PD',
        at: T0,
      },
    ]);
    r.db.exec('DROP TABLE IF EXISTS qa_votes; DROP TABLE IF EXISTS qa_questions;');
    const wb = read(sessionWorkbookBuffer(r, 'x'));
    expect(rowsOf(wb, 'Q&A')).toEqual([
      ['Asked at', 'Name', 'Officer ID', 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
    ]);
    expect(rowsOf(wb, 'Evaluation')).toHaveLength(1);
    expect(rowsOf(wb, 'Audit log')).toHaveLength(1);
    const summary = Object.fromEntries(rowsOf(wb, 'Summary').slice(1) as [string, unknown][]);
    expect(summary).toMatchObject({
      'Pass mark (%)': 70,
      'Pass mark set by': 'Department default',
      'Credit hours': '',
      'Q&A questions': 0,
      Status: 'In progress',
    });
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
    expect(lines[0]).toBe(
      'Name,Officer ID,Agency,Status,Check-in,Check-out,Minutes present,Connected intervals,Minutes in class,Present %,Late arrival,Minutes late,Early departure,Minutes early,Corrected,Correction reason',
    );
    expect(lines[5]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",00123,'\+SUM\(1\),/);
    expect(parseCsv(csv)[5].slice(0, 3)).toEqual([`'${HYPER}`, '00123', "'+SUM(1)"]);
    expect(sheetCsv(r, 's1', 'item-analysis')).toContain('ind-1');
    expect(sheetCsv(r, 's1', 'qa')).toContain('"Is a T visa the same as a U visa?"'.slice(1, -1));
    expect(sheetCsv(r, 's1', 'Nope')).toBeUndefined();
  });

  it('quotes commas, quotes and line breaks; nothing else', () => {
    const csv = toCsv({
      name: 'x',
      widths: [],
      rows: [['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rx', 1.5, null, '']],
    });
    expect(csv).toBe('a,"b,c","say ""hi""","two\nlines","cr\rx",1.5,,\r\n');
    expect(parseCsv(csv)[0]).toEqual([
      'a',
      'b,c',
      'say "hi"',
      'two\nlines',
      'cr\rx',
      '1.5',
      '',
      '',
    ]);
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
    const selfClosing =
      '<worksheet><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData/></worksheet>';
    const frozen = freezeHeaderRow(selfClosing);
    expect(frozen).toContain(
      '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
    );
    expect(freezeHeaderRow(frozen)).toBe(frozen);
    const none = freezeHeaderRow(
      '<worksheet><dimension ref="A1"/><cols><col min="1" max="1" width="9"/></cols><sheetData/></worksheet>',
    );
    expect(none).toMatch(
      /<dimension ref="A1"\/><sheetViews><sheetView workbookViewId="0"><pane [^>]*state="frozen"\/>.*<\/sheetViews><cols>/,
    );
  });

  it('keeps any text as it was: entities, control characters, _xHHHH_, spaces at the edges, long text', () => {
    const texts = [
      'a & b <c> "d" \'e\'',
      'tab\there',
      'bell\u0007',
      'line\nbreak',
      '_x0041_ stays',
      '  padded  ',
      'x'.repeat(40000),
      'emoji 👮‍♀️',
      '',
    ];
    const wb = read(
      writeXlsx([{ name: 'T', widths: [20], rows: [['Text'], ...texts.map((t) => [t])] }]),
    );
    const back = rowsOf(wb, 'T')
      .slice(1)
      .map((x) => x[0]);
    expect(back).toEqual(texts.map((t) => t.slice(0, 32767)));
  });
});

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

describe('the department profile setting', () => {
  it('is read through its schema', () => {
    expect(
      settingValue('department', {
        officerIdLabel: 'TCOLE PID',
        attendanceRule: { minPresentPercent: 90, requirePass: true },
        lateGraceMinutes: 5,
      }),
    ).toEqual({
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
    trackDir(dir);
    const r = new Records(path.join(dir, 'muster.sqlite'));
    storeClass(r);
    r.close();
    const log = console.log;
    console.log = () => {};
    try {
      const out = (name: string) => path.join(dir, name);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--from',
          '2025-05-01',
          '--to',
          '2025-05-31',
          '--out',
          out('roster.xlsx'),
        ]),
      ).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('roster.xlsx'))), 'Roster')).toHaveLength(6);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--session',
          's1',
          '--sheet',
          'Scores',
          '--csv',
          '--out',
          out('scores.csv'),
        ]),
      ).toBe(0);
      expect(fs.readFileSync(out('scores.csv'), 'utf8')).toContain('3270-20250506-001');
      expect(
        await main(['export', '--data', dir, '--trainee', '00417', '--out', out('h.xlsx')]),
      ).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('h.xlsx'))), 'History')).toHaveLength(2);
      await expect(
        main(['export', '--data', dir, '--from', '2025-5-1', '--to', '2025-05-31']),
      ).rejects.toThrow('--from: not a date (YYYY-MM-DD): "2025-5-1"');
      await expect(main(['export', '--data', dir, '--session', 's1', '--csv'])).rejects.toThrow(
        '--csv needs --sheet NAME',
      );
    } finally {
      console.log = log;
    }
  });
});
