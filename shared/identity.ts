/**
 * Who a trainee is, as text: names, officer IDs and agencies are cleaned the same way wherever they
 * are compared or stored, so two people who look the same on a screen are the same to Muster.
 *
 * Unicode lets one visible text be spelled many ways: full-width digits (`００４１７`), compatibility
 * letters (`ﬁ`), zero-width spaces and joiners, bidirectional overrides that reorder what follows.
 * A phone could use any of them to join as a second trainee who looks exactly like the first, or to
 * claim an officer ID that looks different from the one it copies. NFKC folds the compatibility
 * forms; the invisible and bidi-control characters are removed; runs of white space become one space.
 */

/**
 * Control characters (C0, DEL, C1), soft hyphen, combining grapheme joiner, Arabic letter mark,
 * Hangul fillers, Mongolian vowel separator, zero-width characters, directional marks, embeddings,
 * overrides and isolates, word joiner and invisible operators, BOM, interlinear annotation marks.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /\u034f|[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]/g;

/** A person's text as Muster stores and compares it: NFKC, no invisible characters, single spaces, trimmed. */
export function cleanText(s: string): string {
  return s.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * The key an officer ID is matched by: cleaned, and without regard to case. Leading zeros count
 * (00417 is not 417): an ID is text, as the agency issued it.
 */
export function normOfficerId(id: string): string {
  return cleanText(id).toUpperCase();
}

/** The key a name is compared by (a nickname that is someone's name, a claim under another name). */
export function normName(name: string): string {
  return cleanText(name).toLocaleUpperCase('en-US');
}
