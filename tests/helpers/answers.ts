import type { AnswerValue, QuestionDef } from '../../shared/question';

/** The right answer to a graded question (the first option or middle of the scale for a survey). */
export function rightAnswer(q: QuestionDef): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.correct ?? q.options[0];
    case 'multi':
      return q.correct ?? [q.options[0]];
    case 'truefalse':
      return q.correct ?? true;
    case 'numeric':
      return q.correct ?? 1;
    case 'rating':
      return Math.round((q.scale.min + q.scale.max) / 2);
    case 'text':
      return 'an answer';
    case 'ranking':
      return [...q.options];
  }
}

/** A wrong answer to a graded question (valid input, scored 0). */
export function wrongAnswer(q: QuestionDef): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options.find((o) => o !== q.correct)!;
    case 'multi':
      return [q.options.find((o) => !(q.correct ?? []).includes(o))!];
    case 'truefalse':
      return !q.correct;
    case 'numeric':
      return (q.correct ?? 0) + 1000;
    case 'ranking':
      return [...q.options].reverse();
    default:
      return rightAnswer(q);
  }
}
