/**
 * The records as a clerk prints them, for a 30-trainee class (32 on the roster): LibreOffice prints
 * every sheet of the session workbook and of the certification roster to PDF, and the pages are
 * read back (pdf.js): each sheet starts on a page of its own with all its columns on it (one page
 * wide), the header row again on every page, the footer naming the sheet and the page; the page
 * counts stay what a 30-trainee class needs. The sign-in sheet (our own PDF) has a page per 25
 * officers. Pictures of the pages go to test-output/screenshots/ to be looked at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import {
  SIGN_IN_LINES_PER_PAGE,
  certificationRoster,
  renderPdf,
  sessionWorkbookBuffer,
  signInLines,
  signInSheetPdf,
} from '../../main/records/export';
import { storeClassDay } from '../helpers/class-day';
import { readPdf } from '../helpers/pdf';
import type { PdfRead } from '../helpers/pdf';
import { pagePictures, toPdf } from '../helpers/office';
import { shotPath } from '../helpers/browser';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-printing-'));
const DEPT = {
  timeZone: 'America/Chicago',
  officerIdLabel: 'TCOLE PID',
  agency: 'Riverside Regional Academy',
  instructors: [{ name: 'Maria Lopez', id: '1187' }],
};
let records: Records;
let sessionId: string;
let workbook: { book: XLSX.WorkBook; pdf: PdfRead };
let roster: { book: XLSX.WorkBook; pdf: PdfRead };

/** The pages of each sheet, by the footer LibreOffice printed on them ("Attendance · Page 3 of 28"). */
function pagesBySheet(pdf: PdfRead, sheets: string[]): Map<string, string[]> {
  const by = new Map<string, string[]>(sheets.map((s) => [s, []]));
  for (const page of pdf.pages) {
    const sheet = sheets.find((s) => page.includes(`${s} · Page `));
    if (!sheet) throw new Error(`a page with no sheet's footer: ${page.slice(0, 120)}`);
    by.get(sheet)!.push(page);
  }
  return by;
}

/** The words of each header cell of a sheet. */
const headerWords = (book: XLSX.WorkBook, sheet: string) =>
  (XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[sheet], { header: 1 })[0] as string[])
    .flatMap((h) => String(h).split(/\s+/))
    .filter(Boolean);
const words = (page: string) => new Set(page.split(/\s+/));

beforeAll(async () => {
  records = new Records(path.join(dir, 'muster.sqlite'));
  sessionId = storeClassDay(records, Date.parse('2026-12-05T00:30:00Z')).sessionId;
  const files = {
    workbook: path.join(dir, 'class-day.xlsx'),
    roster: path.join(dir, 'roster.xlsx'),
  };
  fs.writeFileSync(files.workbook, sessionWorkbookBuffer(records, sessionId, { department: DEPT }));
  fs.writeFileSync(
    files.roster,
    certificationRoster(records, { from: '2026-12-01', to: '2026-12-31' }, { department: DEPT }),
  );
  const [wbPdf, rosterPdf] = await toPdf([files.workbook, files.roster], dir);
  await pagePictures(wbPdf, shotPath('print-class-day').replace(/\.png$/, ''));
  await pagePictures(rosterPdf, shotPath('print-roster').replace(/\.png$/, ''));
  workbook = {
    book: XLSX.read(fs.readFileSync(files.workbook)),
    pdf: await readPdf(fs.readFileSync(wbPdf)),
  };
  roster = {
    book: XLSX.read(fs.readFileSync(files.roster)),
    pdf: await readPdf(fs.readFileSync(rosterPdf)),
  };
}, 240_000);
afterAll(() => {
  records?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('printed by LibreOffice', () => {
  it('every sheet of the session workbook: one page wide, the header row on every page, page counts of a 30-trainee class', () => {
    const sheets = workbook.book.SheetNames;
    const pages = pagesBySheet(workbook.pdf, sheets);
    for (const sheet of sheets) {
      const own = pages.get(sheet)!;
      expect(own.length, sheet).toBeGreaterThan(0);
      // All columns on every page: nothing of the sheet printed on a page of its own to the right.
      for (const page of own)
        for (const w of headerWords(workbook.book, sheet))
          expect(words(page).has(w), `${sheet}: "${w}" on each page`).toBe(true);
      expect(own.at(-1), sheet).toMatch(
        new RegExp(`${sheet} · Page \\d+ of ${workbook.pdf.pages.length}`),
      );
    }
    const count = Object.fromEntries([...pages].map(([s, p]) => [s, p.length]));
    // The Summary's two columns on one page; 32 people on two pages at most; 960 answers, one line each.
    expect(count.Summary).toBe(1);
    expect(count.Attendance).toBeLessThanOrEqual(2);
    expect(count.Scores).toBeLessThanOrEqual(2);
    expect(count.Responses).toBeLessThanOrEqual(24);
    expect(count['Item analysis']).toBeLessThanOrEqual(4);
    expect(workbook.pdf.pages.length).toBeLessThanOrEqual(36);
    // Wide sheets print landscape, the Summary portrait; times local, with no Z.
    expect(workbook.pdf.sizes[0]).toEqual([612, 792]);
    expect(workbook.pdf.sizes[workbook.pdf.pages.indexOf(pages.get('Attendance')![0])]).toEqual([
      792, 612,
    ]);
    expect(pages.get('Attendance')![0]).toContain('2026-12-04 18:31');
    expect(workbook.pdf.pages.join(' ')).not.toMatch(/\d{2}:\d{2}:\d{2}|\dZ\b/);
  });

  it('the certification roster fits one page wide: every column of all 30 trainees on one landscape page', () => {
    const pages = pagesBySheet(roster.pdf, roster.book.SheetNames);
    const own = pages.get('Roster')!;
    expect(own).toHaveLength(1);
    expect(roster.pdf.sizes[0]).toEqual([792, 612]);
    for (const w of headerWords(roster.book, 'Roster')) expect(words(own[0]).has(w), w).toBe(true);
    for (const id of ['00417', '20259', '21073']) expect(own[0]).toContain(id);
    expect(pages.get('Sessions')).toHaveLength(1);
  });
});

describe('the sign-in sheet PDF', () => {
  it('has a page per 25 officers, each officer once', async () => {
    const lines = signInLines(records, sessionId, { department: DEPT });
    expect(lines).toHaveLength(32);
    const bytes = await renderPdf(signInSheetPdf(records, sessionId, { department: DEPT }));
    const file = path.join(dir, 'sign-in.pdf');
    fs.writeFileSync(file, bytes);
    await pagePictures(file, shotPath('print-sign-in').replace(/\.png$/, ''));
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toHaveLength(Math.ceil(lines.length / SIGN_IN_LINES_PER_PAGE));
    for (const l of lines)
      expect(pdf.pages.join(' ').split(` ${l.officerId} `).length - 1, l.officerId).toBe(1);
  });
});
