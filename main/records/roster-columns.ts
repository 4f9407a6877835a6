/** Which column of a roster's header row holds which field, however the department named them. */
import { ROSTER_FIELDS } from '../../shared/roster';
import type { RosterField, RosterMapping } from '../../shared/roster';

/** The header row is one of this many first rows (a few title lines may stand above it). */
export const HEADER_SEARCH = 10;

/** Header text → comparable key: lower case, no accents, letters and digits only ("Badge #" → "badge"). */
export function headerKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Header names per field, best first: the first list a header is in decides its rank. */
const HEADERS: Record<RosterField, string[][]> = {
  officerId: [
    ['officerid', 'officerno', 'officernumber', 'officerpid', 'peaceofficerid', 'officeridnumber'],
    // State IDs: TX PID, CA/UT POST ID, license or certification numbers.
    [
      'pid',
      'tcolepid',
      'tcoleid',
      'postid',
      'capostid',
      'postidnumber',
      'postnumber',
      'stateid',
      'stateofficerid',
      'licensenumber',
      'licenseno',
      'license',
      'certificationnumber',
      'certnumber',
      'certno',
      'pblenumber',
    ],
    ['badge', 'badgeno', 'badgenumber', 'badgeid'],
    ['employeeid', 'employeenumber', 'empid', 'studentid', 'traineeid', 'id', 'idnumber', 'idno'],
  ],
  name: [
    [
      'name',
      'fullname',
      'studentname',
      'traineename',
      'officername',
      'participantname',
      'attendeename',
      'namelastfirst',
      'namelastfirstmi',
      'lastfirst',
      'lastfirstmi',
      'lastnamefirstname',
    ],
    ['student', 'trainee', 'participant', 'attendee'],
  ],
  firstName: [['firstname', 'first', 'givenname', 'fname', 'forename']],
  lastName: [['lastname', 'last', 'surname', 'familyname', 'lname']],
  agency: [
    [
      'agency',
      'agencyname',
      'employingagency',
      'department',
      'dept',
      'departmentagency',
      'agencydepartment',
      'organization',
      'organisation',
      'org',
      'employer',
    ],
  ],
  email: [['email', 'emailaddress', 'mail']],
};

function rank(field: RosterField, header: string): number {
  const key = headerKey(header);
  if (!key) return -1;
  return HEADERS[field].findIndex((list) => list.includes(key));
}

/** The detected mapping for a header row: per field the best-ranked column, the first of equals. */
export function detectMapping(header: readonly string[]): RosterMapping {
  const m: RosterMapping = {};
  const used = new Set<number>();
  for (const field of ['officerId', 'name', 'firstName', 'lastName', 'agency', 'email'] as const) {
    let best = -1;
    let bestRank = Infinity;
    header.forEach((h, i) => {
      const r = rank(field, h);
      if (r >= 0 && r < bestRank && !used.has(i)) [best, bestRank] = [i, r];
    });
    if (best >= 0) {
      m[field] = best;
      used.add(best);
    }
  }
  return m;
}

/** The header row: the first of the first rows that names at least two roster fields (else the first row). */
export function findHeader(rows: readonly string[][]): number {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH); i++) {
    const fields = new Set(rows[i].flatMap((h) => ROSTER_FIELDS.filter((f) => rank(f, h) >= 0)));
    if (fields.size >= 2 || fields.has('officerId')) return i;
  }
  return 0;
}

/** A column as a spreadsheet names it: A, B, …, Z, AA. */
export const colName = (i: number) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
