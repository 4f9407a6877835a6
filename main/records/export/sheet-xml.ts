/**
 * A worksheet's XML as the fast writer makes it: the frozen header row, cell text escaped as OOXML
 * wants it, and the data rows written straight into `<sheetData>` the way SheetJS writes a cell.
 */
import { rowHeight } from './print';
import type { PrintStyles } from './print';
import { eachRow } from './sheet';
import type { SheetSpec } from './sheet';
import { sheetjs } from './xlsx-libs';
import type { DeflatingEntry } from './zip-entries';

/** Excel's limit for the text of one cell. */
const MAX_TEXT = 32767;

const COLS: string[] = [];
/** A column's letters (0 is A), remembered. */
export function col(c: number): string {
  if (COLS[c] === undefined) COLS[c] = sheetjs().utils.encode_col(c);
  return COLS[c];
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

/** Text that needs a closer look before it goes into XML: entities, control characters, `_xHHHH_`, edge spaces. */
// eslint-disable-next-line no-control-regex
const CAREFUL = /[&<>"'\x00-\x1f]|_x|^\s|\s$/;

/**
 * The `<row>` elements of a sheet into `out`; `styles` gives the style index of a formatted
 * column's numbers. Returns how many rows were written.
 */
export function sheetRows(
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
