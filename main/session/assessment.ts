/**
 * Answers and self-paced assessments (pre-test, post-test, evaluation). Each assessment question is
 * a question run of its own, so its answers take the same path as a live question's. Decisions only.
 */
import { answerProblem, isCorrect } from '../../shared/question';
import type { AnswerValue } from '../../shared/question';
import type { EngineState, Outcome, Run } from './state';
import { fail, live } from './state';

type AnswerInput = {
  traineeId: string;
  runId: string;
  msgId: string;
  value: AnswerValue;
  now: number;
};

/** One answer per trainee per question; a new answer replaces the old one until the question closes. */
export function answer(s: EngineState, input: AnswerInput): Outcome<{ duplicate: boolean }> {
  const session = live(s);
  if (!session) return fail('closed', 'no class is running');
  if (!s.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
  if (s.msgIds.get(input.traineeId)?.has(input.msgId))
    return { ok: true, ops: [], traineesChanged: false, duplicate: true };
  const a = s.assessment;
  const ar = a?.byRun.get(input.runId);
  if (a && ar) {
    if (a.closedAt !== null) return fail('closed', `the ${a.title} has closed`);
    if (a.submitted.has(input.traineeId))
      return fail('closed', `you have already submitted the ${a.title}`);
    return store(s, ar, input);
  }
  const r = s.run;
  if (!r || r.runId !== input.runId) return fail('closed', 'that question is no longer open');
  if (r.closedAt !== null || session.phase !== 'question')
    return fail('closed', 'the question has closed');
  return store(s, r, input);
}

/** Takes a checked answer to an open run (live or self-paced): one per trainee, the latest counts. */
function store(s: EngineState, r: Run, input: AnswerInput): Outcome<{ duplicate: boolean }> {
  const problem = answerProblem(r.q, input.value);
  if (problem) return fail('invalid', problem);
  return {
    ok: true,
    duplicate: false,
    traineesChanged: false,
    ops: [
      {
        op: 'answer',
        runId: r.runId,
        sessionId: s.session!.id,
        traineeId: input.traineeId,
        msgId: input.msgId,
        value: input.value,
        correct: isCorrect(r.q, input.value),
        at: input.now,
      },
    ],
  };
}

/**
 * Opens one of the course's assessments (`key` in course.yaml): every question at once, one run
 * each (`runIds` in order), for trainees to take at their own pace. Live questions wait until it closes.
 */
export function openAssessment(
  s: EngineState,
  input: { id: string; key: string; runIds: string[]; now: number },
): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'start a session first');
  const def = session.deck.assessments?.find((d) => d.key === input.key);
  if (!def) return fail('not-found', `this course has no assessment "${input.key}"`);
  if (session.phase === 'question')
    return fail('invalid', 'close the question before starting an assessment');
  if (s.assessment && s.assessment.closedAt === null)
    return fail('invalid', `close the ${s.assessment.title} first`);
  if (input.runIds.length !== def.questions.length)
    return fail('invalid', 'one run id per question');
  return {
    ok: true,
    traineesChanged: true,
    ops: [
      {
        op: 'assessmentOpen',
        id: input.id,
        sessionId: session.id,
        key: def.key,
        kind: def.kind,
        assessmentId: def.id,
        title: def.title,
        slideIndex: session.slideIndex,
        runs: def.questions.map((question, position) => ({
          runId: input.runIds[position],
          position,
          question,
        })),
        at: input.now,
      },
    ],
  };
}

/** Closes the assessment: answers are final; trainees who did not submit keep what they answered. */
export function closeAssessment(s: EngineState, now: number): Outcome {
  const a = s.assessment;
  if (!live(s) || !a || a.closedAt !== null) return fail('invalid', 'no assessment is open');
  return { ok: true, traineesChanged: true, ops: [{ op: 'assessmentClose', id: a.id, at: now }] };
}

/** Back to the lecture once the assessment has closed (a presentation change: nothing to store). */
export function dismissAssessment(s: EngineState): Outcome {
  const a = s.assessment;
  if (!a) return fail('invalid', 'no assessment to leave');
  if (a.closedAt === null) return fail('invalid', `close the ${a.title} first`);
  return { ok: true, ops: [{ op: 'dismissAssessment' }], traineesChanged: true };
}

/** A trainee hands the assessment in. Sent again (a lost ack), it is acknowledged again and stored once. */
export function submit(
  s: EngineState,
  input: { traineeId: string; assessmentId: string; msgId: string; now: number },
): Outcome<{ duplicate: boolean }> {
  const session = live(s);
  if (!session) return fail('closed', 'no class is running');
  if (!s.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
  const a = s.assessment;
  if (!a || a.id !== input.assessmentId) return fail('closed', 'that assessment is no longer open');
  if (a.submitted.has(input.traineeId))
    return { ok: true, ops: [], traineesChanged: false, duplicate: true };
  if (a.closedAt !== null)
    return fail('closed', `the ${a.title} has closed; your answers so far are saved`);
  return {
    ok: true,
    duplicate: false,
    traineesChanged: false,
    ops: [
      {
        op: 'assessmentSubmit',
        assessmentId: a.id,
        traineeId: input.traineeId,
        sessionId: session.id,
        msgId: input.msgId,
        at: input.now,
      },
    ],
  };
}
