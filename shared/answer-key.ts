/**
 * Whether an answer matches a question's key, from what the reveal tells a phone: the correct
 * labels and, for a number, the tolerance. The server scores with the same function
 * ({@link ./question#isCorrect}), so the phone's "Correct" never disagrees with the record. No zod
 * here (types only), so the trainee page can take it without the schemas.
 */
import type { AnswerValue } from './question';
import type { QuestionType } from './vocabulary';

export interface AnswerKey {
  type: QuestionType;
  /**
   * The correct labels: the option (single), the options (multi), "True" or "False", the number
   * as text (numeric), the whole order, top first (ranking).
   */
  correct: readonly string[];
  /** Numeric only: how far an answer may be from the number and still be right. */
  tolerance?: number;
}

/** True when the answer is right by the key. Speed never enters into it. */
export function matchesKey(key: AnswerKey, v: AnswerValue): boolean {
  const c = key.correct;
  switch (key.type) {
    case 'single':
      return c.length === 1 && v === c[0];
    case 'multi': {
      const want = new Set(c);
      return (
        Array.isArray(v) &&
        v.length === want.size &&
        new Set(v).size === v.length &&
        v.every((x) => want.has(x))
      );
    }
    case 'truefalse':
      return typeof v === 'boolean' && c.length === 1 && (v ? 'True' : 'False') === c[0];
    case 'numeric': {
      const want = Number(c[0]);
      if (typeof v !== 'number' || c.length !== 1 || !Number.isFinite(want)) return false;
      // A hair of slack for binary fractions: 41.9 is within 0.1 of 42 although 42 - 41.9 = 0.10000000000000142.
      return Math.abs(v - want) <= (key.tolerance ?? 0) + 1e-9 * Math.max(1, Math.abs(want));
    }
    case 'ranking':
      return Array.isArray(v) && v.length === c.length && v.every((x, i) => x === c[i]);
    case 'rating':
    case 'text':
      return false;
  }
}
