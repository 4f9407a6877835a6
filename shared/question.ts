import { z } from 'zod';
import { QuestionType as QuestionTypeEnum } from './vocabulary';
import type { QuestionType } from './vocabulary';
import { matchesKey } from './answer-key';
import type { AnswerKey } from './answer-key';
import { scrambled } from './shuffle';

/**
 * A question as authored in a deck's ```question block (see content/README.md).
 * This is the instructor-side definition: it holds the correct answer and must never be sent to a
 * phone as is. {@link publicQuestion} gives the part a trainee may see.
 */
const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id: lowercase letters, digits and hyphens'),
  prompt: z.string().min(1).max(500),
  explanation: z.string().max(2000).optional(),
  source: z.string().max(500).optional(),
  timeLimit: z.number().int().min(5).max(3600).optional(),
  points: z.number().min(0).max(100).optional(),
  tags: z.array(z.string().min(1).max(60)).max(20).optional(),
  /** The learning objective (course.yaml, e.g. `1.2`) the item assesses; never sent to phones. */
  objective: z.string({ error: 'quote the objective (objective: "1.2")' }).max(20).optional(),
  /**
   * A poll whose answers the projector shows as they arrive (the course's `livePolls` sets the
   * default). Otherwise the room sees the split only when the instructor shows the results.
   */
  live: z.boolean().optional(),
};
const options = z.array(z.string().min(1).max(200)).min(2).max(8);

export const QuestionDef = z.discriminatedUnion('type', [
  z
    .object({ ...base, type: z.literal('single'), options, correct: z.string().optional() })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('multi'),
      options,
      correct: z.array(z.string()).min(1).optional(),
      scoring: z.enum(['all-or-nothing', 'partial']).optional(),
    })
    .strict(),
  z.object({ ...base, type: z.literal('truefalse'), correct: z.boolean().optional() }).strict(),
  z
    .object({
      ...base,
      type: z.literal('numeric'),
      correct: z.number().optional(),
      tolerance: z.number().min(0).optional(),
      unit: z.string().max(30).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('rating'),
      scale: z
        .object({
          min: z.number().int(),
          max: z.number().int(),
          minLabel: z.string().max(60).optional(),
          maxLabel: z.string().max(60).optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({ ...base, type: z.literal('text'), display: z.enum(['cloud', 'list']).optional() })
    .strict(),
  z
    .object({ ...base, type: z.literal('ranking'), options, graded: z.boolean().optional() })
    .strict(),
]);
export type QuestionDef = z.infer<typeof QuestionDef>;
export type { QuestionType } from './vocabulary';
export const QUESTION_TYPES: readonly QuestionType[] = QuestionTypeEnum.options;

/** Checks a question beyond its shape: the correct answer must be one of the options, etc. */
export function questionProblems(q: QuestionDef): string[] {
  const problems: string[] = [];
  switch (q.type) {
    case 'single':
      if (q.correct !== undefined && !q.options.includes(q.correct))
        problems.push(`correct answer "${q.correct}" is not one of the options`);
      break;
    case 'multi':
      for (const c of q.correct ?? [])
        if (!q.options.includes(c))
          problems.push(`correct answer "${c}" is not one of the options`);
      break;
    case 'rating':
      if (q.scale.max <= q.scale.min) problems.push('scale.max must be greater than scale.min');
      if (q.scale.max - q.scale.min > 10) problems.push('a rating scale has at most 11 points');
      break;
    case 'ranking':
    case 'truefalse':
    case 'numeric':
    case 'text':
      break;
    default: {
      const never: never = q;
      throw new Error(`unknown question ${String(never)}`);
    }
  }
  if (q.live && isGraded(q))
    problems.push(
      'live: only a poll (no correct answer) shows its answers as they arrive; the room would follow the majority',
    );
  if (new Set('options' in q ? q.options : []).size !== ('options' in q ? q.options.length : 0))
    problems.push('options must be distinct');
  return problems;
}

/** True when the question has a right answer (a quiz item), false for a poll or survey item. */
export function isGraded(q: QuestionDef): boolean {
  switch (q.type) {
    case 'single':
    case 'multi':
    case 'truefalse':
    case 'numeric':
      return q.correct !== undefined;
    case 'ranking':
      return q.graded === true;
    case 'rating':
    case 'text':
      return false;
  }
}

/** What a phone may see of a question: no correct answer, explanation or source before reveal. */
export const PublicQuestion = z.object({
  id: z.string(),
  type: QuestionTypeEnum,
  prompt: z.string(),
  options: z.array(z.string()).optional(),
  scale: z
    .object({
      min: z.number(),
      max: z.number(),
      minLabel: z.string().optional(),
      maxLabel: z.string().optional(),
    })
    .optional(),
  unit: z.string().optional(),
});
export type PublicQuestion = z.infer<typeof PublicQuestion>;

/**
 * What a phone (or the projector) may see of a question. A ranking's items come {@link scrambled}
 * with `key`, which the room never sees (the session's id): a graded ranking is authored in its
 * right order. Without a key (the instructor's own previews) they come as authored.
 */
export function publicQuestion(q: QuestionDef, key?: string): PublicQuestion {
  const out: PublicQuestion = { id: q.id, type: q.type, prompt: q.prompt };
  if (q.type === 'truefalse') out.options = ['True', 'False'];
  else if (q.type === 'ranking' && key !== undefined)
    out.options = scrambled(q.options, `${key}:${q.id}`);
  else if ('options' in q) out.options = [...q.options];
  if (q.type === 'rating') out.scale = { ...q.scale };
  if (q.type === 'numeric' && q.unit) out.unit = q.unit;
  return out;
}

/** How large an answer's value may be: its text, and a list's items and their text. */
export const ANSWER_LIMITS = { textMax: 500, itemsMax: 8, itemMax: 200 } as const;
/** The value a trainee sends for an answer. Checked against the open question by {@link answerProblem}. */
export const AnswerValue = z.union([
  z.string().max(ANSWER_LIMITS.textMax),
  z.number().finite(),
  z.boolean(),
  z.array(z.string().max(ANSWER_LIMITS.itemMax)).max(ANSWER_LIMITS.itemsMax),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** Why an answer does not fit the question, or null when it does. */
export function answerProblem(q: QuestionDef, v: AnswerValue): string | null {
  switch (q.type) {
    case 'single':
      return typeof v === 'string' && q.options.includes(v) ? null : 'choose one of the options';
    case 'multi':
      return Array.isArray(v) &&
        v.length > 0 &&
        v.every((x) => q.options.includes(x)) &&
        new Set(v).size === v.length
        ? null
        : 'choose one or more of the options';
    case 'truefalse':
      return typeof v === 'boolean' ? null : 'answer true or false';
    case 'numeric':
      return typeof v === 'number' ? null : 'answer with a number';
    case 'rating':
      return typeof v === 'number' && Number.isInteger(v) && v >= q.scale.min && v <= q.scale.max
        ? null
        : `choose a whole number from ${q.scale.min} to ${q.scale.max}`;
    case 'text':
      return typeof v === 'string' && v.trim().length > 0 && v.length <= 280
        ? null
        : 'type an answer of 1 to 280 characters';
    case 'ranking':
      return Array.isArray(v) &&
        v.length === q.options.length &&
        new Set(v).size === v.length &&
        v.every((x) => q.options.includes(x))
        ? null
        : 'put every item in order once';
  }
}

/** Whether an answer is correct; null for ungraded questions. Speed never enters into it. */
export function isCorrect(q: QuestionDef, v: AnswerValue): boolean | null {
  const key = answerKey(q);
  return key ? matchesKey(key, v) : null;
}

/**
 * The key a graded question is scored by (what the reveal gives a phone, so it can say "Correct"
 * by the same rule); null for a poll or survey item.
 */
export function answerKey(q: QuestionDef): AnswerKey | null {
  const correct = isGraded(q) ? correctLabels(q) : undefined;
  if (!correct) return null;
  return {
    type: q.type,
    correct,
    ...(q.type === 'numeric' ? { tolerance: q.tolerance ?? 0 } : {}),
  };
}

/** Partial credit for a multiple-select question: (right picks − wrong picks) / number of right options, at least 0. */
function partialCredit(correct: readonly string[], v: AnswerValue): number {
  if (!Array.isArray(v) || correct.length === 0) return 0;
  const want = new Set(correct);
  let score = 0;
  for (const x of new Set(v)) score += want.has(x) ? 1 : -1;
  return Math.max(0, score / want.size);
}

/**
 * The record score of an answer, from 0 to 1; null for an ungraded question (a poll or survey).
 * Multiple select with `scoring: partial` earns partial credit; everything else is 1 or 0, exactly
 * as {@link isCorrect}. Speed never enters into it.
 */
export function score(q: QuestionDef, v: AnswerValue): number | null {
  if (!isGraded(q)) return null;
  if (q.type === 'multi' && q.scoring === 'partial') return partialCredit(q.correct ?? [], v);
  return isCorrect(q, v) ? 1 : 0;
}

export function correctLabels(q: QuestionDef): string[] | undefined {
  switch (q.type) {
    case 'single':
      return q.correct === undefined ? undefined : [q.correct];
    case 'multi':
      return q.correct;
    case 'truefalse':
      return q.correct === undefined ? undefined : [q.correct ? 'True' : 'False'];
    case 'numeric':
      return q.correct === undefined ? undefined : [String(q.correct)];
    case 'ranking':
      // The whole order, top first: the answer to a ranking is the order, not only its first item.
      return q.graded ? [...q.options] : undefined;
    default:
      return undefined;
  }
}
