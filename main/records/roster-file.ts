/**
 * Reads an untrusted CSV or XLSX roster file in a worker thread (roster-worker.mjs) with size, time
 * and memory limits, and validates what comes back. Writes nothing.
 *
 * SheetJS 0.18.5 reads crafted files unsafely (CVE-2023-30533, CVE-2024-22363), hence the worker: a prototype
 * it pollutes is the worker's own, and a parse that never ends is stopped by terminating the thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { ROSTER_LIMITS, XLSX_MIME } from '../../shared/roster';
import { errorCode, errorMessage } from '../../shared/errors';
import { HEADER_SEARCH } from './roster-columns';

export type RosterKind = 'csv' | 'xlsx';

export interface ReadOptions {
  /** Default {@link ROSTER_LIMITS.fileBytes}. */
  maxBytes?: number;
  /** Default {@link ROSTER_LIMITS.timeoutMs}. */
  timeoutMs?: number;
  /** Default {@link ROSTER_LIMITS.memoryMb}. */
  memoryMb?: number;
  /** Tests only: another worker script (e.g. one that never finishes) in place of roster-worker.mjs. */
  workerSource?: string | URL;
}

/** The rows of a file, as text: `lines[i]` is the file line (CSV) or row (XLSX) of `rows[i]`. */
export type ReadResult =
  { ok: true; rows: string[][]; lines: number[] } | { ok: false; message: string };

const WORKER = 'roster-worker.mjs';
/** Rows the worker keeps: the roster, a header, and a few title lines above it. */
const MAX_ROWS_READ = ROSTER_LIMITS.rows + HEADER_SEARCH + 1;
/** Files read at the same time; more wait for nobody: they are refused. */
const MAX_PARALLEL = 2;
let reading = 0;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB`;
export const tooLargeMessage = (size?: number) =>
  size === undefined || !Number.isFinite(size)
    ? `the file is larger than ${mb(ROSTER_LIMITS.fileBytes)}, the most a roster file can be`
    : `the file is ${mb(size)}; a roster file can be at most ${mb(ROSTER_LIMITS.fileBytes)}`;

let workerPath: string | null = null;
/**
 * roster-worker.mjs: next to this module (source, or the bundles in out/main/ where the build copies
 * it), or found from the package root. The Electron bundle is CommonJS (no import.meta); the CLI
 * bundle and the tests are ES modules.
 */
export function rosterWorkerPath(): string {
  if (workerPath) return workerPath;
  const here = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
  let dir = path.dirname(here);
  for (;;) {
    for (const c of [
      path.join(dir, WORKER),
      path.join(dir, 'main', 'records', WORKER),
      path.join(dir, 'out', 'main', WORKER),
    ])
      if (fs.existsSync(c)) return (workerPath = c);
    const up = path.dirname(dir);
    if (up === dir || fs.existsSync(path.join(dir, 'package.json'))) break;
    dir = up;
  }
  throw new Error(`${WORKER} not found near ${here}`);
}

/** What the worker may send back; anything else is refused. */
const WorkerReply = z.union([
  z
    .object({
      ok: z.literal(true),
      rows: z
        .array(z.array(z.string().max(ROSTER_LIMITS.cellChars)).max(ROSTER_LIMITS.columns))
        .max(MAX_ROWS_READ),
      lines: z.array(z.number().int().positive()).max(MAX_ROWS_READ),
      columns: z.number().int().min(0),
      moreRows: z.boolean(),
    })
    .strict()
    .refine((r) => r.rows.length === r.lines.length),
  z.object({ ok: z.literal(false), message: z.string().max(500) }).strict(),
]);

/**
 * Decides how to read a body from its first bytes and its declared type: an XLSX workbook is a zip
 * (`PK\3\4`); old binary .xls files are refused; anything else declared as CSV/text is CSV.
 */
export function rosterKind(
  bytes: Buffer,
  contentType: string,
): { ok: true; kind: RosterKind } | { ok: false; message: string } {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const zip =
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04;
  const ole =
    bytes.length >= 4 &&
    bytes[0] === 0xd0 &&
    bytes[1] === 0xcf &&
    bytes[2] === 0x11 &&
    bytes[3] === 0xe0;
  // An .xlsx protected with a password is stored this way too.
  if (ole)
    return {
      ok: false,
      message:
        'this is an old Excel 97–2003 (.xls) workbook, or one protected with a password; open it in Excel, save it as .xlsx (without a password) or .csv, and import that',
    };
  if (type === XLSX_MIME)
    return zip
      ? { ok: true, kind: 'xlsx' }
      : {
          ok: false,
          message:
            'the file is not an XLSX workbook (it is not a zip file); save it again as .xlsx or .csv',
        };
  if (
    [
      'text/csv',
      'text/plain',
      'application/csv',
      'text/comma-separated-values',
      'application/vnd.ms-excel',
      'text/tab-separated-values',
    ].includes(type)
  )
    return zip
      ? { ok: false, message: 'the file is a workbook (XLSX), not CSV; name it .xlsx' }
      : { ok: true, kind: 'csv' };
  return {
    ok: false,
    message: `send a .csv or .xlsx file (Content-Type text/csv or ${XLSX_MIME}), not ${type || 'an unknown type'}`,
  };
}

/** Reads a roster file in a worker thread: size first, then time and memory limits. Writes nothing. */
export function readRosterFile(
  bytes: Buffer,
  kind: RosterKind,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const maxBytes = opts.maxBytes ?? ROSTER_LIMITS.fileBytes;
  const timeoutMs = opts.timeoutMs ?? ROSTER_LIMITS.timeoutMs;
  const memoryMb = opts.memoryMb ?? ROSTER_LIMITS.memoryMb;
  // Refused before any parser sees a byte.
  if (bytes.length > maxBytes)
    return Promise.resolve({ ok: false, message: tooLargeMessage(bytes.length) });
  if (bytes.length === 0) return Promise.resolve({ ok: false, message: 'the file is empty' });
  if (reading >= MAX_PARALLEL)
    return Promise.resolve({
      ok: false,
      message: 'another roster file is being read; try again in a moment',
    });
  let worker: Worker;
  try {
    worker = new Worker(opts.workerSource ?? rosterWorkerPath(), {
      workerData: {
        kind,
        bytes: new Uint8Array(bytes),
        maxRows: MAX_ROWS_READ,
        maxCols: ROSTER_LIMITS.columns,
        maxCellChars: ROSTER_LIMITS.cellChars,
      },
      resourceLimits: {
        maxOldGenerationSizeMb: memoryMb,
        maxYoungGenerationSizeMb: 32,
        stackSizeMb: 4,
      },
      // Nothing from this process: no loaders or inspector flags, no environment.
      execArgv: [],
      env: {},
    });
  } catch (e) {
    return Promise.resolve({
      ok: false,
      message: `could not start the file reader: ${errorMessage(e)}`,
    });
  }
  reading++;
  return new Promise<ReadResult>((resolve) => {
    let settled = false;
    const settle = (r: ReadResult) => {
      if (settled) return;
      settled = true;
      reading--;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          message: `reading the file took longer than ${timeoutMs / 1000} s and was stopped; the file may be damaged or crafted — open it in a spreadsheet program, save it again as .xlsx or .csv, and import that`,
        }),
      timeoutMs,
    );
    worker.once('message', (m: unknown) => {
      const r = WorkerReply.safeParse(m);
      if (!r.success)
        return settle({
          ok: false,
          message: 'the file reader sent back something that is not a roster; nothing was read',
        });
      const v = r.data;
      if (!v.ok) return settle({ ok: false, message: v.message });
      if (v.columns > ROSTER_LIMITS.columns)
        return settle({
          ok: false,
          message: `the sheet has ${v.columns} columns; a roster can have at most ${ROSTER_LIMITS.columns} — delete the columns you do not need`,
        });
      if (v.moreRows) return settle({ ok: false, message: tooManyRows() });
      settle({ ok: true, rows: v.rows, lines: v.lines });
    });
    worker.once('error', (e: Error) =>
      settle({
        ok: false,
        message:
          errorCode(e) === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `reading the file needed more than ${memoryMb} MB of memory and was stopped; a roster never does — the file may be damaged or crafted`
            : `could not read the file: ${e.message.slice(0, 200)}`,
      }),
    );
    worker.once('exit', (code) =>
      settle({ ok: false, message: `the file reader stopped unexpectedly (exit code ${code})` }),
    );
  });
}

/** The refusal of a roster longer than the limit, from the reader or the preview. */
export const tooManyRows = () =>
  `the file has more than ${ROSTER_LIMITS.rows.toLocaleString('en-US')} trainees; a roster can have at most ${ROSTER_LIMITS.rows.toLocaleString('en-US')} — split it`;
