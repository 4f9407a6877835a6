/**
 * Writing workbooks from plain tables ({@link SheetSpec}, ./sheet.ts; a CSV file of one is ./csv.ts).
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
 *   index SheetJS gave that column's format) by ./sheet-xml.ts.
 * The zip is then packed again, each part deflated by Node's zlib (./zip-entries.ts).
 */
import type * as XLSX from 'xlsx';
import {
  addPrintStyles,
  isWide,
  pageSetupXml,
  printTitlesName,
  withFitToPage,
  withPageSetup,
} from './print';
import type { PrintOptions } from './print';
import { allRows, eachRow } from './sheet';
import type { Cell, SheetSpec } from './sheet';
import { col, freezeHeaderRow, sheetRows } from './sheet-xml';
import { load, sheetjs } from './xlsx-libs';
import { DeflatingEntry, deflated, pack } from './zip-entries';
import type { Entry } from './zip-entries';

export type { PrintOptions } from './print';
export { allRows, eachRow } from './sheet';
export type { Cell, LazyRows, SheetSpec } from './sheet';
export { escapeCellText, freezeHeaderRow } from './sheet-xml';
export { toCsv } from './csv';

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

/** Every worksheet of an xlsx file with its header row frozen. */
export function freezeHeaderRows(xlsx: Uint8Array): Buffer {
  const files: Record<string, Uint8Array> = load().fflate.unzipSync(xlsx);
  for (const name of Object.keys(files))
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name))
      files[name] = Buffer.from(freezeHeaderRow(load().fflate.strFromU8(files[name])));
  return pack(Object.entries(files).map(([name, data]) => deflated(name, data)));
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
