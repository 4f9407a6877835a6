/**
 * What the records office files, from a 30-trainee class day stored through Records.apply: the
 * sign-in sheet PDF (every module, last/first name sorted by last name, check-in and check-out,
 * the rostered no-shows, 25 officers a page), the certification roster by each shipped export
 * profile, the weak-spot report with the pre-test kept apart, and names split for a state roster.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import {
  certificationRoster,
  pdfText,
  renderPdf,
  resultsPdf,
  signInSheetPdf,
  weakSpots,
} from '../../main/records/export';
import { sessionInstructors, splitName } from '../../main/records/export/names';
import { localInstants, readableJson } from '../../main/records/export/cells';
import { makeClock } from '../../shared/clock';
import { main } from '../../main/cli';
import { SHIPPED_PROFILES, formatDate, formatTime } from '../../shared/export-profiles';
import { MODULES, storeClassDay } from '../helpers/class-day';
import { readPdf } from '../helpers/pdf';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function open(): { r: Records; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-documents-'));
  dirs.push(dir);
  return { r: new Records(path.join(dir, 'muster.sqlite')), dir };
}

/** An evening class in Chicago: 18:30 on 4 December is 00:30 UTC on the 5th. */
const START = Date.parse('2026-12-05T00:30:00Z');
const CHICAGO = {
  timeZone: 'America/Chicago',
  officerIdLabel: 'TCOLE PID',
  agency: 'Riverside Regional Academy',
  instructors: [{ name: 'Maria Lopez', id: '1187' }],
};

describe('the sign-in sheet PDF', () => {
  const { r } = open();
  const day = storeClassDay(r, START);

  it('one page per 25 officers: 30 who came and 2 rostered who did not make 2 pages, the rest of the last page for walk-ins', async () => {
    const pdf = await readPdf(
      await renderPdf(signInSheetPdf(r, day.sessionId, { department: CHICAGO })),
    );
    expect(pdf.size).toEqual([612, 792]);
    expect(pdf.pages).toHaveLength(2);
    for (const page of pdf.pages) {
      // Every page is a sheet of its own: course, date, time in the zone, every module of the day.
      expect(page).toContain('Human Trafficking: Identify and Respond (Patrol)');
      expect(page).toContain('Date 2026-12-04');
      expect(page).toContain('18:30–02:30, America/Chicago (UTC-06:00)');
      for (const m of MODULES) expect(page.replace(/\s+/g, ' ')).toContain(m);
      expect(page).toContain('# Last name First name TCOLE PID Agency In Out Signature');
      expect(page).toContain('Instructor signature');
    }
    const lines = (page: string) =>
      [...page.matchAll(/(?:^| )(\d{1,2}) (?=\S)/g)].map((m) => Number(m[1]));
    expect(Math.max(...lines(pdf.pages[0]))).toBe(25);
    expect(pdf.pages[1]).toMatch(/ 50 /);
  });

  it('sorts by last name, with first name, ID, agency, check-in and check-out, and the rostered no-shows', async () => {
    const all = (
      await readPdf(await renderPdf(signInSheetPdf(r, day.sessionId, { department: CHICAGO })))
    ).pages.join(' ');
    // Ana Ortiz joined at 18:31 and stayed to the end; Linh Brown left at 01:10.
    expect(all).toMatch(/Ortiz Ana 00417 Riverside Police Department 18:31 02:30/);
    expect(all).toMatch(/Brown Linh 20148 Riverside Police Department 18:3\d 01:10/);
    // Rosa Alvarez is on the roster (first and last name from it) and never came: a line with no times.
    expect(all).toMatch(/2 Alvarez Rosa 00777 Riverside Police Department 3 /);
    const order = [
      'Alvarez',
      'Brown',
      'Cole',
      'de la Cruz',
      'Diaz',
      'Hernández',
      'Johnson',
      'Kowalski',
      'Nguyen',
      'Okafor',
      'Ortiz',
      'Patel',
      'Reyes',
      'Schmidt',
      'Van Dyke',
      'Whitfield',
      'Williams',
    ];
    const at = order.map((n) => all.indexOf(` ${n} `));
    expect(at.every((x) => x > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('prints any name Helvetica cannot as the nearest letters, never as garbage', () => {
    // ó and é are in Helvetica's set; Ł, Ż, ć are not, and become their base letters.
    expect(pdfText('Łukasz Żółć — “José” ≥ 5 ✓ 日本')).toBe('Lukasz Zólc — “José” >= 5 v ??');
  });
});

describe('the certification roster by export profile', () => {
  const { r } = open();
  const day = storeClassDay(r, START);
  const range = { from: '2026-12-04', to: '2026-12-04' };
  const roster = (profile?: string, o: object = {}) =>
    XLSX.utils.sheet_to_json<unknown[]>(
      XLSX.read(certificationRoster(r, range, { department: CHICAGO, profile, ...o }), {
        type: 'buffer',
      }).Sheets.Roster,
      { header: 1 },
    );

  it('the shipped POST profile has what a state office files, in order, IDs as typed, times local', () => {
    const rows = roster('post-roster');
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
    expect(rows).toHaveLength(1 + day.people.length);
    const ana = rows.find((x) => x[2] === '00417')!;
    expect(ana).toEqual([
      'Ortiz',
      'Ana',
      '00417',
      'Riverside Police Department',
      '3270',
      'Human Trafficking: Identify and Respond (Patrol)',
      '2026-12-04 – 2026-12-05',
      '18:30',
      '02:30',
      8,
      80,
      'Pass',
      'Sgt. Maria Lopez (1187); Det. Sam Reed (4471)',
      'Riverside Regional Training Center, Room 2',
      '3270-20261204-001',
    ]);
    // No session ID, no internal UUID anywhere on it.
    expect(JSON.stringify(rows)).not.toMatch(/day-1/);
  });

  it('TCOLE and Florida CJSTC profiles: their headers, US dates, 12-hour times for Florida', () => {
    const tcole = roster('tcole');
    expect(tcole[0]).toEqual([
      'PID',
      'Last Name',
      'First Name',
      'Agency',
      'Course Number',
      'Course Title',
      'Begin Date',
      'End Date',
      'Start Time',
      'End Time',
      'Hours',
      'Score',
      'Pass/Fail',
      'Instructor (PID)',
      'Location',
      'Certificate Number',
    ]);
    expect(tcole.find((x) => x[0] === '00417')!.slice(6, 10)).toEqual([
      '12/04/2026',
      '12/05/2026',
      '18:30',
      '02:30',
    ]);
    const fl = roster('fl-cjstc');
    expect(fl[0].slice(0, 4)).toEqual([
      'Last Name',
      'First Name',
      'Officer ID',
      'Employing Agency',
    ]);
    expect(fl.find((x) => x[2] === '00417')!.slice(6, 10)).toEqual([
      '12/04/2026',
      '12/05/2026',
      '6:30 PM',
      '2:30 AM',
    ]);
  });

  it('a profile is data: columns, headers, a fixed text, who is listed', () => {
    const mine = {
      id: 'mine',
      name: 'Ours',
      note: '',
      dateFormat: 'YYYYMMDD' as const,
      timeFormat: 'HH:mm' as const,
      include: 'credit' as const,
      columns: [
        { field: 'officerId' as const, header: 'Student ID' },
        { field: 'fixed' as const, header: 'Provider', value: 'TP-0042' },
        { field: 'startDate' as const, header: 'Day' },
        { field: 'creditHours' as const, header: '' },
      ],
    };
    const rows = roster('mine', { profiles: [mine] });
    expect(rows[0]).toEqual(['Student ID', 'Provider', 'Day', 'Credit hours awarded']);
    expect(rows.find((x) => x[0] === '00417')).toEqual(['00417', 'TP-0042', '20261204', 8]);
    // Only those who earned the credit.
    expect(rows.length).toBeLessThan(1 + day.people.length);
    expect(rows.slice(1).every((x) => x[3] === 8)).toBe(true);
    expect(() => roster('nobody', { profiles: [mine] })).toThrow(/no export profile "nobody"/);
  });

  it('formats dates and times as a profile says', () => {
    expect(
      ['YYYY-MM-DD', 'MM/DD/YYYY', 'M/D/YYYY', 'DD/MM/YYYY', 'YYYYMMDD'].map((f) =>
        formatDate('2026-03-04', f as never),
      ),
    ).toEqual(['2026-03-04', '03/04/2026', '3/4/2026', '04/03/2026', '20260304']);
    expect(['00:05', '09:30', '12:00', '18:30'].map((t) => formatTime(t, 'h:mm AM'))).toEqual([
      '12:05 AM',
      '9:30 AM',
      '12:00 PM',
      '6:30 PM',
    ]);
    expect(SHIPPED_PROFILES.map((p) => p.id)).toEqual(['post-roster', 'tcole', 'fl-cjstc']);
  });
});

describe('reports that mean what they say', () => {
  const { r, dir } = open();
  const day = storeClassDay(r, START);

  it('weak spots count post-test, quiz and live answers; the pre-test is the baseline beside them', () => {
    const w = weakSpots(r, { from: '2026-12-04', to: '2026-12-04' }, { department: CHICAGO });
    // 30 trainees: 12 live questions and a 10-question post-test are counted; the 10-question pre-test is not.
    expect([w.answers, w.pretestAnswers]).toEqual([30 * 22, 30 * 10]);
    const ind = w.byTag.find((t) => t.tag === 'indicators')!;
    expect(ind.answered + ind.pretest.answered).toBeGreaterThan(ind.answered);
    expect(ind.pretest.share).toBeLessThan(ind.share);
    // The day is the department's: in UTC this class is on the 5th.
    expect(
      weakSpots(r, { from: '2026-12-05', to: '2026-12-05' }, { department: CHICAGO }).sessions,
    ).toBe(0);
  });

  it('a class results PDF, and `muster export … --pdf` writes the PDFs', async () => {
    const pdf = await readPdf(
      await renderPdf(resultsPdf(r, day.sessionId, { department: CHICAGO })),
    );
    expect(pdf.pages[0]).toContain('30 trainees');
    expect(pdf.pages.join(' ')).toMatch(
      /Alvarez Rosa 00777 Riverside Police Department Absent \(rostered, never joined\)/,
    );
    r.close();
    const log = console.log;
    console.log = () => {};
    try {
      const out = (n: string) => path.join(dir, n);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--session',
          day.sessionId,
          '--sign-in',
          '--out',
          out('s.pdf'),
        ]),
      ).toBe(0);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--session',
          day.sessionId,
          '--pdf',
          '--out',
          out('r.pdf'),
        ]),
      ).toBe(0);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--profile',
          'tcole',
          '--pdf',
          '--out',
          out('roster.pdf'),
        ]),
      ).toBe(0);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--profile',
          'tcole',
          '--csv',
          '--out',
          out('roster.csv'),
        ]),
      ).toBe(0);
      for (const f of ['s.pdf', 'r.pdf', 'roster.pdf'])
        expect(fs.readFileSync(out(f)).subarray(0, 5).toString()).toBe('%PDF-');
      expect(fs.readFileSync(out('roster.csv'), 'utf8')).toMatch(/^PID,Last Name,First Name,/);
      await expect(
        main(['export', '--data', dir, '--from', '2026-12-01', '--profile', 'nobody']),
      ).rejects.toThrow(/no export profile "nobody"/);
      await expect(main(['export', '--data', dir, '--trainee', '00417', '--pdf'])).rejects.toThrow(
        /--csv and --pdf go with --session ID or --from\/--to/,
      );
    } finally {
      console.log = log;
    }
  });
});

describe('stored text as a person reads it', () => {
  it('instants in an audit reason and in before/after JSON are local time, to the minute', () => {
    const chicago = makeClock('America/Chicago');
    expect(
      localInstants(
        'Roster imported 2026-12-05T00:00:00.000Z, before the session; adopted when it started',
        chicago,
      ),
    ).toBe('Roster imported 2026-12-04 18:00, before the session; adopted when it started');
    expect(
      readableJson('{"checkIn":"2026-12-05T01:53:50.503Z","checkOut":null,"n":2}', chicago),
    ).toBe('checkIn: 2026-12-04 19:53; checkOut: —; n: 2');
    expect(readableJson('not json', chicago)).toBe('not json');
    expect(readableJson('{"name":"=HYPERLINK(1)"}', chicago)).toBe('name: =HYPERLINK(1)');
    expect(readableJson('"=1+1"', chicago)).toBe("'=1+1");
  });
});

describe('names for a state roster', () => {
  it('splits a typed name into last and first name', () => {
    const cases: [string, [string, string]][] = [
      ['Ana M. Ortiz', ['Ortiz', 'Ana M.']],
      ['Ortiz, Ana M.', ['Ortiz', 'Ana M.']],
      ['María de la Cruz', ['de la Cruz', 'María']],
      ['Pieter van der Berg', ['van der Berg', 'Pieter']],
      ['Sam Reed Jr.', ['Reed Jr.', 'Sam']],
      ['Sam Reed, Jr.', ['Reed Jr.', 'Sam']],
      ['Cher', ['Cher', '']],
      ['  Ben   Cole ', ['Cole', 'Ben']],
    ];
    for (const [name, [last, first]] of cases)
      expect(splitName(name), name).toEqual({ last, first });
  });

  it('finds each instructor’s ID: in brackets as typed, or in the department’s register', () => {
    const register = [{ name: 'Maria Lopez', id: '1187' }];
    expect(
      sessionInstructors('Sgt. Maria Lopez; Det. Sam Reed (PID 4471)\nTom Brown', register),
    ).toEqual([
      { name: 'Sgt. Maria Lopez', id: '1187' },
      { name: 'Det. Sam Reed', id: '4471' },
      { name: 'Tom Brown', id: '' },
    ]);
    expect(sessionInstructors(null, register)).toEqual([]);
  });
});
