/**
 * The optional profanity filter for what the room sees of trainees' free text: the Q&A board and
 * word clouds / answer lists. Off by default; the records always keep what the trainee typed.
 *
 * obscenity's English list, less the words this course has to use: "sex" (sex trafficking, a
 * commercial sex act), "rape" and "porn" (child pornography) are the subject matter here, not
 * abuse; and "traffick…" is whitelisted because its letters match a disguised swear word.
 * A test runs the filter over the whole shipped course and expects nothing flagged.
 */
import {
  RegExpMatcher,
  TextCensor,
  asteriskCensorStrategy,
  englishDataset,
  englishRecommendedTransformers,
} from 'obscenity';

const COURSE_WORDS = new Set(['sex', 'rape', 'porn']);

/**
 * Built at the first use, not when Muster starts: the filter is off unless the instructor turns it
 * on, and compiling the word list allocates a few megabytes the server would keep all day.
 */
let filter: { matcher: RegExpMatcher; censor: TextCensor } | null = null;
function profanityFilter(): { matcher: RegExpMatcher; censor: TextCensor } {
  if (filter) return filter;
  const built = englishDataset
    .removePhrasesIf((p) => COURSE_WORDS.has(String(p.metadata?.originalWord ?? '')))
    .build();
  const matcher = new RegExpMatcher({
    ...built,
    ...englishRecommendedTransformers,
    // Merged, not replaced: the dataset's own whitelist keeps "assess", "analysis" … clean.
    whitelistedTerms: [...(built.whitelistedTerms ?? []), 'traffick'],
  });
  const censor = new TextCensor();
  censor.setStrategy(asteriskCensorStrategy());
  filter = { matcher, censor };
  return filter;
}

export function hasProfanity(text: string): boolean {
  return profanityFilter().matcher.hasMatch(text);
}

/** The text with each profane word replaced by asterisks of the same length. */
export function maskProfanity(text: string): string {
  const { matcher, censor } = profanityFilter();
  const matches = matcher.getAllMatches(text);
  return matches.length ? censor.applyTo(text, matches) : text;
}
