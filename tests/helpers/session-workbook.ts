import type { Records } from '../../main/records/db';
import { sessionWorkbookBuffer } from '../../main/records/export';
import type * as XLSX from 'xlsx';
import { DEPT, at, openRecords, read, storeClass } from './records-fixture';

/**
 * The class day of records-fixture.ts exported as its session workbook with the department's
 * profile, long after the class ended, and read back with SheetJS. Call removeRecordsDirs afterAll.
 */
export function sessionWorkbook(): { r: Records; buf: Buffer; wb: XLSX.WorkBook } {
  const r = openRecords();
  storeClass(r);
  const buf = sessionWorkbookBuffer(r, 's1', { department: DEPT, now: at(500) });
  return { r, buf, wb: read(buf) };
}
