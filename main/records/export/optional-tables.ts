/**
 * Tables and columns that newer migrations added: a session's sheets read them only where they
 * exist, so a workbook can still be made from older records.
 */
import type { Records } from '../db';

/** Whether a table (and which of its columns) exists: sheets from newer migrations are written defensively. */
export function tableColumns(records: Records, table: string): Set<string> {
  const rows = records.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as {
    name: string;
  }[];
  return new Set(rows.map((r) => r.name));
}

/** The rows a session has in a table; 0 when the table (or its session_id column) does not exist. */
export function countRows(records: Records, table: string, sessionId: string): number {
  if (!tableColumns(records, table).has('session_id')) return 0;
  return (
    records.db
      .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE session_id = ?`)
      .get(sessionId) as { n: number }
  ).n;
}
