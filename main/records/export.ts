/**
 * Exports for records staff (SheetJS for writing only; see export/xlsx.ts; PDFs with pdfmake, see
 * export/pdf.ts). Officer IDs stay text (leading zeros kept); anything a trainee typed that a
 * spreadsheet could take for a formula gets a leading apostrophe (docs/ARCHITECTURE.md, rule 6). Times are
 * local, in the department's time zone, to the minute; every sheet prints (page setup, repeated
 * bold header row, footer).
 *
 * - per session: {@link sessionWorkbookBuffer} (Summary, Attendance, Scores, Responses, Item
 *   analysis, Q&A, Evaluation, Audit log, Scenarios), {@link sheetCsv} for one sheet as CSV,
 *   {@link signInSheetPdf} and {@link resultsPdf};
 * - across sessions: {@link certificationRoster} (by export profile; also {@link rosterPdf}),
 *   {@link traineeHistory}, {@link weakSpots}.
 *
 * Every builder is a function of the records (read only) and the options: what another records
 * store can call as well.
 */
import type * as XLSX from 'xlsx';
import type { Records } from './db';
import { findSheet, sessionPrint, sessionSheets } from './export/session';
import type { ExportOptions } from './export/session';
import { specsToWorkbook, toCsv, writeXlsx } from './export/xlsx';

export { neutralise, answerCell, isEvaluation } from './export/cells';
export { attendance, sessionResults, certificateNumber } from './export/results';
export type { AttendanceSummary, SessionResults, TraineeResult } from './export/results';
export { SESSION_SHEETS, findSheet, sessionPrint, sessionSheets } from './export/session';
export type { ExportOptions, SessionSheet } from './export/session';
export { parseRange, sessionList, sessionsInRange } from './export/across';
export type { RangeInput, SessionListItem } from './export/across';
export {
  historyOf,
  searchTrainees,
  traineeHistory,
  traineeHistorySheets,
} from './export/trainee-history';
export type { HistoryEntry, TraineeHistory, TraineeMatch } from './export/trainee-history';
export { agencyKey, weakSpots, weakSpotsOf, weakSpotsSheets } from './export/weak-spots';
export type { WeakSpots } from './export/weak-spots';
export {
  certificationRoster,
  certificationRosterSheets,
  pickProfile,
  rosterLayout,
  rosterPrint,
  rosterSessions,
  rosterSheetsOf,
  rosterTable,
  sessionRoster,
} from './export/certification';
export type { RosterRecord, RosterTable, SessionRoster } from './export/certification';
export { SIGN_IN_LINES_PER_PAGE, signInLines, signInSheetPdf } from './export/sign-in';
export { resultsPdf, rosterPdf, rosterPdfOf } from './export/documents';
export { pdfText, renderPdf } from './export/pdf';
export type { PdfDoc } from './export/pdf';
export { freezeHeaderRow, freezeHeaderRows, toCsv, writeXlsx } from './export/xlsx';
export type { Cell, PrintOptions, SheetSpec } from './export/xlsx';

/** The session workbook as SheetJS objects (the same cells {@link sessionWorkbookBuffer} writes). */
export function sessionWorkbook(
  records: Records,
  sessionId: string,
  o: ExportOptions = {},
): XLSX.WorkBook {
  return specsToWorkbook(sessionSheets(records, sessionId, o));
}

/** The session workbook as an xlsx file. */
export function sessionWorkbookBuffer(
  records: Records,
  sessionId: string,
  o: ExportOptions = {},
): Buffer {
  if (!records.session(sessionId)) throw new Error(`no session ${sessionId}`);
  return writeXlsx(sessionSheets(records, sessionId, o), sessionPrint(records, sessionId, o));
}

/** One sheet of the session workbook as CSV (RFC 4180, neutralised like the workbook); undefined for an unknown sheet. */
export function sheetCsv(
  records: Records,
  sessionId: string,
  sheetName: string,
  o: ExportOptions = {},
): string | undefined {
  if (!records.session(sessionId)) throw new Error(`no session ${sessionId}`);
  const sheet = findSheet(sessionSheets(records, sessionId, o), sheetName);
  return sheet && toCsv(sheet);
}
