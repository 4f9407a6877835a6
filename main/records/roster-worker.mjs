// Reads one untrusted roster file (CSV or XLSX) in a worker thread, and nothing else.
//
// SheetJS 0.18.5 (the last `xlsx` on npm) has published flaws when *reading* crafted files:
// prototype pollution (CVE-2023-30533) and a ReDoS (CVE-2024-22363). So the
// file is parsed here, in a separate V8 isolate with its own Object.prototype, under memory limits
// set by the parent (main/records/roster-file.ts), which also stops this thread after a time limit and
// validates what it sends back. One worker per file: whatever a file does to this isolate dies with it.
//
// Input (workerData): { kind: 'csv' | 'xlsx', bytes: Uint8Array, maxRows, maxCols, maxCellChars }.
// Output (one message): { ok: true, rows: string[][], lines: number[], columns, moreRows }
//                     | { ok: false, message }.
// Rows are arrays of strings, never objects keyed by header text, so a header such as `__proto__`
// is just a string in an array.
//
// Plain JavaScript (no TypeScript) so the same file runs from source in tests and, copied next to
// the bundles by scripts/build.mjs, from out/main/.
/* global TextDecoder */
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';

const {
  kind,
  bytes,
  maxRows,
  maxCols,
  maxCellChars,
  maxUnzippedBytes = 32 * 1024 * 1024,
} = workerData;

/** Own properties of the built-in prototypes, to notice a file that changed them. */
function builtins() {
  const snap = new Map();
  for (const [label, proto] of [
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
    ['String.prototype', String.prototype],
    ['Function.prototype', Function.prototype],
  ]) {
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      snap.set(`${label}.${String(key)}`, d && ('value' in d ? d.value : d.get));
    }
  }
  return snap;
}

function changedBuiltins(before, after) {
  const changed = [];
  for (const [k, v] of after) if (!before.has(k) || before.get(k) !== v) changed.push(k);
  for (const k of before.keys()) if (!after.has(k)) changed.push(k);
  return changed;
}

const clip = (s) => (s.length > maxCellChars ? s.slice(0, maxCellChars) : s);

// ---------------------------------------------------------------- CSV (RFC 4180, read here by hand)
function decodeText(buf) {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return new TextDecoder('utf-8').decode(buf.subarray(3));
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
    return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (buf.includes(0))
    throw new Error('the file is not text (it contains NUL bytes); save the roster as CSV or XLSX');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Excel's "CSV" on Windows is the ANSI code page.
    return new TextDecoder('windows-1252').decode(buf);
  }
}

/** The delimiter of the first record: comma, semicolon (Excel in many locales) or tab. */
function sniffDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 65536; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (counts[','] + counts[';'] + counts['\t'] > 0) break;
    } else if (!quoted && ch in counts) counts[ch]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t']
    ? ';'
    : counts['\t'] > counts[',']
      ? '\t'
      : ',';
}

function readCsv(buf) {
  let text = decodeText(buf);
  let line = 1;
  let delim;
  // Excel's hint line: `sep=;`
  const hint = /^sep=(.)\r?\n/i.exec(text);
  if (hint) {
    delim = hint[1];
    text = text.slice(hint[0].length);
    line = 2;
  } else delim = sniffDelimiter(text);
  const rows = [];
  const lines = [];
  let moreRows = false;
  let row = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let start = line;
  const endField = () => {
    row.push(clip(field));
    field = '';
    afterQuote = false;
  };
  const endRow = () => {
    endField();
    if (row.some((c) => c.trim() !== '')) {
      if (rows.length >= maxRows) moreRows = true;
      else {
        rows.push(row);
        lines.push(start);
      }
    }
    row = [];
  };
  for (let i = 0; i < text.length && !moreRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        if (field.length <= maxCellChars) field += ch;
      }
    } else if (ch === '"' && field === '' && !afterQuote) quoted = true;
    else if (ch === delim) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      start = line;
    } else if (field.length <= maxCellChars) field += ch;
  }
  if (!moreRows && (field !== '' || row.length > 0)) endRow();
  if (quoted && !moreRows)
    throw new Error(`a quoted field that starts on line ${start} never ends (a missing closing ")`);
  let columns = 0;
  for (const r of rows) {
    while (r.length && r[r.length - 1].trim() === '') r.pop();
    columns = Math.max(columns, r.length);
  }
  return { rows: rows.map((r) => r.slice(0, maxCols)), lines, columns, moreRows };
}

// ---------------------------------------------------------------- XLSX: unpacked with a cap first
const tooBig = () =>
  `the workbook unpacks to more than ${Math.round(maxUnzippedBytes / 1024 / 1024)} MB, which no roster does; the file may be damaged or crafted — open it in a spreadsheet program, save it again as .xlsx or .csv, and import that`;

/**
 * An XLSX file is a zip, and a zip can unpack to thousands of times its size (a "zip bomb"). The
 * sizes its directory declares are checked first, without unpacking anything; then every part is
 * inflated here, a small slice at a time, counting what comes out — so a file that lies about its
 * sizes is stopped at the cap, not after filling memory — and packed again without compression for
 * SheetJS, which then never inflates anything itself.
 */
function unpackBounded(buf) {
  let declared = 0;
  let parts = 0;
  try {
    unzipSync(buf, {
      filter(f) {
        declared += f.originalSize;
        parts++;
        return false;
      },
    });
  } catch {
    // Not a zip at all, or one cut short: its table of contents cannot be read.
    throw new Error(BROKEN_XLSX);
  }
  if (parts > 2000)
    throw new Error(
      `the workbook has ${parts} parts, which no roster does; the file may be damaged or crafted`,
    );
  if (declared > maxUnzippedBytes) throw new Error(tooBig());
  // No prototype: a part named `__proto__` is just a name.
  const files = Object.create(null);
  let total = 0;
  let error = null;
  const unzip = new Unzip((file) => {
    const chunks = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (error) return;
      if (err) {
        error =
          'the workbook is damaged (a part of it cannot be unpacked); open it in a spreadsheet program, save it again and import that';
        return;
      }
      total += data.length;
      size += data.length;
      if (total > maxUnzippedBytes) {
        error = tooBig();
        return;
      }
      chunks.push(data);
      if (final) {
        const out = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          out.set(c, at);
          at += c.length;
        }
        files[file.name] = out;
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // Small slices: deflate expands at most about 1000:1, so one slice can never overshoot the cap by much.
  const STEP = 16 * 1024;
  for (let i = 0; i < buf.length && !error; i += STEP)
    unzip.push(buf.subarray(i, i + STEP), i + STEP >= buf.length);
  if (error) throw new Error(error);
  return zipSync(files, { level: 0 });
}

// ---------------------------------------------------------------- XLSX (SheetJS, text of each cell)
/** What a clerk is told about a workbook that cannot be read (SheetJS says "Unsupported ZIP encryption" and the like). */
const BROKEN_XLSX =
  'this file could not be read as an Excel workbook: it may be damaged, protected with a password, or not really an .xlsx file. Open it in Excel, save it again as “Excel Workbook (.xlsx)” or as CSV, and import that';

/**
 * The text of a cell as the spreadsheet shows it: with its number format, so a cell formatted
 * 00000 holding 417 is "00417". A whole number in the General format is its digits, not the
 * "4.17E+11" a narrow column would show for a long ID.
 */
function shownText(XLSX, cell) {
  if (
    cell.t === 'n' &&
    Number.isSafeInteger(cell.v) &&
    (cell.w === undefined || /E[+-]?\d+$/i.test(String(cell.w)))
  )
    return String(cell.v);
  if (cell.w !== undefined && cell.w !== null) return String(cell.w);
  return cell.v === undefined || cell.v === null ? '' : String(XLSX.utils.format_cell(cell));
}

function readXlsx(buf) {
  const XLSX = createRequire(import.meta.url)('xlsx');
  // The unpacking says what is wrong in its own words (too big, a damaged part); what SheetJS
  // cannot read after that gets the clerk's sentence, not "Unsupported ZIP encryption".
  const stored = unpackBounded(buf);
  let wb;
  try {
    wb = readWorkbook(XLSX, stored);
  } catch {
    throw new Error(BROKEN_XLSX);
  }
  return gridOf(XLSX, wb);
}

function readWorkbook(XLSX, stored) {
  return XLSX.read(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength), {
    type: 'buffer',
    // One row more than we keep, to know there were more.
    sheetRows: maxRows + 1,
    cellFormula: false,
    cellHTML: false,
    cellNF: false,
    cellStyles: false,
    cellDates: false,
    sheetStubs: false,
    bookVBA: false,
    WTF: false,
  });
}

function gridOf(XLSX, wb) {
  const names = Array.isArray(wb.SheetNames) ? wb.SheetNames : [];
  const isCell = /^[A-Z]{1,3}[0-9]{1,7}$/;
  let grid = null;
  for (const name of names) {
    const ws = Object.prototype.hasOwnProperty.call(wb.Sheets, name) ? wb.Sheets[name] : null;
    if (!ws || typeof ws !== 'object') continue;
    const cells = Object.keys(ws).filter((k) => isCell.test(k));
    if (!cells.length) continue;
    grid = { ws, cells };
    break;
  }
  if (!grid) return { rows: [], lines: [], columns: 0, moreRows: false };
  const byRow = new Map();
  let columns = 0;
  let moreRows = false;
  for (const addr of grid.cells) {
    const cell = grid.ws[addr];
    if (!cell || typeof cell !== 'object') continue;
    // The text Excel shows: formatted numbers keep their leading zeros ("00417"), a formula is its
    // cached result, never re-evaluated.
    let text = shownText(XLSX, cell);
    if (text.trim() === '') continue;
    const { r, c } = XLSX.utils.decode_cell(addr);
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0) continue;
    columns = Math.max(columns, c + 1);
    if (c >= maxCols) continue;
    let row = byRow.get(r);
    if (!row) byRow.set(r, (row = []));
    row[c] = clip(text);
  }
  const order = [...byRow.keys()].sort((a, b) => a - b);
  if (order.length > maxRows) {
    moreRows = true;
    order.length = maxRows;
  }
  const rows = [];
  const lines = [];
  for (const r of order) {
    const row = byRow.get(r);
    const out = [];
    for (let c = 0; c < row.length; c++) out.push(row[c] === undefined ? '' : row[c]);
    rows.push(out);
    lines.push(r + 1);
  }
  return { rows, lines, columns, moreRows };
}

// ---------------------------------------------------------------- run
let reply;
const before = builtins();
const refused = (changed) =>
  `the file is damaged or crafted: reading it tried to change the program's built-in objects (${changed
    .slice(0, 3)
    .map((k) => k.slice(0, 60))
    .join(', ')}), which a real roster never does`;
try {
  if (!(bytes instanceof Uint8Array)) throw new Error('no file');
  const result = kind === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
  const changed = changedBuiltins(before, builtins());
  reply = changed.length
    ? { ok: false, message: refused(changed) }
    : {
        ok: true,
        rows: result.rows,
        lines: result.lines,
        columns: result.columns,
        moreRows: result.moreRows,
      };
} catch (e) {
  const changed = changedBuiltins(before, builtins());
  reply = {
    ok: false,
    message: changed.length ? refused(changed) : String((e && e.message) || e).slice(0, 300),
  };
}
parentPort.postMessage(reply);
