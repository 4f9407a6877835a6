/**
 * Roster import: reads an untrusted CSV or XLSX file in a worker thread (roster-worker.mjs) with
 * size, time and memory limits, validates what comes back, finds the columns, and checks every row.
 * Nothing here writes anything: the caller imports the rows only when the preview allows it.
 *
 * SheetJS 0.18.5 reads crafted files unsafely (CVE-2023-30533, CVE-2024-22363), hence the worker: a prototype
 * it pollutes is the worker's own, and a parse that never ends is stopped by terminating the thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { LIMITS } from '../../shared/protocol';
import { ROSTER_FIELDS, ROSTER_FIELD_LABELS, ROSTER_LIMITS, XLSX_MIME } from '../../shared/roster';
import type {
  RosterError,
  RosterField,
  RosterMapping,
  RosterPreview,
  RosterRow,
} from '../../shared/roster';
import { proposeIdFixes } from './roster-ids';
import { errorCode, errorMessage } from '../../shared/errors';

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
const HEADER_SEARCH = 10;
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

const tooManyRows = () =>
  `the file has more than ${ROSTER_LIMITS.rows.toLocaleString('en-US')} trainees; a roster can have at most ${ROSTER_LIMITS.rows.toLocaleString('en-US')} — split it`;

// ---------------------------------------------------------------- columns
/** Header text → comparable key: lower case, no accents, letters and digits only ("Badge #" → "badge"). */
export function headerKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Header names per field, best first: the first list a header is in decides its rank. */
const HEADERS: Record<RosterField, string[][]> = {
  officerId: [
    ['officerid', 'officerno', 'officernumber', 'officerpid', 'peaceofficerid', 'officeridnumber'],
    // State IDs: TX PID, CA/UT POST ID, license or certification numbers.
    [
      'pid',
      'tcolepid',
      'tcoleid',
      'postid',
      'capostid',
      'postidnumber',
      'postnumber',
      'stateid',
      'stateofficerid',
      'licensenumber',
      'licenseno',
      'license',
      'certificationnumber',
      'certnumber',
      'certno',
      'pblenumber',
    ],
    ['badge', 'badgeno', 'badgenumber', 'badgeid'],
    ['employeeid', 'employeenumber', 'empid', 'studentid', 'traineeid', 'id', 'idnumber', 'idno'],
  ],
  name: [
    [
      'name',
      'fullname',
      'studentname',
      'traineename',
      'officername',
      'participantname',
      'attendeename',
      'namelastfirst',
      'namelastfirstmi',
      'lastfirst',
      'lastfirstmi',
      'lastnamefirstname',
    ],
    ['student', 'trainee', 'participant', 'attendee'],
  ],
  firstName: [['firstname', 'first', 'givenname', 'fname', 'forename']],
  lastName: [['lastname', 'last', 'surname', 'familyname', 'lname']],
  agency: [
    [
      'agency',
      'agencyname',
      'employingagency',
      'department',
      'dept',
      'departmentagency',
      'agencydepartment',
      'organization',
      'organisation',
      'org',
      'employer',
    ],
  ],
  email: [['email', 'emailaddress', 'mail']],
};

function rank(field: RosterField, header: string): number {
  const key = headerKey(header);
  if (!key) return -1;
  return HEADERS[field].findIndex((list) => list.includes(key));
}

/** The detected mapping for a header row: per field the best-ranked column, the first of equals. */
export function detectMapping(header: readonly string[]): RosterMapping {
  const m: RosterMapping = {};
  const used = new Set<number>();
  for (const field of ['officerId', 'name', 'firstName', 'lastName', 'agency', 'email'] as const) {
    let best = -1;
    let bestRank = Infinity;
    header.forEach((h, i) => {
      const r = rank(field, h);
      if (r >= 0 && r < bestRank && !used.has(i)) [best, bestRank] = [i, r];
    });
    if (best >= 0) {
      m[field] = best;
      used.add(best);
    }
  }
  return m;
}

/** The header row: the first of the first rows that names at least two roster fields (else the first row). */
function findHeader(rows: readonly string[][]): number {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH); i++) {
    const fields = new Set(rows[i].flatMap((h) => ROSTER_FIELDS.filter((f) => rank(f, h) >= 0)));
    if (fields.size >= 2 || fields.has('officerId')) return i;
  }
  return 0;
}

const colName = (i: number) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

// ---------------------------------------------------------------- rows
// Control characters (C0, DEL, C1), line/paragraph separators and bidirectional overrides: none has a
// place in a name or an ID, and each can break a spreadsheet or disguise text.
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Officer IDs match without regard to case or surrounding spaces, but leading zeros count (as in the engine). */
export const officerKey = (id: string) => id.trim().toUpperCase();

/** How officer IDs that look like they lost their leading zeros are handled (./roster-ids.ts). */
export interface IdOptions {
  /** Officer IDs on record that start with zeros, by their digits without them. */
  onRecord?: ReadonlyMap<string, string>;
  /** The clerk confirmed: those IDs get their zeros back. */
  fixIds?: boolean;
}

/**
 * Finds the columns (or uses `override`) and checks every row. Officer IDs stay text: "00417" is
 * "00417", and a cell like `=HYPERLINK(…)` is the text it shows. IDs that may have lost leading
 * zeros are reported (warnings, idFixes) and fixed only with `ids.fixIds`.
 */
export function previewRoster(
  read: { rows: string[][]; lines: number[] },
  override: RosterMapping = {},
  ids: IdOptions = {},
): RosterPreview {
  const { rows, lines } = read;
  const h = findHeader(rows);
  const headerCells = rows[h] ?? [];
  const width = Math.max(0, ...rows.map((r) => r.length));
  const columns = Array.from(
    { length: width },
    (_, i) => headerCells[i]?.trim() || `Column ${colName(i)}`,
  );
  const headerLine = lines[h] ?? 1;
  const mapping: RosterMapping = { ...detectMapping(headerCells), ...override };
  for (const f of ROSTER_FIELDS) if (mapping[f] === undefined) delete mapping[f];
  const errors: RosterError[] = [];
  const out: RosterRow[] = [];
  const data = rows.slice(h + 1);
  const total = data.length;
  const col = (f: RosterField) => mapping[f] ?? null;

  for (const f of ROSTER_FIELDS) {
    const c = col(f);
    if (c !== null && c >= width)
      errors.push({
        line: headerLine,
        message: `${ROSTER_FIELD_LABELS[f]}: the file has no column ${colName(c)} (${c + 1})`,
      });
  }
  const shown = columns.map((c) => `“${c}”`).join(', ');
  if (col('officerId') === null)
    errors.push({
      line: headerLine,
      message: `no officer ID column in the header row (${shown || 'empty'}): name a column “Officer ID”, “Badge”, “PID” or “POST ID”, or choose it under Columns`,
    });
  if (col('name') === null && (col('firstName') === null || col('lastName') === null))
    errors.push({
      line: headerLine,
      message: `no name column in the header row (${shown || 'empty'}): name a column “Name”, or “First name” and “Last name”, or choose them under Columns`,
    });
  if (total > ROSTER_LIMITS.rows)
    errors.push({ line: lines[h + 1 + ROSTER_LIMITS.rows] ?? headerLine, message: tooManyRows() });
  const none = { warnings: [], idFixes: [], idFixesApplied: false };
  if (errors.length) return { columns, headerLine, mapping, rows: [], errors, total, ...none };
  if (total === 0)
    return {
      columns,
      headerLine,
      mapping,
      rows: [],
      errors: [{ line: headerLine, message: 'the file has a header row but no trainees under it' }],
      total,
      ...none,
    };

  const idCol = col('officerId')!;
  const proposal = proposeIdFixes(
    data.map((row, i) => ({ line: lines[h + 1 + i], officerId: (row[idCol] ?? '').trim() })),
    ids.onRecord ?? new Map(),
  );
  const fixed = new Map(ids.fixIds ? proposal.fixes.map((f) => [f.line, f.to]) : []);
  const seen = new Map<string, number>();
  data.forEach((row, i) => {
    const line = lines[h + 1 + i];
    const cell = (f: RosterField) => {
      const c = col(f);
      return c === null ? '' : (row[c] ?? '').trim();
    };
    const first = cell('firstName');
    const last = cell('lastName');
    const name = col('name') !== null ? cell('name') : [first, last].filter(Boolean).join(' ');
    const officerId = fixed.get(line) ?? cell('officerId');
    const agency = cell('agency');
    const email = cell('email');
    const problems: string[] = [];
    const check = (label: string, value: string, max: number, required: boolean) => {
      if (!value) {
        if (required) problems.push(`no ${label}`);
      } else if (CONTROL.test(value))
        problems.push(
          `${label} contains a control character (a line break, tab or similar); retype it`,
        );
      else if (value.length > max) problems.push(`${label} is longer than ${max} characters`);
    };
    check('name', name, LIMITS.nameMax, true);
    check('officer ID', officerId, LIMITS.officerIdMax, true);
    check('agency', agency, LIMITS.agencyMax, false);
    check('email', email, ROSTER_LIMITS.emailChars, false);
    if (email && !problems.some((p) => p.startsWith('email')) && !EMAIL.test(email))
      problems.push(`email “${email.slice(0, 60)}” is not an email address`);
    if (officerId && !problems.some((p) => p.startsWith('officer ID'))) {
      const dup = seen.get(officerKey(officerId));
      if (dup !== undefined) problems.push(`officer ID ${officerId} is already on line ${dup}`);
      else seen.set(officerKey(officerId), line);
    }
    if (problems.length) for (const message of problems) errors.push({ line, message });
    else
      out.push({
        line,
        name,
        officerId,
        agency,
        email,
        firstName: col('firstName') !== null ? first : '',
        lastName: col('lastName') !== null ? last : '',
      });
  });
  return {
    columns,
    headerLine,
    mapping,
    rows: out,
    errors,
    total,
    warnings: proposal.warnings,
    idFixes: proposal.fixes,
    idFixesApplied: fixed.size > 0,
  };
}

/** Whether a preview may be imported: no problems at all, or (with `skipErrors`) at least one good row. */
export function importProblem(p: RosterPreview, skipErrors: boolean): string | null {
  if (p.rows.length === 0)
    return p.errors[0]
      ? `nothing to import: ${p.errors[0].message}`
      : 'nothing to import: the file has no trainees';
  if (p.errors.length && !skipErrors) {
    const lines = new Set(p.errors.map((e) => e.line)).size;
    return `${lines} ${lines === 1 ? 'row has' : 'rows have'} errors; fix the file, or import the ${p.rows.length} valid ${p.rows.length === 1 ? 'row' : 'rows'} only`;
  }
  return null;
}
