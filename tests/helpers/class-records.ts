/**
 * A class day written straight through Records.apply (as the classroom's group commit does), with
 * something in every record table: roster, joins and leaves, a pre-test, live questions with changed
 * answers, a role-play step, Q&A with votes and moderation, a corrected identity, an attendance
 * correction, a second module, a post-test, submissions, the end.
 */
import type { Records } from '../../main/records/db';
import { correctAttendance } from '../../main/records/attendance';
import { clockFor } from '../../shared/clock';
import type { RecordOp } from '../../main/session/engine';
import type { AnswerValue, QuestionDef } from '../../shared/question';

export const MIN = 60_000;

export interface Officer {
  officerId: string;
  name: string;
  agency: string;
}

export interface ClassPlan {
  id: string;
  start: number;
  officers: Officer[];
  /** Live questions (graded, tagged). */
  questions?: number;
  pretest?: boolean;
  posttest?: boolean;
  course?: string;
  /** Written in batches of this many ops (the group commit). */
  batch?: number;
}

const TAGS = ['indicators', 'law', 'screening', 'victim-centred'];

export function liveQuestion(i: number): QuestionDef {
  const tags = [TAGS[i % TAGS.length]];
  if (i % 3 === 2)
    return { id: `q${i}`, type: 'truefalse', prompt: `Statement ${i}`, correct: i % 2 === 0, tags };
  return {
    id: `q${i}`,
    type: 'single',
    prompt: `Which one (${i})?`,
    options: ['A', 'B', 'C'],
    correct: 'A',
    tags,
  };
}

/** Right for most trainees, wrong for some, by a fixed pattern. */
export function answerFor(q: QuestionDef, k: number): AnswerValue {
  const right = k % 4 !== 1;
  if (q.type === 'truefalse') return right ? q.correct === true : q.correct !== true;
  if (q.type === 'single') return right ? (q.correct ?? 'A') : 'B';
  return 'x';
}

function assessment(
  records: Records,
  plan: ClassPlan,
  kind: 'pretest' | 'posttest',
  at: number,
  write: (op: RecordOp) => void,
): void {
  const id = `${plan.id}-${kind}`;
  const runs = [0, 1, 2, 3].map((i) => ({
    runId: `${id}-r${i}`,
    position: i,
    question: { ...liveQuestion(i), id: `${kind}-q${i}` } as QuestionDef,
  }));
  write({
    op: 'assessmentOpen',
    id,
    sessionId: plan.id,
    key: kind,
    kind,
    assessmentId: kind,
    title: kind === 'pretest' ? 'Pre-test' : 'Post-test',
    slideIndex: 0,
    runs,
    at,
  });
  plan.officers.forEach((_, t) => {
    const tid = `${plan.id}-t${t}`;
    runs.forEach((r, i) => {
      const k = kind === 'pretest' ? t + i + 1 : t + i;
      write({
        op: 'answer',
        runId: r.runId,
        sessionId: plan.id,
        traineeId: tid,
        msgId: `${kind}-${t}-${i}`,
        value: answerFor(r.question, k),
        correct: null,
        at: at + MIN + t,
      });
    });
    write({
      op: 'assessmentSubmit',
      assessmentId: id,
      traineeId: tid,
      sessionId: plan.id,
      msgId: `${kind}-submit-${t}`,
      at: at + 2 * MIN + t,
    });
  });
  write({ op: 'assessmentClose', id, at: at + 5 * MIN });
}

/** Writes a whole class day; returns the number of answers stored. */
export function recordClass(records: Records, plan: ClassPlan): number {
  const course = plan.course ?? 'human-trafficking';
  const pending: RecordOp[] = [];
  const size = plan.batch ?? 200;
  let answers = 0;
  const write = (op: RecordOp) => {
    if (op.op === 'answer') answers++;
    pending.push(op);
    if (pending.length >= size) records.apply(pending.splice(0));
  };
  const flush = () => records.apply(pending.splice(0));
  const s = plan.start;
  const id = plan.id;
  // Every other line with its names in columns of their own, as a state roster has them.
  const entries = plan.officers.map((o, i) => ({
    ...o,
    email: '',
    ...(i % 2
      ? {}
      : { firstName: o.name.split(' ')[0], lastName: o.name.split(' ').slice(1).join(' ') }),
  }));
  write({
    op: 'roster',
    sessionId: null,
    name: `roster-${id}.csv`,
    entries,
    reason: 'imported before class',
    actor: 'instructor',
    at: s - MIN,
  });
  write({
    op: 'session',
    id,
    roomCode: '123456',
    course,
    courseTitle: 'Human Trafficking Awareness',
    courseNumber: 'HT-101',
    creditHours: 4,
    passMark: null,
    file: '01.md',
    title: 'Understanding',
    at: s,
  });
  write({ op: 'adoptRoster', sessionId: id, entries, at: s });
  write({
    op: 'sessionDetails',
    sessionId: id,
    before: { instructors: '', location: '' },
    after: { instructors: 'Sgt. Ruiz', location: 'Academy' },
    actor: 'instructor',
    at: s + 1,
  });
  plan.officers.forEach((o, t) => {
    const tid = `${id}-t${t}`;
    write({ op: 'trainee', id: tid, sessionId: id, ...o, at: s + t * 1000 });
    write({ op: 'device', traineeId: tid, tokenHash: `hash-${id}-${t}`, at: s + t * 1000 });
    write({ op: 'attendance', sessionId: id, traineeId: tid, event: 'join', at: s + t * 1000 });
  });
  if (plan.pretest) assessment(records, plan, 'pretest', s + 10 * MIN, write);
  const n = plan.questions ?? 4;
  for (let i = 0; i < n; i++) {
    const q = liveQuestion(i);
    const runId = `${id}-run${i}`;
    const at = s + (30 + i * 3) * MIN;
    write({ op: 'slide', sessionId: id, index: i + 1, at: at - 1 });
    write({
      op: 'runOpen',
      runId,
      sessionId: id,
      slideIndex: i + 1,
      question: q,
      at,
      deadline: at + MIN,
    });
    plan.officers.forEach((_, t) => {
      const tid = `${id}-t${t}`;
      // Every fifth trainee changes their mind: the response row is updated, the log gets both.
      if (t % 5 === 0)
        write({
          op: 'answer',
          runId,
          sessionId: id,
          traineeId: tid,
          msgId: `live-${i}-${t}-first`,
          value: answerFor(q, t + 1),
          correct: null,
          at: at + 500 + t,
        });
      write({
        op: 'answer',
        runId,
        sessionId: id,
        traineeId: tid,
        msgId: `live-${i}-${t}`,
        value: answerFor(q, t + i),
        correct: null,
        at: at + 1000 + t,
      });
    });
    write({ op: 'runClose', runId, at: at + MIN });
    write({ op: 'runReveal', runId, at: at + MIN + 1 });
  }
  const first = `${id}-t0`;
  write({
    op: 'scenarioStep',
    sessionId: id,
    slideIndex: 9,
    scenarioId: 'hotel',
    playId: `${id}-play`,
    step: 0,
    fromNode: 'start',
    optionId: 'ask',
    toNode: 'talk',
    runId: null,
    at: s + 60 * MIN,
  });
  write({
    op: 'qaAsk',
    id: `${id}-qa1`,
    sessionId: id,
    traineeId: first,
    text: '=SUM(A1) is a question?',
    anonymous: false,
    msgId: `${id}-qa-m1`,
    at: s + 61 * MIN,
  });
  write({
    op: 'qaAsk',
    id: `${id}-qa2`,
    sessionId: id,
    traineeId: null,
    text: 'Anonymous question',
    anonymous: true,
    msgId: `${id}-qa-m2`,
    at: s + 62 * MIN,
  });
  if (plan.officers.length > 1)
    write({ op: 'qaVote', qaId: `${id}-qa1`, traineeId: `${id}-t1`, at: s + 63 * MIN });
  write({
    op: 'qaModerate',
    qaId: `${id}-qa1`,
    status: 'approved',
    pinned: true,
    at: s + 64 * MIN,
  });
  const o0 = plan.officers[0];
  write({
    op: 'correctTrainee',
    sessionId: id,
    traineeId: first,
    before: o0,
    after: { ...o0, name: `${o0.name} Jr.` },
    reason: 'spelling',
    actor: 'instructor',
    at: s + 65 * MIN,
  });
  write({
    op: 'module',
    sessionId: id,
    file: '02.md',
    title: 'Resources and law',
    at: s + 90 * MIN,
  });
  if (plan.officers.length > 2)
    write({
      op: 'attendance',
      sessionId: id,
      traineeId: `${id}-t2`,
      event: 'leave',
      at: s + 100 * MIN,
    });
  if (plan.posttest) assessment(records, plan, 'posttest', s + 200 * MIN, write);
  write({ op: 'end', sessionId: id, at: s + 240 * MIN });
  flush();
  // A correction made in Records after the class: written outside Records.apply, caught all the same.
  if (plan.officers.length > 2) {
    const r = correctAttendance(
      records,
      id,
      {
        traineeId: `${id}-t2`,
        checkIn: null,
        checkOut: new Date(s + 230 * MIN).toISOString(),
        reason: 'signed the paper sheet',
      },
      clockFor('UTC'),
      s + 300 * MIN,
    );
    if (!r.ok) throw new Error(r.message);
  }
  return answers;
}

export function officers(
  n: number,
  prefix = '0',
  agencies = ['Riverside PD', 'County Sheriff', 'State Patrol'],
): Officer[] {
  return Array.from({ length: n }, (_, i) => ({
    officerId: `${prefix}${String(i).padStart(4, '0')}`,
    name: `Officer ${prefix}${i}`,
    agency: agencies[i % agencies.length],
  }));
}
