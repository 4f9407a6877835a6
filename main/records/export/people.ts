/**
 * Who was expected and who came: the class roster against the trainees who joined. A rostered
 * officer who never joined is absent — listed on the sign-in sheet and in Attendance, where a
 * correction (the paper sheet says they were there) makes them present. Officer IDs match as the
 * engine matches them: case and surrounding spaces aside, leading zeros count.
 */
import type { Records } from '../db';
import { normOfficerId } from '../../../shared/identity';
import { splitName } from './names';
import type { SplitName } from './names';

export interface RosterLine {
  rosterEntryId: number;
  officerId: string;
  name: string;
  agency: string;
  /** From the roster file's own columns; '' when it had one name column. */
  firstName: string;
  lastName: string;
}

function columns(records: Records): Set<string> {
  return new Set(
    (
      records.db.prepare(`SELECT name FROM pragma_table_info('roster_entries')`).all() as {
        name: string;
      }[]
    ).map((c) => c.name),
  );
}

/** The roster of a session (empty when it had none), in file order. */
export function rosterLines(records: Records, sessionId: string): RosterLine[] {
  const cols = columns(records);
  if (!cols.has('session_id')) return [];
  const named = cols.has('first_name') && cols.has('last_name');
  return records.db
    .prepare(
      `SELECT id AS rosterEntryId, officer_id AS officerId, name, agency,
              ${named ? "IFNULL(first_name, '')" : "''"} AS firstName, ${named ? "IFNULL(last_name, '')" : "''"} AS lastName
       FROM roster_entries WHERE session_id = ? ORDER BY id`,
    )
    .all(sessionId) as RosterLine[];
}

/** The rostered officers of a session who never joined it (by officer ID). */
export function rosterNoShows(records: Records, sessionId: string): RosterLine[] {
  const joined = new Set(
    (
      records.db
        .prepare(`SELECT officer_id FROM trainees WHERE session_id = ?`)
        .pluck()
        .all(sessionId) as string[]
    ).map(normOfficerId),
  );
  return rosterLines(records, sessionId).filter((r) => !joined.has(normOfficerId(r.officerId)));
}

/**
 * Last and first name of the people of a session: from the roster's own columns when the officer
 * is on it with both, else split from the name as typed.
 */
export function namesOf(
  records: Records,
  sessionId: string,
): (name: string, officerId: string) => SplitName {
  const fromRoster = new Map<string, SplitName>();
  for (const r of rosterLines(records, sessionId))
    if (r.lastName)
      fromRoster.set(normOfficerId(r.officerId), { last: r.lastName, first: r.firstName });
  return (name, officerId) => fromRoster.get(normOfficerId(officerId)) ?? splitName(name);
}

// One collator for every comparison: localeCompare with options builds a new one each call. Made
// at the first sort, not when Muster starts: a collator maps ICU's collation tables (~2 MB of
// resident memory) that a server nobody has joined yet has no use for.
let collator: Intl.Collator | undefined;
/** Names compared as people read them: case and accents aside. */
export const nameCollator = (): Intl.Collator =>
  (collator ??= new Intl.Collator('en', { sensitivity: 'base' }));

/** Sorts by last name, then first name, then officer ID (case and accents aside). */
export function byLastName<T extends { last: string; first: string; officerId: string }>(
  a: T,
  b: T,
): number {
  return (
    nameCollator().compare(a.last, b.last) ||
    nameCollator().compare(a.first, b.first) ||
    (a.officerId < b.officerId ? -1 : a.officerId > b.officerId ? 1 : 0)
  );
}
