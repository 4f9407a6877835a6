/**
 * Records as PDF files, laid out by pdfmake (tables that break across pages with their header row
 * repeated, page numbers in the footer) in Helvetica, one of the 14 fonts every PDF reader has, so
 * no font file ships with the app. A document is built in two steps: its definition, from the
 * records, synchronously (in the export's read transaction), then {@link renderPdf}, which is
 * asynchronous and reads nothing.
 *
 * Helvetica has the Windows-1252 repertoire (Latin letters with their accents, curly quotes,
 * dashes); {@link pdfText} brings anything else to the nearest letter, or "?", so a name never
 * prints as garbage.
 */
import { createRequire } from 'node:module';
import type PdfMakeModule from 'pdfmake';

/** pdfmake (~20 MB once loaded) is loaded at the first PDF, not when Muster starts. */
let pdfmakeModule: typeof PdfMakeModule | null = null;
function pdfmake(): typeof PdfMakeModule {
  // The Electron bundle is CommonJS (import.meta is empty there); the CLI bundle and tests are ES modules.
  pdfmakeModule ??= createRequire((import.meta.url as string | undefined) ?? __filename)(
    'pdfmake',
  ) as typeof PdfMakeModule;
  return pdfmakeModule;
}

const FONT_FILES = {
  normal: 'Helvetica',
  bold: 'Helvetica-Bold',
  italics: 'Helvetica-Oblique',
  bolditalics: 'Helvetica-BoldOblique',
};
const STANDARD = new Set(Object.values(FONT_FILES));
/**
 * pdfmake is one object for the whole process, and the lesson plan (main/content/lesson-plan.ts)
 * sets its own fonts on it: so the fonts and policies are set again right before each document,
 * which takes them when it is created.
 */
function setUp(): void {
  pdfmake().setFonts({ Helvetica: FONT_FILES });
  // Nothing from the network or the disk: the standard fonts are built into the PDF library.
  pdfmake().setUrlAccessPolicy(() => false);
  pdfmake().setLocalAccessPolicy((p) => STANDARD.has(p));
}

/** A pdfmake document definition (content, page size, header/footer …). */
export type PdfDoc = Record<string, unknown>;

/** The PDF file of a definition. */
export async function renderPdf(doc: PdfDoc): Promise<Buffer> {
  setUp();
  return pdfmake()
    .createPdf({ defaultStyle: { font: 'Helvetica', fontSize: 9 }, ...doc })
    .getBuffer();
}

// Windows-1252's characters above Latin-1's range that Helvetica has.
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const FOLD: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  Ħ: 'H',
  ħ: 'h',
  ŋ: 'n',
  '−': '-',
  '≤': '<=',
  '≥': '>=',
  '→': '->',
  '✓': 'v',
  '\u00a0': ' ',
};
const printable = (c: string) => {
  const n = c.charCodeAt(0);
  return (n >= 0x20 && n <= 0x7e) || (n >= 0xa0 && n <= 0xff) || CP1252_EXTRA.has(c);
};

/** Text as Helvetica can print it: accents kept where it has them, else dropped; other characters "?". */
export function pdfText(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  let out = '';
  for (const c of String(s).replace(/[\r\n\t]+/g, ' ')) {
    if (printable(c)) out += c;
    else if (FOLD[c] !== undefined) out += FOLD[c];
    else {
      const bare = c.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += bare && [...bare].every(printable) ? bare : /\p{M}|\p{Cf}/u.test(c) ? '' : '?';
    }
  }
  return out;
}

/** The footer every records PDF has: what it is on the left, "Page N of M" on the right. */
export function footer(left: string, center = ''): (page: number, pages: number) => PdfDoc {
  return (page, pages) => ({
    margin: [36, 8, 36, 0],
    fontSize: 7.5,
    color: '#333333',
    columns: [
      { text: pdfText(left), width: '*' },
      { text: pdfText(center), width: 'auto', alignment: 'center' },
      { text: `Page ${page} of ${pages}`, width: 80, alignment: 'right' },
    ],
  });
}

/** Label/value pairs in two columns of pairs (course, date, place …). */
export function metaTable(pairs: [string, string][]): PdfDoc {
  const rows: PdfDoc[][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const cells = (p: [string, string] | undefined): PdfDoc[] =>
      p
        ? [{ text: pdfText(p[0]), bold: true }, { text: pdfText(p[1]) }]
        : [{ text: '' }, { text: '' }];
    rows.push([...cells(pairs[i]), ...cells(pairs[i + 1])]);
  }
  return {
    table: { widths: ['auto', '*', 'auto', '*'], body: rows },
    layout: 'noBorders',
    margin: [0, 0, 0, 8],
  };
}

/** Thin grid lines, a heavier rule under the header row. */
export const GRID = {
  hLineWidth: (i: number, node: { table: { headerRows?: number } }) =>
    i === (node.table.headerRows ?? 0) ? 1.2 : 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#555555',
  vLineColor: () => '#888888',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

/** A header cell. */
export const th = (s: string): PdfDoc => ({ text: pdfText(s), bold: true, fillColor: '#e7ebf0' });
/** A body cell; numbers (and percentages) right-aligned. */
export const td = (v: string | number | null | undefined): PdfDoc =>
  typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?%$/.test(v))
    ? { text: String(v), alignment: 'right' }
    : { text: pdfText(v) };
