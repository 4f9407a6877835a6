/** A sheet as the exports make it: a plain table ({@link SheetSpec}), held whole or made row by row. */

/** A cell: text (already neutralised where a trainee typed it), a number, or nothing. */
export type Cell = string | number | null;

/** Rows made one at a time, for a sheet too big to hold whole (120,000 answers). */
export interface LazyRows {
  /** How many rows `each` yields, the header included. */
  count: number;
  /** The widest row. */
  width: number;
  each(): Iterable<Cell[]>;
}

export interface SheetSpec {
  /** At most 31 characters, none of : \\ / ? * [ ]. */
  name: string;
  /** The header row, then the data rows. */
  rows: Cell[][] | LazyRows;
  /** Column widths in characters. */
  widths: number[];
  /** Number formats by column index, applied to the numeric cells of that column (e.g. '0%'). */
  formats?: Record<number, string>;
  /** Columns of long text, wrapped within their width so they print whole. */
  wrap?: number[];
  /** Printed landscape; by default when the columns are wide. */
  landscape?: boolean;
}

/** The rows of a sheet, header first. */
export function eachRow(spec: SheetSpec): Iterable<Cell[]> {
  return Array.isArray(spec.rows) ? spec.rows : spec.rows.each();
}

/** A sheet's rows as an array (small sheets, tests). */
export function allRows(spec: SheetSpec): Cell[][] {
  return Array.isArray(spec.rows) ? spec.rows : [...spec.rows.each()];
}
