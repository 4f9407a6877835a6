import type { Deck, Slide } from '../../shared/course';
import type { QuestionDef } from '../../shared/question';

/** A slide with this id as its title, and its question if it has one. */
export const slide = (id: string, question: QuestionDef | null = null): Slide => ({
  id,
  line: 1,
  title: id,
  html: `<h1>${id}</h1>`,
  notes: '',
  question,
  scenario: null,
});
/** A graded ranking is authored in its right order: that order is its answer key. */
export const RANK = ['W', 'X', 'Y', 'Z'];
/** The deck the engine's tests run: a single choice, a timed true/false, a graded ranking, and a pre-test. */
export const deck: Deck = {
  course: 'c',
  courseTitle: 'Course',
  file: 'd.md',
  title: 'Deck',
  minutes: 10,
  slides: [
    slide('intro'),
    slide('poll', {
      id: 'q1',
      type: 'single',
      prompt: 'Pick',
      options: ['A', 'B', 'C'],
      correct: 'B',
      explanation: 'Because B.',
    }),
    slide('tf', { id: 'q2', type: 'truefalse', prompt: 'True?', correct: false, timeLimit: 10 }),
    slide('rank', { id: 'q3', type: 'ranking', prompt: 'Order', options: RANK, graded: true }),
    slide('end'),
  ],
  assessments: [
    {
      key: 'pretest',
      id: 'pre',
      title: 'Pre-test',
      kind: 'pretest',
      minutes: null,
      questions: [
        {
          id: 'pre-1',
          type: 'single',
          prompt: 'Pick',
          options: ['A', 'B', 'C'],
          correct: 'B',
          explanation: 'Because B.',
        },
        {
          id: 'pre-2',
          type: 'truefalse',
          prompt: 'True?',
          correct: true,
          explanation: 'Because true.',
        },
      ],
    },
  ],
};
