/**
 * Writing workbooks and CSV files from plain tables ({@link SheetSpec}).
 *
 * SheetJS (CE 0.18.5) writes the package: workbook, styles, column widths, content types, the
 * repeated print title rows. What it cannot do is done here, on the zip it wrote:
 * - a frozen header row: CE writes no pane (SheetJS issue #1371: a Pro feature), so every sheet's
 *   `<sheetView>` gets one ({@link freezeHeaderRow});
 * - printing: page setup, bold header cells, wrapped long text, a footer (./print.ts);
 * - speed: CE spends ~3 µs and several allocations per cell, ~4 s for a 2,000-trainee ×
 *   60-question Responses sheet (1.3 M cells). So SheetJS writes each sheet with its header row and
 *   one row that carries every column's number format, and the data rows are then written straight
 *   into the sheet XML the way SheetJS writes a cell (`t="str"` text, plain numbers, the style
 *   index SheetJS gave that column's format).
 * The zip is then packed again, each part deflated by Node's zlib.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type * as XLSX from 'xlsx';
import type * as Fflate from 'fflate';
import type { ZipInputFile } from 'fflate';
import {
  addPrintStyles,
  isWide,
  pageSetupXml,
  printTitlesName,
  rowHeight,
  withFitToPage,
  withPageSetup,
} from './print';
import type { PrintOptions, PrintStyles } from './print';

export type { PrintOptions } from './print';

/**
 * SheetJS and fflate are loaded at the first workbook, not when Muster starts: together they hold
 * ~35 MB that a class in progress never uses (exports are built in a worker thread anyway).
 */
let libs: { xlsx: typeof XLSX; fflate: typeof Fflate } | null = null;
function load(): { xlsx: typeof XLSX; fflate: typeof Fflate } {
  if (!libs) {
    // The Electron bundle is CommonJS (no import.meta there); the CLI bundle and tests are ES modules.
    const req = createRequire((import.meta.url as string | undefined) ?? __filename);
    libs = { xlsx: req('xlsx') as typeof XLSX, fflate: req('fflate') as typeof Fflate };
  }
  return libs;
}
const sheetjs = () => load().xlsx;

/** A cell: text (already neutralised where a trainee typed it), a number, or nothing. */
export type Cell = string | number | null;

/** Rows made one at a time, for a sheet too big to hold whole (120,000 answers). */
export interface LazyRows {
  /** How many rows `each` yields, the header included. */
  count: number;
  /** The widest row. */
  width: number;
  each(): Iterable<Cell[]>;
}

export interface SheetSpec {
  /** At most 31 characters, none of : \\ / ? * [ ]. */
  name: string;
  /** The header row, then the data rows. */
  rows: Cell[][] | LazyRows;
  /** Column widths in characters. */
  widths: number[];
  /** Number formats by column index, applied to the numeric cells of that column (e.g. '0%'). */
  formats?: Record<number, string>;
  /** Columns of long text, wrapped within their width so they print whole. */
  wrap?: number[];
  /** Printed landscape; by default when the columns are wide. */
  landscape?: boolean;
}

/** Excel's limit for the text of one cell. */
const MAX_TEXT = 32767;

const COLS: string[] = [];
function col(c: number): string {
  if (COLS[c] === undefined) COLS[c] = sheetjs().utils.encode_col(c);
  return COLS[c];
}

/** The rows of a sheet, header first. */
export function eachRow(spec: SheetSpec): Iterable<Cell[]> {
  return Array.isArray(spec.rows) ? spec.rows : spec.rows.each();
}

/** A sheet's rows as an array (small sheets, tests). */
export function allRows(spec: SheetSpec): Cell[][] {
  return Array.isArray(spec.rows) ? spec.rows : [...spec.rows.each()];
}

function sizeOf(spec: SheetSpec): { rows: number; cols: number } {
  if (!Array.isArray(spec.rows))
    return { rows: spec.rows.count, cols: Math.max(1, spec.rows.width) };
  let cols = 1;
  for (const r of spec.rows) if (r.length > cols) cols = r.length;
  return { rows: spec.rows.length, cols };
}

function headerRow(spec: SheetSpec): Cell[] {
  for (const row of eachRow(spec)) return row;
  return [];
}

/** A sheet as a SheetJS object (the same cells the fast writer produces). */
export function specToWorksheet(spec: SheetSpec): XLSX.WorkSheet {
  const rows = allRows(spec);
  const ws = sheetjs().utils.aoa_to_sheet(rows);
  ws['!cols'] = spec.widths.map((wch) => ({ wch }));
  for (const [c, z] of Object.entries(spec.formats ?? {})) {
    for (let r = 1; r < rows.length; r++) {
      const cell = ws[sheetjs().utils.encode_cell({ r, c: Number(c) })] as
        XLSX.CellObject | undefined;
      if (cell?.t === 'n') cell.z = z;
    }
  }
  return ws;
}

export function specsToWorkbook(specs: SheetSpec[]): XLSX.WorkBook {
  const wb = sheetjs().utils.book_new();
  for (const s of specs) sheetjs().utils.book_append_sheet(wb, specToWorksheet(s), s.name);
  return wb;
}

const FROZEN_PANE =
  '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>';

/**
 * A worksheet's XML with its first row frozen (stays in view while scrolling). Leaves a sheet view
 * that already has a pane alone; adds `<sheetViews>` where there is none.
 */
export function freezeHeaderRow(xml: string): string {
  if (/<pane\b/.test(xml)) return xml;
  const selfClosing = /<sheetView\b([^>]*?)\/>/;
  if (selfClosing.test(xml))
    return xml.replace(
      selfClosing,
      (_m, attrs: string) => `<sheetView${attrs}>${FROZEN_PANE}</sheetView>`,
    );
  const open = /<sheetView\b[^>]*>/;
  if (open.test(xml)) return xml.replace(open, (m) => m + FROZEN_PANE);
  const views = `<sheetViews><sheetView workbookViewId="0">${FROZEN_PANE}</sheetView></sheetViews>`;
  // CT_Worksheet order: sheetPr, dimension, sheetViews, sheetFormatPr, cols, sheetData …
  const before = /<(sheetFormatPr|cols|sheetData)\b/.exec(xml);
  if (!before) throw new Error('not a worksheet: no <sheetData>');
  return xml.slice(0, before.index) + views + xml.slice(before.index);
}

/** Every worksheet of an xlsx file with its header row frozen. */
export function freezeHeaderRows(xlsx: Uint8Array): Buffer {
  const files: Record<string, Uint8Array> = load().fflate.unzipSync(xlsx);
  for (const name of Object.keys(files))
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name))
      files[name] = Buffer.from(freezeHeaderRow(load().fflate.strFromU8(files[name])));
  return pack(Object.entries(files).map(([name, data]) => deflated(name, data)));
}

// Control characters are exactly what these patterns are for.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"'\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_/;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Text for a cell's XML: entities, and (as OOXML and SheetJS do) control characters as `_xHHHH_`;
 * text that already looks like `_xHHHH_` has its underscore escaped so it reads back unchanged.
 */
export function escapeCellText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1')
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\x00-\x08\x0b-\x1f]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`,
    );
}

const SPACE_EDGES = /^\s|\s$|\n/;

interface Entry {
  name: string;
  /** Raw deflate data. */
  data: Uint8Array;
  size: number;
  crc: number;
}

function deflated(name: string, raw: Uint8Array): Entry {
  return {
    name,
    data: zlib.deflateRawSync(raw, { level: 6 }),
    size: raw.length,
    crc: zlib.crc32(raw),
  };
}

/** Text is encoded and deflated in pieces of about this many characters. */
const PIECE = 1 << 20;

/**
 * A zip entry deflated as it is written, in pieces of ~1 MB, each deflated on its own and ended
 * with a sync flush (as pigz does), so a big sheet's XML (60 MB for 120,000 answers) is never
 * held whole, in text or in bytes. The first pieces at level 6; past 4 MB (or from the start for
 * a sheet of over 10,000 rows), level 1: a fifth bigger, three times as fast.
 */
class DeflatingEntry {
  private parts: Buffer[] = [];
  private pending = '';
  private size = 0;
  private crc = 0;
  /** `big`: a sheet known to be big is deflated at level 1 from its first byte. */
  constructor(
    private readonly name: string,
    private readonly big = false,
  ) {}

  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= PIECE) this.flush(false);
  }

  private flush(final: boolean): void {
    const raw = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.crc = zlib.crc32(raw, this.crc);
    this.parts.push(
      zlib.deflateRawSync(raw, {
        level: this.big || this.size > 4 << 20 ? 1 : 6,
        finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
        chunkSize: 1 << 18,
      }),
    );
    this.size += raw.length;
  }

  finish(): Entry {
    this.flush(true);
    return { name: this.name, data: Buffer.concat(this.parts), size: this.size, crc: this.crc };
  }
}

/** Text that needs a closer look before it goes into XML: entities, control characters, `_xHHHH_`, edge spaces. */
// eslint-disable-next-line no-control-regex
const CAREFUL = /[&<>"'\x00-\x1f]|_x|^\s|\s$/;

/**
 * The `<row>` elements of a sheet into `out`; `styles` gives the style index of a formatted
 * column's numbers. Returns how many rows were written.
 */
function sheetRows(
  out: DeflatingEntry,
  spec: SheetSpec,
  styles: Map<number, string>,
  print: PrintStyles,
): number {
  const wrap = new Set(spec.wrap ?? []);
  // A text cell's XML after its reference, by text: a big sheet repeats the same names, prompts and
  // answers thousands of times, and the same string objects, whose hashes V8 keeps.
  const texts = new Map<string, string>();
  const textCell = (v: string): string => {
    let x = texts.get(v);
    if (x === undefined) {
      let text = v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v;
      let open = '<v>';
      if (CAREFUL.test(text)) {
        if (SPACE_EDGES.test(text)) open = '<v xml:space="preserve">';
        text = escapeCellText(text);
      }
      x = ` t="str">${open}${text}</v></c>`;
      if (texts.size < 50_000) texts.set(v, x);
    }
    return x;
  };
  let r = -1;
  for (const row of eachRow(spec)) {
    r++;
    const rr = String(r + 1);
    const ht = rowHeight(row, spec.widths, wrap, r === 0);
    let x = ht === null ? `<row r="${rr}">` : `<row r="${rr}" ht="${ht}" customHeight="1">`;
    // A cell's reference is optional (ECMA-376 §18.3.1.4): written only after a gap.
    let gap = false;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
        gap = true;
        continue;
      }
      const open = gap ? `<c r="${col(c)}${rr}"` : '<c';
      gap = false;
      if (typeof v === 'number') {
        const s = r > 0 ? styles.get(c) : print.header;
        x += s ? `${open} s="${s}"><v>${v}</v></c>` : `${open}><v>${v}</v></c>`;
      } else if (r === 0) x += `${open} s="${print.header}"${textCell(v)}`;
      else
        x +=
          wrap.has(c) && v.length > 0
            ? `${open} s="${print.wrap}"${textCell(v)}`
            : open + textCell(v);
    }
    out.write(`${x}</row>`);
  }
  return r + 1;
}

/** The xlsx file of the given sheets, header rows frozen, each ready to print. */
export function writeXlsx(specs: SheetSpec[], print: PrintOptions = {}): Buffer {
  if (specs.length === 0) throw new Error('a workbook needs at least one sheet');
  // 1. SheetJS writes the package, each sheet with its header and a row of its number formats.
  const wb = sheetjs().utils.book_new();
  wb.Workbook = { Names: specs.map((s, i) => printTitlesName(i, s.name)) };
  for (const s of specs) {
    const formats = Object.entries(s.formats ?? {});
    const probe: (XLSX.CellObject | null)[] = [];
    for (const [c, z] of formats) probe[Number(c)] = { t: 'n', v: 0, z };
    const ws = sheetjs().utils.aoa_to_sheet(
      formats.length ? [headerRow(s), probe] : [headerRow(s)],
    );
    ws['!cols'] = s.widths.map((wch) => ({ wch }));
    sheetjs().utils.book_append_sheet(wb, ws, s.name);
  }
  const files: Record<string, Uint8Array> = load().fflate.unzipSync(
    sheetjs().write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
  );
  if (!files['xl/styles.xml']) throw new Error('SheetJS wrote no xl/styles.xml');
  const styled = addPrintStyles(load().fflate.strFromU8(files['xl/styles.xml']));
  files['xl/styles.xml'] = Buffer.from(styled.xml);

  // 2. Each sheet: frozen header, full dimension, and all its rows.
  const sheets = new Map<string, SheetSpec>(
    specs.map((s, i) => [`xl/worksheets/sheet${i + 1}.xml`, s]),
  );
  for (const name of sheets.keys()) if (!files[name]) throw new Error(`SheetJS wrote no ${name}`);
  const entries = Object.entries(files).map(([name, data]): Entry => {
    const s = sheets.get(name);
    if (!s) return deflated(name, data);
    let xml = freezeHeaderRow(load().fflate.strFromU8(data));
    const styles = new Map<number, string>();
    for (const m of xml.matchAll(/<c r="([A-Z]+)2" s="(\d+)"/g))
      styles.set(sheetjs().utils.decode_col(m[1]), m[2]);
    const size = sizeOf(s);
    const ref =
      size.rows <= 1 && size.cols === 1
        ? 'A1'
        : `A1:${col(size.cols - 1)}${Math.max(1, size.rows)}`;
    xml = xml
      .replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${ref}"/>`)
      .replace(/(<ignoredError\b[^>]*\bsqref=")[^"]*"/, `$1${ref}"`);
    const open = xml.indexOf('<sheetData');
    const selfClosed = xml.startsWith('<sheetData/>', open);
    const end = selfClosed
      ? open + '<sheetData/>'.length
      : xml.indexOf('</sheetData>') + '</sheetData>'.length;
    if (open < 0 || end < open) throw new Error(`${name}: no <sheetData>`);
    const out = new DeflatingEntry(name, size.rows > 10_000);
    out.write(`${withFitToPage(xml.slice(0, open))}<sheetData>`);
    const written = sheetRows(out, s, styles, styled.styles);
    if (written !== size.rows)
      throw new Error(`sheet ${s.name}: ${written} rows written, ${size.rows} announced`);
    out.write(
      `</sheetData>${withPageSetup(xml.slice(end), pageSetupXml(s.landscape ?? isWide(s.widths), print))}`,
    );
    return out.finish();
  });
  return pack(entries);
}

/** The zip of the (already deflated) entries. */
function pack(entries: Entry[]): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new (load().fflate.Zip)((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const e of entries) {
    const file: ZipInputFile = { filename: e.name, size: e.size, crc: e.crc, compression: 8 };
    zip.add(file);
    // fflate's types want a plain ArrayBuffer behind the bytes; a Buffer's is one.
    file.ondata!(null, e.data as Uint8Array<ArrayBuffer>, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

/**
 * A sheet as CSV (RFC 4180): comma-separated, CRLF line ends, fields with a comma, quote or line
 * break in double quotes (quotes doubled). Text cells are written as they are in the workbook, so
 * what a trainee typed keeps its neutralising apostrophe.
 */
export function toCsv(spec: SheetSpec): string {
  const lines: string[] = [];
  for (const row of eachRow(spec)) {
    const fields: string[] = [];
    for (const v of row) {
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)))
        fields.push('');
      else if (typeof v === 'number') fields.push(String(v));
      else fields.push(/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    }
    lines.push(fields.join(','));
  }
  return lines.map((l) => `${l}\r\n`).join('');
}
