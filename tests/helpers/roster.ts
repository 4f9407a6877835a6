import * as XLSX from 'xlsx';
import { previewRoster, readRosterFile } from '../../main/records/roster';
import type { ReadOptions, RosterKind } from '../../main/records/roster';
import type { RosterMapping } from '../../shared/roster';

/** A roster file read and previewed, as the console's import dialog shows it; a refused file throws. */
export async function preview(
  file: Buffer | string,
  kind: RosterKind = 'csv',
  mapping: RosterMapping = {},
  opts: ReadOptions = {},
) {
  const read = await readRosterFile(
    typeof file === 'string' ? Buffer.from(file) : file,
    kind,
    opts,
  );
  if (!read.ok) throw new Error(read.message);
  return previewRoster(read, mapping);
}

/** A one-sheet workbook of these rows; `edit` changes cells before it is written. */
export function xlsx(rows: unknown[][], edit?: (ws: XLSX.WorkSheet) => void): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  edit?.(ws);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Roster');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The names Object.prototype has, to prove a file changed none of them. */
export const protoKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort();
