/** A sheet as a CSV file. */
import { eachRow } from './sheet';
import type { SheetSpec } from './sheet';

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
