/**
 * Roster import: the file is read in a worker thread (./roster-file.ts), the columns are found
 * (./roster-columns.ts), and here every row is checked. Nothing here writes anything: the caller
 * imports the rows only when the preview allows it.
 */
import { LIMITS } from '../../shared/protocol';
import { ROSTER_FIELDS, ROSTER_FIELD_LABELS, ROSTER_LIMITS } from '../../shared/roster';
import type {
  RosterError,
  RosterField,
  RosterMapping,
  RosterPreview,
  RosterRow,
} from '../../shared/roster';
import { proposeIdFixes } from './roster-ids';
import { colName, detectMapping, findHeader } from './roster-columns';
import { tooManyRows } from './roster-file';

export { headerKey, detectMapping } from './roster-columns';
export { readRosterFile, rosterKind, rosterWorkerPath, tooLargeMessage } from './roster-file';
export type { ReadOptions, ReadResult, RosterKind } from './roster-file';

// Control characters (C0, DEL, C1), line/paragraph separators and bidirectional overrides: none has a
// place in a name or an ID, and each can break a spreadsheet or disguise text.
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Officer IDs match without regard to case or surrounding spaces, but leading zeros count (as in the engine). */
export const officerKey = (id: string) => id.trim().toUpperCase();

/** How officer IDs that look like they lost their leading zeros are handled (./roster-ids.ts). */
export interface IdOptions {
  /** Officer IDs on record that start with zeros, by their digits without them. */
  onRecord?: ReadonlyMap<string, string>;
  /** The clerk confirmed: those IDs get their zeros back. */
  fixIds?: boolean;
}

/**
 * Finds the columns (or uses `override`) and checks every row. Officer IDs stay text: "00417" is
 * "00417", and a cell like `=HYPERLINK(…)` is the text it shows. IDs that may have lost leading
 * zeros are reported (warnings, idFixes) and fixed only with `ids.fixIds`.
 */
export function previewRoster(
  read: { rows: string[][]; lines: number[] },
  override: RosterMapping = {},
  ids: IdOptions = {},
): RosterPreview {
  const { rows, lines } = read;
  const h = findHeader(rows);
  const headerCells = rows[h] ?? [];
  const width = Math.max(0, ...rows.map((r) => r.length));
  const columns = Array.from(
    { length: width },
    (_, i) => headerCells[i]?.trim() || `Column ${colName(i)}`,
  );
  const headerLine = lines[h] ?? 1;
  const mapping: RosterMapping = { ...detectMapping(headerCells), ...override };
  for (const f of ROSTER_FIELDS) if (mapping[f] === undefined) delete mapping[f];
  const errors: RosterError[] = [];
  const out: RosterRow[] = [];
  const data = rows.slice(h + 1);
  const total = data.length;
  const col = (f: RosterField) => mapping[f] ?? null;

  for (const f of ROSTER_FIELDS) {
    const c = col(f);
    if (c !== null && c >= width)
      errors.push({
        line: headerLine,
        message: `${ROSTER_FIELD_LABELS[f]}: the file has no column ${colName(c)} (${c + 1})`,
      });
  }
  const shown = columns.map((c) => `“${c}”`).join(', ');
  if (col('officerId') === null)
    errors.push({
      line: headerLine,
      message: `no officer ID column in the header row (${shown || 'empty'}): name a column “Officer ID”, “Badge”, “PID” or “POST ID”, or choose it under Columns`,
    });
  if (col('name') === null && (col('firstName') === null || col('lastName') === null))
    errors.push({
      line: headerLine,
      message: `no name column in the header row (${shown || 'empty'}): name a column “Name”, or “First name” and “Last name”, or choose them under Columns`,
    });
  if (total > ROSTER_LIMITS.rows)
    errors.push({ line: lines[h + 1 + ROSTER_LIMITS.rows] ?? headerLine, message: tooManyRows() });
  const none = { warnings: [], idFixes: [], idFixesApplied: false };
  if (errors.length) return { columns, headerLine, mapping, rows: [], errors, total, ...none };
  if (total === 0)
    return {
      columns,
      headerLine,
      mapping,
      rows: [],
      errors: [{ line: headerLine, message: 'the file has a header row but no trainees under it' }],
      total,
      ...none,
    };

  const idCol = col('officerId')!;
  const proposal = proposeIdFixes(
    data.map((row, i) => ({ line: lines[h + 1 + i], officerId: (row[idCol] ?? '').trim() })),
    ids.onRecord ?? new Map(),
  );
  const fixed = new Map(ids.fixIds ? proposal.fixes.map((f) => [f.line, f.to]) : []);
  const seen = new Map<string, number>();
  data.forEach((row, i) => {
    const line = lines[h + 1 + i];
    const cell = (f: RosterField) => {
      const c = col(f);
      return c === null ? '' : (row[c] ?? '').trim();
    };
    const first = cell('firstName');
    const last = cell('lastName');
    const name = col('name') !== null ? cell('name') : [first, last].filter(Boolean).join(' ');
    const officerId = fixed.get(line) ?? cell('officerId');
    const agency = cell('agency');
    const email = cell('email');
    const problems: string[] = [];
    const check = (label: string, value: string, max: number, required: boolean) => {
      if (!value) {
        if (required) problems.push(`no ${label}`);
      } else if (CONTROL.test(value))
        problems.push(
          `${label} contains a control character (a line break, tab or similar); retype it`,
        );
      else if (value.length > max) problems.push(`${label} is longer than ${max} characters`);
    };
    check('name', name, LIMITS.nameMax, true);
    check('officer ID', officerId, LIMITS.officerIdMax, true);
    check('agency', agency, LIMITS.agencyMax, false);
    check('email', email, ROSTER_LIMITS.emailChars, false);
    if (email && !problems.some((p) => p.startsWith('email')) && !EMAIL.test(email))
      problems.push(`email “${email.slice(0, 60)}” is not an email address`);
    if (officerId && !problems.some((p) => p.startsWith('officer ID'))) {
      const dup = seen.get(officerKey(officerId));
      if (dup !== undefined) problems.push(`officer ID ${officerId} is already on line ${dup}`);
      else seen.set(officerKey(officerId), line);
    }
    if (problems.length) for (const message of problems) errors.push({ line, message });
    else
      out.push({
        line,
        name,
        officerId,
        agency,
        email,
        firstName: col('firstName') !== null ? first : '',
        lastName: col('lastName') !== null ? last : '',
      });
  });
  return {
    columns,
    headerLine,
    mapping,
    rows: out,
    errors,
    total,
    warnings: proposal.warnings,
    idFixes: proposal.fixes,
    idFixesApplied: fixed.size > 0,
  };
}

/** Whether a preview may be imported: no problems at all, or (with `skipErrors`) at least one good row. */
export function importProblem(p: RosterPreview, skipErrors: boolean): string | null {
  if (p.rows.length === 0)
    return p.errors[0]
      ? `nothing to import: ${p.errors[0].message}`
      : 'nothing to import: the file has no trainees';
  if (p.errors.length && !skipErrors) {
    const lines = new Set(p.errors.map((e) => e.line)).size;
    return `${lines} ${lines === 1 ? 'row has' : 'rows have'} errors; fix the file, or import the ${p.rows.length} valid ${p.rows.length === 1 ? 'row' : 'rows'} only`;
  }
  return null;
}
