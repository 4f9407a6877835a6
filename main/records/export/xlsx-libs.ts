/** SheetJS and fflate, for the workbooks: loaded when the first one is written. */
import { createRequire } from 'node:module';
import type * as XLSX from 'xlsx';
import type * as Fflate from 'fflate';

/**
 * SheetJS and fflate are loaded at the first workbook, not when Muster starts: together they hold
 * ~35 MB that a class in progress never uses (exports are built in a worker thread anyway).
 */
let libs: { xlsx: typeof XLSX; fflate: typeof Fflate } | null = null;
export function load(): { xlsx: typeof XLSX; fflate: typeof Fflate } {
  if (!libs) {
    // The Electron bundle is CommonJS (no import.meta there); the CLI bundle and tests are ES modules.
    const req = createRequire((import.meta.url as string | undefined) ?? __filename);
    libs = { xlsx: req('xlsx') as typeof XLSX, fflate: req('fflate') as typeof Fflate };
  }
  return libs;
}
/** SheetJS, loaded. */
export const sheetjs = () => load().xlsx;
