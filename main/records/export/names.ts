/**
 * Names as a state roster wants them: last and first name in columns of their own, and each
 * instructor with their ID.
 *
 * Trainees type one name on their phone. When the class roster had last and first names, those are
 * used (they came from the agency's own list); otherwise the typed name is split: "Ortiz, Ana M."
 * is last name first; "Ana M. Ortiz" has the last word as last name, with the particles that belong
 * to it ("de la Cruz", "van der Berg") and a suffix ("Jr.", "III") kept with it.
 */

export interface SplitName {
  last: string;
  first: string;
}

const PARTICLES = new Set([
  'da',
  'das',
  'de',
  'del',
  'della',
  'der',
  'di',
  'dos',
  'du',
  'la',
  'le',
  'st',
  'st.',
  'van',
  'von',
  'y',
  'bin',
  'ibn',
  'al',
  'el',
  'ter',
  'ten',
]);
const SUFFIXES = /^(jr|sr|ii|iii|iv|v|2nd|3rd)\.?$/i;

/** A typed full name as last and first name. */
export function splitName(full: string): SplitName {
  const name = full.trim().replace(/\s+/g, ' ');
  if (!name) return { last: '', first: '' };
  const comma = name.indexOf(',');
  if (comma > 0) {
    const last = name.slice(0, comma).trim();
    const rest = name.slice(comma + 1).trim();
    // "Ana Ortiz, Jr." is a suffix after a comma, not "last, first".
    if (!SUFFIXES.test(rest)) return { last, first: rest };
    const inner = splitName(last);
    return { first: inner.first, last: `${inner.last} ${rest}` };
  }
  const words = name.split(' ');
  if (words.length === 1) return { last: name, first: '' };
  let end = words.length;
  let suffix = '';
  if (words.length > 2 && SUFFIXES.test(words[end - 1])) {
    suffix = ` ${words[end - 1]}`;
    end--;
  }
  let start = end - 1;
  while (start > 1 && PARTICLES.has(words[start - 1].toLowerCase())) start--;
  return {
    last: words.slice(start, end).join(' ') + suffix,
    first: words.slice(0, start).join(' '),
  };
}

/** An instructor named on a session, with the ID the department register gives them ('' when none). */
export interface Instructor {
  name: string;
  id: string;
}

const key = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The instructors a session names ("Sgt. Maria Lopez; Det. Sam Reed (PID 4471)"): each name with
 * its ID — written in brackets after the name, or found in the department's register by name (the
 * register's name may be the end of what was typed, so a rank in front still finds it).
 */
export function sessionInstructors(
  typed: string | null,
  register: readonly Instructor[],
): Instructor[] {
  if (!typed) return [];
  const known = register.map((r) => ({ ...r, key: key(r.name) })).filter((r) => r.key);
  return typed
    .split(/[;\n]|\s+\/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const bracket = /^(.*?)\s*\(\s*(?:(?:pid|id|post id|tcole pid)[\s#:]*)?([^()]+?)\s*\)$/i.exec(
        part,
      );
      if (bracket && bracket[1]) return { name: bracket[1], id: bracket[2] };
      const k = key(part);
      const found = known.find((r) => k === r.key || k.endsWith(` ${r.key}`));
      return { name: part, id: found?.id ?? '' };
    });
}
