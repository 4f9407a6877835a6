/**
 * The stored records of the export benchmark (tests/bench/export.ts): sessions of graded and
 * ungraded questions of every scored type, written through Records.apply in batches like the
 * classroom's group commit.
 */
import type { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const TAGS = [
  'indicators',
  'definitions',
  'victim-centered',
  'screening',
  'labor-trafficking',
  'minors',
];
const AGENCIES = [
  'Riverside PD',
  'County Sheriff',
  'State Patrol',
  'Metro Transit PD',
  'University PD',
];

function question(i: number): QuestionDef {
  const tags = [TAGS[i % TAGS.length]];
  const id = `q${i + 1}`;
  switch (i % 6) {
    case 0:
    case 1:
      return {
        id,
        type: 'single',
        prompt: `Which of these is an indicator of trafficking? (${i + 1})`,
        options: ['Scripted answers', 'Carries own ID', 'Works regular hours', 'Lives alone'],
        correct: 'Scripted answers',
        tags,
      };
    case 2:
      return {
        id,
        type: 'multi',
        prompt: `Select every element of the federal definition (${i + 1})`,
        options: ['Force', 'Fraud', 'Coercion', 'Movement'],
        correct: ['Force', 'Fraud', 'Coercion'],
        scoring: 'partial',
        tags,
      };
    case 3:
      return {
        id,
        type: 'truefalse',
        prompt: `A minor in commercial sex is a trafficking victim without proof of force (${i + 1})`,
        correct: true,
        tags,
      };
    case 4:
      return {
        id,
        type: 'numeric',
        prompt: `How many hours does the mandate require? (${i + 1})`,
        correct: 2,
        tolerance: 0,
        tags,
      };
    default:
      return {
        id: `eval-${i + 1}`,
        type: 'rating',
        prompt: `How useful was this module for your duties? (${i + 1})`,
        scale: { min: 1, max: 5 },
        tags: ['evaluation'],
      };
  }
}

function answer(q: QuestionDef, k: number): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options[k % 5 === 0 ? 1 : 0];
    case 'multi':
      return k % 3 === 0 ? ['Force', 'Fraud'] : ['Force', 'Fraud', 'Coercion'];
    case 'truefalse':
      return k % 4 !== 0;
    case 'numeric':
      return k % 7 === 0 ? 8 : 2;
    case 'rating':
      return 1 + (k % 5);
    default:
      return 'x';
  }
}

/** Stores one session through Records.apply, in batches like the classroom's group commit. */
export function storeSession(
  r: Records,
  id: string,
  start: number,
  trainees: number,
  questions: number,
): void {
  const hour = 3_600_000;
  const ops: RecordOp[] = [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'ht-awareness',
      courseTitle: 'Human Trafficking Awareness for Patrol',
      courseNumber: '3270',
      creditHours: 4,
      passMark: 70,
      file: 'm.md',
      title: 'Module 1',
      at: start,
    },
  ];
  const flush = () => {
    r.apply(ops.splice(0));
  };
  for (let t = 0; t < trainees; t++) {
    const tid = `${id}-t${t}`;
    ops.push({
      op: 'trainee',
      id: tid,
      sessionId: id,
      name: `Trainee ${t} Lastname`,
      officerId: String(t).padStart(5, '0'),
      agency: AGENCIES[t % AGENCIES.length],
      at: start + 60_000 + t * 50,
    });
    ops.push({
      op: 'attendance',
      sessionId: id,
      traineeId: tid,
      event: 'join',
      at: start + 60_000 + t * 50,
    });
    if (ops.length >= 5000) flush();
  }
  flush();
  for (let i = 0; i < questions; i++) {
    const q = question(i);
    const runId = `${id}-r${i}`;
    const at = start + 5 * 60_000 + i * 3 * 60_000;
    ops.push({
      op: 'runOpen',
      runId,
      sessionId: id,
      slideIndex: i,
      question: q,
      at,
      deadline: null,
    });
    for (let t = 0; t < trainees; t++) {
      ops.push({
        op: 'answer',
        runId,
        sessionId: id,
        traineeId: `${id}-t${t}`,
        msgId: `m${i}-${t}`,
        value: answer(q, t + i),
        correct: null,
        at: at + 1000 + t,
      });
      if (ops.length >= 5000) flush();
    }
    ops.push({ op: 'runClose', runId, at: at + 60_000 });
    flush();
  }
  ops.push({ op: 'end', sessionId: id, at: start + 4 * hour });
  flush();
}
