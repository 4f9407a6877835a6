/**
 * Open text for the word cloud: answers folded to what they say (case, punctuation and stop words
 * aside), a short answer kept whole as a phrase.
 */

/** Whole answers up to this many characters (once normalised) count as one phrase in the cloud. */
export const CLOUD_PHRASE_MAX = 30;

/** Case-folded, trimmed, punctuation and symbols removed (apostrophes join: "don't" → "dont"), spaces collapsed. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

// Common English function words: they would crowd the cloud and say nothing.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers herself him himself his how
  i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own same she should so some such than that thats the their theirs them themselves then there these they this those
  through to too under until up very was we were what when where which while who whom why will with would you your yours
  yourself yourselves im ive id youre theyre dont doesnt didnt isnt arent wasnt cant wont also get got like really`.split(
    /\s+/,
  ),
);

/** A short answer of at most this many words (once stop words are folded) counts as one phrase in the cloud. */
export const CLOUD_PHRASE_WORDS = 3;

/** One entry an answer adds to the cloud: what it is grouped by, and how it reads. */
export interface CloudTerm {
  /** Case, punctuation and stop words folded: "The debt!" and "debt" share a key. */
  key: string;
  /** Case and punctuation folded, the words kept ("fear of police"). */
  text: string;
}

/**
 * What one answer adds to the cloud, grouped by its words: case, punctuation and stop words are
 * folded ("The debt!" and "debt" are one entry). A short answer stays whole as a phrase ("fear of
 * police"); a longer one counts each of its distinct words once.
 */
export function cloudTerms(answer: string): CloudTerm[] {
  const all = normaliseText(answer).split(' ').filter(Boolean);
  const words = all.filter((w) => !STOP_WORDS.has(w));
  if (!words.length) return [];
  const key = words.join(' ');
  if (words.length <= CLOUD_PHRASE_WORDS && all.join(' ').length <= CLOUD_PHRASE_MAX) {
    // How it reads: without the stop words at either end ("the debt" reads "debt"), with those inside.
    const first = all.indexOf(words[0]);
    const last = all.lastIndexOf(words[words.length - 1]);
    return [{ key, text: all.slice(first, last + 1).join(' ') }];
  }
  return [...new Set(words.filter((w) => w.length > 1))].map((w) => ({ key: w, text: w }));
}
