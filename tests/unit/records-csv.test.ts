// Any sheet of the session workbook as CSV: RFC 4180 quoting, neutralised like the workbook,
// officer IDs as they are; read back with a strict RFC 4180 reader.
import { afterAll, describe, expect, it } from 'vitest';
import { sheetCsv, toCsv } from '../../main/records/export';
import { HYPER, openRecords, storeClass, removeRecordsDirs } from '../helpers/records-fixture';

afterAll(removeRecordsDirs);

describe('CSV', () => {
  it('any sheet, RFC 4180 quoting, neutralised like the workbook, IDs as they are', () => {
    const r = openRecords();
    storeClass(r);
    const csv = sheetCsv(r, 's1', 'Attendance')!;
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'Name,Officer ID,Agency,Status,Check-in,Check-out,Minutes present,Connected intervals,Minutes in class,Present %,Late arrival,Minutes late,Early departure,Minutes early,Corrected,Correction reason',
    );
    expect(lines[5]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",00123,'\+SUM\(1\),/);
    expect(parseCsv(csv)[5].slice(0, 3)).toEqual([`'${HYPER}`, '00123', "'+SUM(1)"]);
    expect(sheetCsv(r, 's1', 'item-analysis')).toContain('ind-1');
    expect(sheetCsv(r, 's1', 'qa')).toContain('"Is a T visa the same as a U visa?"'.slice(1, -1));
    expect(sheetCsv(r, 's1', 'Nope')).toBeUndefined();
  });

  it('quotes commas, quotes and line breaks; nothing else', () => {
    const csv = toCsv({
      name: 'x',
      widths: [],
      rows: [['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rx', 1.5, null, '']],
    });
    expect(csv).toBe('a,"b,c","say ""hi""","two\nlines","cr\rx",1.5,,\r\n');
    expect(parseCsv(csv)[0]).toEqual([
      'a',
      'b,c',
      'say "hi"',
      'two\nlines',
      'cr\rx',
      '1.5',
      '',
      '',
    ]);
  });
});

/** A strict RFC 4180 reader, to read the CSV back. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && !(s[i] === '"' && s[i + 1] !== '"')) {
        field += s[i];
        i += s[i] === '"' ? 2 : 1;
      }
      i++;
    } else while (i < s.length && s[i] !== ',' && s[i] !== '\r') field += s[i++];
    row.push(field);
    if (s[i] === ',') i++;
    else if (s[i] === '\r') {
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}
