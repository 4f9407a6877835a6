// A roster file is untrusted: every way a file can be wrong or hostile is refused with a clear
// message, by a reader in a worker with limits on size, time and memory.
import * as XLSX from 'xlsx';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importProblem, previewRoster, readRosterFile } from '../../main/records/roster';
import { ROSTER_LIMITS } from '../../shared/roster';
import { preview, protoKeys, xlsx } from '../helpers/roster';

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

/** A worker from a data: URL, for the tests that need a misbehaving reader. */
const workerOf = (code: string) => new URL(`data:text/javascript,${encodeURIComponent(code)}`);

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
