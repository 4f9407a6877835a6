/**
 * What makes a sheet print as records staff file it. SheetJS CE writes no page setup and no cell
 * styles (Pro features), so they are written into the XML it produced, as for the frozen panes:
 * - Letter paper, landscape when the columns are wide, scaled to one page wide (any number tall);
 * - the header row repeated on every page (the `_xlnm.Print_Titles` name, written by SheetJS),
 *   bold, wrapped, on a light fill with a rule under it; gridlines printed;
 * - a footer: course and date on the left, the sheet's name and "Page N of M" on the right;
 * - text in long-text columns wrapped, so nothing is cut off on paper.
 */

export interface PrintOptions {
  /** Footer, left part: the course, for instance. */
  footerLeft?: string;
  /** Footer, centre part: the date(s), for instance. */
  footerCenter?: string;
}

/** Total column width (in characters) above which a sheet prints landscape. */
export const LANDSCAPE_FROM = 100;

/** Letter is paper size 1 in SpreadsheetML. */
const LETTER = 1;

const xmlText = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Text for a header/footer section: `&` starts a code there, so a literal one is doubled; kept short (Excel allows 255 in all). */
const footerText = (s: string, max: number) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return (one.length > max ? `${one.slice(0, max - 1)}…` : one).replace(/&/g, '&&');
};

/** The style indexes added to styles.xml: the header row's, and wrapped text's. */
export interface PrintStyles {
  header: string;
  wrap: string;
}

/**
 * styles.xml with the default font at 10 pt (records print small and dense), every cell format
 * aligned to the top, a bold font, a light fill and a bottom border added, and two cell formats
 * using them: the header cell and wrapped text.
 */
export function addPrintStyles(xml: string): { xml: string; styles: PrintStyles } {
  const count = (tag: string) => {
    const m = new RegExp(`<${tag} count="(\\d+)"`).exec(xml);
    if (!m) throw new Error(`styles.xml: no <${tag}>`);
    return Number(m[1]);
  };
  const append = (tag: string, item: string) => {
    const n = count(tag);
    xml = xml.replace(
      new RegExp(`<${tag} count="\\d+"([^>]*)>([\\s\\S]*?)</${tag}>`),
      (_m, attrs: string, body: string) =>
        `<${tag} count="${n + 1}"${attrs}>${body}${item}</${tag}>`,
    );
    return n;
  };
  xml = xml.replace(/(<fonts\b[^>]*>\s*<font>[\s\S]*?)<sz val="[\d.]+"\/>/, '$1<sz val="10"/>');
  // Every cell at the top of its row: a row made taller by one wrapped cell reads across.
  // (Excel reads a cell without a style as cellXfs[0], LibreOffice as the Normal style: both are set.)
  const top = (xfs: string) =>
    xfs.replace(
      /<xf\b([^>]*?)\s*\/>/g,
      '<xf$1 applyAlignment="1"><alignment vertical="top"/></xf>',
    );
  xml = xml
    .replace(/<cellXfs\b[^>]*>[\s\S]*?<\/cellXfs>/, top)
    .replace(/<cellStyleXfs\b[^>]*>[\s\S]*?<\/cellStyleXfs>/, top);
  const bold = append(
    'fonts',
    '<font><b/><sz val="10"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>',
  );
  const fill = append(
    'fills',
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE7EBF0"/><bgColor indexed="64"/></patternFill></fill>',
  );
  const border = append(
    'borders',
    '<border><left/><right/><top/><bottom style="medium"><color auto="1"/></bottom><diagonal/></border>',
  );
  const header = append(
    'cellXfs',
    `<xf numFmtId="0" fontId="${bold}" fillId="${fill}" borderId="${border}" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="bottom" wrapText="1"/></xf>`,
  );
  const wrap = append(
    'cellXfs',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
  );
  return { xml, styles: { header: String(header), wrap: String(wrap) } };
}

/** The page setup elements of a sheet, in the order CT_Worksheet wants them. */
export function pageSetupXml(landscape: boolean, o: PrintOptions): string {
  const left = footerText(o.footerLeft ?? '', 110);
  const center = footerText(o.footerCenter ?? '', 40);
  // A size code (&8) takes every digit after it, so text that starts with one needs a space between.
  const footer = `&L&8 ${left}&C&8 ${center}&R&8 &A · Page &P of &N`;
  return (
    '<printOptions gridLines="1"/>' +
    '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>' +
    `<pageSetup paperSize="${LETTER}" orientation="${landscape ? 'landscape' : 'portrait'}" fitToWidth="1" fitToHeight="0"/>` +
    `<headerFooter><oddFooter>${xmlText(footer)}</oddFooter></headerFooter>`
  );
}

/** Elements that follow the page setup in CT_Worksheet: the setup goes before the first of them. */
const AFTER_SETUP =
  /<(rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|<\/worksheet>/;

/**
 * The part of a worksheet's XML after `</sheetData>` with the page setup in place (any SheetJS
 * wrote is replaced).
 */
export function withPageSetup(tail: string, setup: string): string {
  const rest = tail.replace(
    /<(printOptions|pageMargins|pageSetup)\b[^>]*\/>|<headerFooter\b[\s\S]*?<\/headerFooter>/g,
    '',
  );
  const at = AFTER_SETUP.exec(rest);
  if (!at) throw new Error('not the end of a worksheet: no </worksheet>');
  return rest.slice(0, at.index) + setup + rest.slice(at.index);
}

/** The start of a worksheet's XML (before `<sheetData>`) with "fit to page" switched on in its properties. */
export function withFitToPage(head: string): string {
  if (/<pageSetUpPr\b/.test(head))
    return head.replace(
      /<pageSetUpPr\b([^>]*?)\s*\/>/,
      (_m, a: string) => `<pageSetUpPr${a.replace(/\s*fitToPage="[^"]*"/, '')} fitToPage="1"/>`,
    );
  if (/<sheetPr\b[^>]*\/>/.test(head))
    return head.replace(
      /<sheetPr\b([^>]*?)\s*\/>/,
      '<sheetPr$1><pageSetUpPr fitToPage="1"/></sheetPr>',
    );
  // pageSetUpPr comes after tabColor and outlinePr inside sheetPr.
  if (/<sheetPr\b/.test(head))
    return head.replace(/<\/sheetPr>/, '<pageSetUpPr fitToPage="1"/></sheetPr>');
  return head.replace(/(<worksheet\b[^>]*>)/, '$1<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
}

/** Whether a sheet with these column widths prints landscape. */
export const isWide = (widths: readonly number[]) =>
  widths.reduce((a, b) => a + b, 0) > LANDSCAPE_FROM;

/** The defined name that repeats a sheet's first row on every printed page (SheetJS writes it into workbook.xml). */
export function printTitlesName(
  sheetIndex: number,
  sheetName: string,
): { Name: string; Sheet: number; Ref: string } {
  return {
    Name: '_xlnm.Print_Titles',
    Sheet: sheetIndex,
    Ref: `'${sheetName.replace(/'/g, "''")}'!$1:$1`,
  };
}

/** Points per line of 10 pt text, and the most lines a row is given. */
const LINE_PT = 12.5;
const MAX_LINES = 30;

/** How many lines `text` takes wrapped at `width` characters (words kept whole where they fit). */
export function wrappedLines(text: string, width: number, bold = false): number {
  // A column's width counts digits; text averages narrower, bold a little wider.
  const room = Math.max(1, Math.floor(width * (bold ? 1.1 : 1.25)));
  let lines = 0;
  for (const para of text.split('\n')) {
    let line = 0;
    lines++;
    for (const word of para.split(' ')) {
      const w = word.length;
      if (line > 0 && line + 1 + w > room) {
        lines++;
        line = 0;
      }
      if (w > room) {
        lines += Math.ceil(w / room) - 1;
        line = w % room;
      } else line += (line > 0 ? 1 : 0) + w;
    }
  }
  return lines;
}

/**
 * The height (points) a row needs for its wrapped cells, or null when one line will do. Written
 * into the row because not every program works it out when it opens the file (LibreOffice does not).
 */
export function rowHeight(
  row: readonly (string | number | null)[],
  widths: readonly number[],
  wrap: ReadonlySet<number>,
  header: boolean,
): number | null {
  let lines = 1;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (typeof v !== 'string' || v.length === 0 || !(header || wrap.has(c))) continue;
    if (v.length <= (widths[c] ?? 9) && !v.includes('\n')) continue;
    lines = Math.max(lines, wrappedLines(v, widths[c] ?? 9, header));
  }
  return lines > 1 ? Math.min(lines, MAX_LINES) * LINE_PT + 1.5 : null;
}
