/**
 * Officer IDs that lost their leading zeros. A spreadsheet turns 00417 typed into a column not
 * formatted as text into the number 417; imported as it is, officer 00417 then joins as a walk-in
 * and is on the sign-in sheet twice. So a roster's IDs are checked before import:
 * - an ID that is an officer on record (an earlier class, a trainee already here) once its
 *   leading zeros are put back ("417" while "00417" is on record);
 * - IDs of digits with different lengths (417, 902 beside 88120), as numbers that lost zeros look.
 * Nothing is changed unless the clerk confirms: then each such ID gets its zeros back.
 */
import type { Records } from './db';
import type { RosterIdFix } from '../../shared/roster';

const DIGITS = /^\d+$/;
const strip = (id: string) => id.replace(/^0+(?=\d)/, '');

/** The officer IDs on record that start with a zero (the only ones a lost zero can hide), by their digits without the zeros. */
export function zeroPaddedOnRecord(records: Records): Map<string, string> {
  const ids = records.db
    .prepare(
      `SELECT officer_id FROM trainees WHERE officer_id LIKE '0%' UNION SELECT officer_id FROM roster_entries WHERE officer_id LIKE '0%'`,
    )
    .pluck()
    .all() as string[];
  const byDigits = new Map<string, string>();
  const clash = new Set<string>();
  for (const raw of ids) {
    const id = raw.trim();
    if (!DIGITS.test(id)) continue;
    const k = strip(id);
    if (byDigits.has(k) && byDigits.get(k) !== id) clash.add(k);
    else byDigits.set(k, id);
  }
  // "417" on record as both 00417 and 0417: no way to tell which, so no proposal.
  for (const k of clash) byDigits.delete(k);
  return byDigits;
}

/**
 * The IDs to fix, one per row that needs it, and what to tell the clerk. `ids` are the roster's
 * officer IDs by line.
 */
export function proposeIdFixes(
  ids: readonly { line: number; officerId: string }[],
  onRecord: ReadonlyMap<string, string>,
): { fixes: RosterIdFix[]; warnings: string[] } {
  const digits = ids.filter((r) => DIGITS.test(r.officerId));
  const fixes = new Map<number, RosterIdFix>();
  for (const r of digits) {
    const known = onRecord.get(strip(r.officerId));
    if (known && known !== r.officerId)
      fixes.set(r.line, { line: r.line, from: r.officerId, to: known, why: 'on record' });
  }
  const warnings: string[] = [];
  const lengths = digits.map((r) => r.officerId.length);
  const widest = Math.max(0, ...lengths);
  const short = digits.filter((r) => r.officerId.length < widest);
  // Mixed widths among IDs of digits only, where most are the full width (badge numbers 7 and 1234 are not that).
  if (digits.length >= 2 && short.length > 0 && short.length < digits.length && widest >= 4) {
    for (const r of short)
      if (!fixes.has(r.line))
        fixes.set(r.line, {
          line: r.line,
          from: r.officerId,
          to: r.officerId.padStart(widest, '0'),
          why: 'width',
        });
    const shown = short.slice(0, 3).map((r) => r.officerId);
    warnings.push(
      `The officer IDs have different lengths (${Math.min(...lengths)} to ${widest} digits): ${shown.join(', ')}${short.length > 3 ? ` and ${short.length - 3} more` : ''} ${short.length === 1 ? 'is' : 'are'} shorter than the others. ` +
        'A spreadsheet drops the leading zeros of IDs typed into a column that is not formatted as text. If that happened, add the zeros back below; if these IDs really are shorter, import them as they are.',
    );
  }
  const recorded = [...fixes.values()].filter((f) => f.why === 'on record');
  if (recorded.length)
    warnings.push(
      `${recorded.length} officer ${recorded.length === 1 ? 'ID matches an officer' : 'IDs match officers'} on record only with leading zeros added (${recorded
        .slice(0, 3)
        .map((f) => `${f.from} → ${f.to}`)
        .join(
          ', ',
        )}${recorded.length > 3 ? ', …' : ''}). They are matched only if you confirm below.`,
    );
  return { fixes: [...fixes.values()].sort((a, b) => a.line - b.line), warnings };
}
