/**
 * Roster import: the types and limits the console page and the server share. The server reads the
 * file (main/records/roster-file.ts, in a worker thread) and answers with a {@link RosterPreview}; the
 * console shows it, lets the instructor fix the column mapping, and imports.
 */
import { z } from 'zod';

export const ROSTER_LIMITS = {
  /** The file itself, checked before anything reads it. */
  fileBytes: 5 * 1024 * 1024,
  /** Trainees (data rows) in one roster. */
  rows: 5000,
  /** Columns with anything in them. */
  columns: 30,
  /** Reading the file (worker start included) is stopped after this long. */
  timeoutMs: 5000,
  /** Heap of the worker thread that reads the file. */
  memoryMb: 256,
  /** Longest cell kept; anything a roster field allows is far shorter. */
  cellChars: 1000,
  rosterNameChars: 100,
  emailChars: 254,
} as const;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The roster fields a column can be mapped to. A name is either one column or first + last. */
export const ROSTER_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'officerId',
  'agency',
  'email',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

export const ROSTER_FIELD_LABELS: Record<RosterField, string> = {
  name: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  officerId: 'Officer ID',
  agency: 'Agency',
  email: 'Email',
};

const column = z
  .number()
  .int()
  .min(0)
  .max(ROSTER_LIMITS.columns - 1)
  .nullable()
  .optional();
/**
 * Which column (0-based) holds which field. Fields left out are found from the header names;
 * `null` means "not in this file".
 */
export const RosterMapping = z
  .object({
    name: column,
    firstName: column,
    lastName: column,
    officerId: column,
    agency: column,
    email: column,
  })
  .strict();
export type RosterMapping = z.infer<typeof RosterMapping>;

/** One trainee from the file, ready to import. `line` is the file's line (CSV) or row (XLSX). */
export interface RosterRow {
  line: number;
  name: string;
  officerId: string;
  agency: string;
  email: string;
  /** From the file's own first-name and last-name columns ('' when it had one name column). */
  firstName: string;
  lastName: string;
}

export interface RosterError {
  line: number;
  message: string;
}

/** An officer ID that looks like it lost its leading zeros, and the ID it would be with them. */
export interface RosterIdFix {
  line: number;
  from: string;
  to: string;
  /** `on record`: an officer with that ID is in the records; `width`: the other IDs are longer. */
  why: 'on record' | 'width';
}

export interface RosterPreview {
  /** The header row's cells (or "Column C" where a header cell is empty). */
  columns: string[];
  headerLine: number;
  /** The mapping used: detected from the headers, with the instructor's choices on top. */
  mapping: RosterMapping;
  /** The rows that can be imported. */
  rows: RosterRow[];
  /** Problems: with the columns (at the header line) or with single rows. */
  errors: RosterError[];
  /** Data rows in the file (blank rows not counted). */
  total: number;
  /** Things to look at that do not stop the import (officer IDs that may have lost their zeros). */
  warnings: string[];
  /** The officer IDs that would get their leading zeros back. */
  idFixes: RosterIdFix[];
  /** Whether `rows` already have them (the clerk confirmed: `fixIds=1`). */
  idFixesApplied: boolean;
}

/** The roster that applies now: the running session's, or the one the next session will adopt. */
export interface RosterSummary {
  name: string;
  entries: number;
  importedAt: number;
}

export type RosterPreviewReply =
  { ok: true; preview: RosterPreview } | { ok: false; message: string };
export type RosterImportReply =
  | { ok: true; imported: number; skipped: number; roster: RosterSummary; preview: RosterPreview }
  | { ok: false; message: string; preview?: RosterPreview };
