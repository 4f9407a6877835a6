/**
 * Workbooks that print as records staff file them (export/print.ts on what SheetJS wrote): page
 * setup, the header row repeated, bold and wrapped, long text wrapped in rows tall enough, a
 * footer with course, date and page number. The XML is read back from the zip.
 */
import { strFromU8, unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../main/records/export';
import {
  addPrintStyles,
  pageSetupXml,
  withFitToPage,
  withPageSetup,
  wrappedLines,
} from '../../main/records/export/print';

const wide = {
  name: 'Wide',
  widths: Array(12).fill(12),
  rows: [
    Array.from({ length: 12 }, (_, i) => `Header ${i + 1} that wraps`),
    Array.from({ length: 12 }, (_, i) => i),
  ],
};
const narrow = {
  name: "Ana's list",
  widths: [20, 30],
  wrap: [1],
  rows: [
    ['Field', 'Value'],
    ['Short', 'fits'],
    [
      'Long',
      'Module 1: What trafficking is; Module 2: Indicators on patrol; Module 3: Talking with a possible victim',
    ],
  ],
};

describe('print-ready workbooks', () => {
  const book = writeXlsx([wide, narrow], {
    footerLeft: '3270 Human Trafficking & You',
    footerCenter: '2026-12-04',
  });
  const files = unzipSync(book);
  const sheet = (i: number) => strFromU8(files[`xl/worksheets/sheet${i}.xml`]);

  it('sets up every sheet: Letter, fit to one page wide, landscape where wide, gridlines, margins, a footer', () => {
    expect(sheet(1)).toContain(
      '<pageSetup paperSize="1" orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
    );
    expect(sheet(2)).toContain(
      '<pageSetup paperSize="1" orientation="portrait" fitToWidth="1" fitToHeight="0"/>',
    );
    for (const i of [1, 2]) {
      const xml = sheet(i);
      expect(xml).toMatch(
        /^<\?xml[^>]*>\s*<worksheet[^>]*><sheetPr><pageSetUpPr fitToPage="1"\/><\/sheetPr><dimension /,
      );
      expect(xml).toContain('<printOptions gridLines="1"/><pageMargins ');
      // A literal & is doubled in a footer (a single one starts a code); a size code is kept apart from the digits after it.
      expect(xml).toContain(
        '<oddFooter>&amp;L&amp;8 3270 Human Trafficking &amp;&amp; You&amp;C&amp;8 2026-12-04&amp;R&amp;8 &amp;A · Page &amp;P of &amp;N</oddFooter>',
      );
      // CT_Worksheet order: the setup after the data, before ignoredErrors.
      expect(xml.indexOf('</sheetData>')).toBeLessThan(xml.indexOf('<printOptions'));
      expect(xml.indexOf('</headerFooter>')).toBeLessThan(
        xml.indexOf('<ignoredErrors') === -1 ? Infinity : xml.indexOf('<ignoredErrors'),
      );
    }
  });

  it('repeats the header row on every page, bold on a fill, wrapped', () => {
    const workbook = strFromU8(files['xl/workbook.xml']);
    expect(workbook).toContain(
      '<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Wide&apos;!$1:$1</definedName>',
    );
    expect(workbook).toContain(
      '<definedName name="_xlnm.Print_Titles" localSheetId="1">&apos;Ana&apos;&apos;s list&apos;!$1:$1</definedName>',
    );
    const styles = strFromU8(files['xl/styles.xml']);
    const xfs = [
      ...styles
        .match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)![1]
        .matchAll(/<xf\b[^>]*>(?:[\s\S]*?<\/xf>)?/g),
    ].map((m) => m[0]);
    const header = Number(/<row r="1"[^>]*><c s="(\d+)"/.exec(sheet(1))![1]);
    const fonts = [
      ...styles.match(/<fonts[^>]*>([\s\S]*?)<\/fonts>/)![1].matchAll(/<font>[\s\S]*?<\/font>/g),
    ].map((m) => m[0]);
    const fontId = Number(/fontId="(\d+)"/.exec(xfs[header])![1]);
    expect(fonts[fontId]).toContain('<b/>');
    expect(xfs[header]).toMatch(/fillId="[1-9]\d*"/);
    expect(xfs[header]).toContain('wrapText="1"');
    // The header row is tall enough for its wrapped headers.
    expect(sheet(1)).toMatch(/<row r="1" ht="[\d.]+" customHeight="1">/);
    // SheetJS reads the file as it did before: same cells, same values.
    const back = XLSX.read(book, { type: 'buffer' });
    expect(XLSX.utils.sheet_to_json(back.Sheets["Ana's list"], { header: 1 })).toEqual(narrow.rows);
  });

  it('wraps long text in the columns that hold it, in a row tall enough, and leaves short rows alone', () => {
    const xml = sheet(2);
    expect(xml).toMatch(/<row r="2">/);
    const tall = /<row r="3" ht="([\d.]+)" customHeight="1">/.exec(xml);
    expect(Number(tall?.[1])).toBeGreaterThanOrEqual(3 * 12);
    expect(xml).toMatch(
      /<row r="3"[^>]*><c t="str"><v>Long<\/v><\/c><c s="\d+" t="str"><v>Module 1/,
    );
  });

  it('counts wrapped lines as a reader sees them', () => {
    expect(wrappedLines('short', 20)).toBe(1);
    expect(wrappedLines('Texas Department of Public Safety — Highway Patrol Division', 20)).toBe(3);
    expect(wrappedLines('x'.repeat(100), 20)).toBe(4);
    expect(wrappedLines('one\ntwo', 20)).toBe(2);
  });

  it('puts page setup into any worksheet XML, replacing what was there', () => {
    expect(withFitToPage('<worksheet a="1"><dimension ref="A1"/>')).toBe(
      '<worksheet a="1"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1"/>',
    );
    expect(withFitToPage('<worksheet><sheetPr codeName="x"/>')).toBe(
      '<worksheet><sheetPr codeName="x"><pageSetUpPr fitToPage="1"/></sheetPr>',
    );
    expect(withFitToPage('<worksheet><sheetPr><tabColor rgb="FF0000"/></sheetPr>')).toBe(
      '<worksheet><sheetPr><tabColor rgb="FF0000"/><pageSetUpPr fitToPage="1"/></sheetPr>',
    );
    expect(withFitToPage('<worksheet><sheetPr><pageSetUpPr fitToPage="0"/></sheetPr>')).toBe(
      '<worksheet><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
    );
    const setup = pageSetupXml(true, {});
    expect(withPageSetup('<pageMargins left="1"/><ignoredErrors/></worksheet>', setup)).toBe(
      `${setup}<ignoredErrors/></worksheet>`,
    );
    expect(withPageSetup('</worksheet>', setup)).toBe(`${setup}</worksheet>`);
    expect(() => withPageSetup('<sheetData/>', setup)).toThrow(/no <\/worksheet>/);
    const { xml, styles } = addPrintStyles(
      '<fonts count="1"><font><sz val="12"/></font></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0"/></cellXfs>',
    );
    expect(styles).toEqual({ header: '1', wrap: '2' });
    expect(xml).toContain('<fonts count="2"><font><sz val="10"/></font><font><b/>');
    expect(xml).toContain(
      '<cellXfs count="3"><xf numFmtId="0" applyAlignment="1"><alignment vertical="top"/></xf>',
    );
    expect(xml).toContain(
      '<cellStyleXfs count="1"><xf numFmtId="0" applyAlignment="1"><alignment vertical="top"/></xf></cellStyleXfs>',
    );
  });
});
