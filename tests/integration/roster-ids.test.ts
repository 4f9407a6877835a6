/**
 * Officer IDs stay as typed through roster import, on a real server: an XLSX whose IDs are numbers
 * formatted 00000 imports 00417; one without the format warns (mixed widths) and adds the zeros
 * back only when the clerk confirms; a CSV keeps 00417; a roster ID that is an officer on record
 * with leading zeros is matched only with the clerk's confirmation; a broken file gets a sentence
 * a clerk understands. The two XLSX files were written by LibreOffice (tests/fixtures/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { XLSX_MIME } from '../../shared/roster';
import type { RosterImportReply, RosterPreview, RosterPreviewReply } from '../../shared/roster';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', name));

async function post(what: 'preview' | 'import', body: Buffer | string, type: string, query = '') {
  const res = await fetch(`${app.consoleBase}/api/roster/${what}?name=Class${query}`, {
    method: 'POST',
    headers: { 'Content-Type': type, 'X-Muster-Token': app.token },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, json: (await res.json()) as RosterImportReply & RosterPreviewReply };
}
const preview = async (body: Buffer | string, type: string, query = ''): Promise<RosterPreview> => {
  const r = await post('preview', body, type, query);
  if (!r.json.ok) throw new Error(r.json.message);
  return r.json.preview;
};
const stored = () =>
  readRecords(app.dataDir, 'SELECT officer_id FROM roster_entries ORDER BY id').map(
    (r) => r.officer_id,
  );

describe('officer IDs as typed', () => {
  it('an XLSX whose IDs are numbers formatted 00000 imports 00417, with no warning', async () => {
    const p = await preview(fixture('roster-ids-formatted.xlsx'), XLSX_MIME);
    expect(p.rows.map((r) => [r.lastName, r.firstName, r.officerId])).toEqual([
      ['Ortiz', 'Ana', '00417'],
      ['Cole', 'Ben', '02231'],
      ['Diaz', 'Cara', '88120'],
      ['Patel', 'Dev', '00902'],
    ]);
    expect([p.warnings, p.idFixes]).toEqual([[], []]);
    expect((await post('import', fixture('roster-ids-formatted.xlsx'), XLSX_MIME)).status).toBe(
      200,
    );
    expect(stored()).toEqual(['00417', '02231', '88120', '00902']);
  });

  it('one without the format warns that IDs may have lost their zeros, and adds them back only when the clerk confirms', async () => {
    const p = await preview(fixture('roster-ids-plain.xlsx'), XLSX_MIME);
    expect(p.rows.map((r) => r.officerId)).toEqual(['417', '2231', '88120', '902']);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(
      /^The officer IDs have different lengths \(3 to 5 digits\): 417, 2231, 902 are shorter than the others\. A spreadsheet drops the leading zeros/,
    );
    expect(p.idFixes).toEqual([
      { line: 2, from: '417', to: '00417', why: 'width' },
      { line: 3, from: '2231', to: '02231', why: 'width' },
      { line: 5, from: '902', to: '00902', why: 'width' },
    ]);
    expect(p.idFixesApplied).toBe(false);

    // Confirmed: the preview and the import have the zeros, and the audit log says so.
    const fixed = await preview(fixture('roster-ids-plain.xlsx'), XLSX_MIME, '&fixIds=1');
    expect([fixed.idFixesApplied, fixed.rows.map((r) => r.officerId)]).toEqual([
      true,
      ['00417', '02231', '88120', '00902'],
    ]);
    expect(
      (await post('import', fixture('roster-ids-plain.xlsx'), XLSX_MIME, '&fixIds=1')).status,
    ).toBe(200);
    expect(stored()).toEqual(['00417', '02231', '88120', '00902']);
    const audit = readRecords(
      app.dataDir,
      `SELECT reason FROM audit_log WHERE action = 'importRoster'`,
    );
    expect(audit[0].reason).toBe(
      'Roster file imported; leading zeros added to 3 officer IDs as confirmed (417 → 00417, 2231 → 02231, 902 → 00902)',
    );

    // Not confirmed: imported as the file has them.
    expect((await post('import', fixture('roster-ids-plain.xlsx'), XLSX_MIME)).status).toBe(200);
    expect(stored()).toEqual(['417', '2231', '88120', '902']);
  });

  it('a CSV roster with 00417 keeps it', async () => {
    const p = await preview('Name,Officer ID\nAna Ortiz,00417\nBen Cole,88120\n', 'text/csv');
    expect([p.rows.map((r) => r.officerId), p.warnings]).toEqual([['00417', '88120'], []]);
  });

  it('matches 417 to the 00417 on record only with the clerk’s confirmation', async () => {
    app.records.apply([
      {
        op: 'session',
        id: 'past',
        roomCode: '1',
        course: 'c',
        courseTitle: 'C',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'f',
        title: 'T',
        at: 1,
      },
      {
        op: 'trainee',
        id: 'ana',
        sessionId: 'past',
        name: 'Ana Ortiz',
        officerId: '00417',
        agency: 'PD',
        at: 2,
      },
      { op: 'end', sessionId: 'past', at: 3 },
    ]);
    // Same widths, so nothing else looks wrong: only the officer on record gives it away.
    const csv = 'Name,Officer ID\nAna Ortiz,417\nBen Cole,902\n';
    const p = await preview(csv, 'text/csv');
    expect(p.idFixes).toEqual([{ line: 2, from: '417', to: '00417', why: 'on record' }]);
    expect(p.warnings).toEqual([
      '1 officer ID matches an officer on record only with leading zeros added (417 → 00417). They are matched only if you confirm below.',
    ]);
    expect((await preview(csv, 'text/csv', '&fixIds=1')).rows.map((r) => r.officerId)).toEqual([
      '00417',
      '902',
    ]);
  });

  it('reads a whole-number ID in the General format as its digits, not as 4.17E+11', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Name', 'Officer ID'],
      ['Ana Ortiz', 417000000001],
    ]);
    ws.B2.w = '4.17E+11';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Roster');
    const p = await preview(
      XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
      XLSX_MIME,
    );
    expect(p.rows[0].officerId).toBe('417000000001');
  });

  it('a broken workbook gets a sentence a clerk understands, and nothing is imported', async () => {
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
    const r = await post('import', broken, XLSX_MIME);
    expect(r.status).toBe(400);
    expect(!r.json.ok && r.json.message).toBe(
      'This file could not be read as an Excel workbook: it may be damaged, protected with a password, or not really an .xlsx file. Open it in Excel, save it again as “Excel Workbook (.xlsx)” or as CSV, and import that. Nothing was imported.',
    );
    expect(stored()).toEqual([]);
  });
});
