/**
 * The lecture: the session's slides and modules, live questions, role-play decisions, the end of
 * the day. Decisions only (apply.ts changes memory once the records hold the operations).
 *
 * Phases: lobby → presenting → question → closed → results → … → ended.
 */
import type { Deck } from '../../shared/course';
import type { EngineOp, RecordOp } from './ops';
import { sessionOp } from './ops';
import type { EngineState, Outcome } from './state';
import { fail, live, nothing, scenarioQuestion } from './state';
import { closeAssessment } from './assessment';

export function start(
  s: EngineState,
  input: { sessionId: string; roomCode: string; deck: Deck; now: number },
): Outcome {
  if (live(s)) return fail('invalid', 'a session is already running; end it first');
  if (input.deck.slides.length === 0) return fail('invalid', 'the deck has no slides');
  return {
    ok: true,
    traineesChanged: true,
    ops: [sessionOp(input.sessionId, input.roomCode, input.deck, input.now)],
  };
}

export function goto(
  s: EngineState,
  index: number,
  now: number,
  playId = `play-${index}-${now}`,
): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'start a session first');
  if (index < 0 || index >= session.deck.slides.length)
    return fail('invalid', `slide ${index + 1} does not exist`);
  if (session.phase === 'question')
    return fail('invalid', 'close the question before leaving the slide');
  const wasQuestionPhase = session.phase !== 'presenting';
  return {
    ok: true,
    ops: [{ op: 'slide', sessionId: session.id, index, playId, at: now }],
    traineesChanged: wasQuestionPhase,
  };
}

/**
 * Moves the class on to another module of the same course: a class day is one session, so the room
 * code, who joined, attendance and the Q&A board carry on; the slides start at the new deck's first.
 */
export function switchModule(s: EngineState, deck: Deck, now: number): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'start a session first');
  if (deck.course !== session.deck.course)
    return fail(
      'invalid',
      'that module belongs to another course; end this session and start a new one',
    );
  if (deck.slides.length === 0) return fail('invalid', 'that module has no slides');
  if (session.phase === 'question')
    return fail('invalid', 'close the question before changing module');
  if (s.assessment && s.assessment.closedAt === null)
    return fail('invalid', `close the ${s.assessment.title} before changing module`);
  if (deck.file === session.deck.file)
    return fail('invalid', `the class is already in ${deck.title}`);
  return {
    ok: true,
    traineesChanged: true,
    ops: [{ op: 'module', sessionId: session.id, file: deck.file, title: deck.title, at: now }],
  };
}

export function openQuestion(s: EngineState, runId: string, now: number): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'start a session first');
  const slide = session.deck.slides[session.slideIndex];
  const q =
    slide.question ?? (s.scenario ? scenarioQuestion(s.scenario.def, s.scenario.node) : null);
  if (!q)
    return fail(
      'invalid',
      s.scenario
        ? 'this point of the scenario has no decision to vote on'
        : 'this slide has no question',
    );
  if (session.phase === 'question') return fail('invalid', 'the question is already open');
  if (s.assessment && s.assessment.closedAt === null)
    return fail('invalid', `close the ${s.assessment.title} before opening a question`);
  const deadline = q.timeLimit ? now + q.timeLimit * 1000 : null;
  return {
    ok: true,
    traineesChanged: true,
    ops: [
      {
        op: 'runOpen',
        runId,
        sessionId: session.id,
        slideIndex: session.slideIndex,
        question: q,
        at: now,
        deadline,
      },
    ],
  };
}

export function closeQuestion(s: EngineState, now: number): Outcome {
  const session = live(s);
  const r = s.run;
  if (!session || !r || session.phase !== 'question') return fail('invalid', 'no question is open');
  return { ok: true, traineesChanged: true, ops: [{ op: 'runClose', runId: r.runId, at: now }] };
}

/** Closes a timed question whose deadline has passed. The server calls it from its timer. */
export function tick(s: EngineState, now: number): Outcome {
  const r = s.run;
  if (s.session?.phase === 'question' && r && r.deadline !== null && now >= r.deadline)
    return closeQuestion(s, r.deadline);
  return nothing();
}

export function showResults(s: EngineState, now: number): Outcome {
  const session = live(s);
  const r = s.run;
  if (!session || !r) return fail('invalid', 'no question to show results for');
  const ops: RecordOp[] = [];
  if (session.phase === 'question') ops.push({ op: 'runClose', runId: r.runId, at: now });
  ops.push({ op: 'runReveal', runId: r.runId, at: now });
  return { ok: true, traineesChanged: true, ops };
}

/** Ends the class day. The classroom adds a `leave` for every trainee still connected. */
export function end(s: EngineState, now: number): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'no session is running');
  const ops: EngineOp[] = [];
  if (session.phase === 'question' && s.run)
    ops.push({ op: 'runClose', runId: s.run.runId, at: now });
  if (s.assessment && s.assessment.closedAt === null) {
    const closing = closeAssessment(s, now);
    if (closing.ok) ops.push(...closing.ops);
  }
  ops.push({ op: 'end', sessionId: session.id, at: now });
  return { ok: true, ops, traineesChanged: true };
}

/** Records who taught the class and where; the change is audit-logged like any correction. */
export function details(
  s: EngineState,
  input: { instructors: string; location: string; now: number },
): Outcome {
  const session = live(s);
  if (!session) return fail('invalid', 'start a session first');
  const before = { instructors: session.instructors ?? '', location: session.location ?? '' };
  const after = { instructors: input.instructors, location: input.location };
  if (before.instructors === after.instructors && before.location === after.location)
    return nothing();
  return {
    ok: true,
    traineesChanged: false,
    ops: [
      {
        op: 'sessionDetails',
        sessionId: session.id,
        before,
        after,
        actor: 'instructor',
        at: input.now,
      },
    ],
  };
}

/** The instructor follows one branch of the scenario: the class's choice or one they pick. */
export function follow(s: EngineState, optionId: string, now: number): Outcome {
  const session = live(s);
  const sc = s.scenario;
  if (!session || !sc) return fail('invalid', 'no scenario on this slide');
  if (session.phase === 'question') return fail('invalid', 'close the vote before moving on');
  const node = sc.def.nodes[sc.node];
  const option = node?.options.find((o) => o.id === optionId);
  if (!node || !option)
    return fail('invalid', `no option "${optionId}" at this point of the scenario`);
  const q = scenarioQuestion(sc.def, sc.node);
  const runId = s.run && q && s.run.q.id === q.id ? s.run.runId : null;
  return {
    ok: true,
    traineesChanged: true,
    ops: [
      {
        op: 'scenarioStep',
        sessionId: session.id,
        slideIndex: session.slideIndex,
        scenarioId: sc.def.id,
        playId: sc.playId,
        step: sc.path.length + 1,
        fromNode: sc.node,
        optionId,
        toNode: option.next,
        runId,
        at: now,
      },
    ],
  };
}

/** The option most of the class voted for at the current decision, if a vote was held. */
export function majority(s: EngineState): string | null {
  const sc = s.scenario;
  const r = s.run;
  if (!sc || !r) return null;
  const node = sc.def.nodes[sc.node];
  const counts = new Map<string, number>();
  for (const a of r.answers.values())
    counts.set(a.value as string, (counts.get(a.value as string) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const o of node?.options ?? [])
    if ((counts.get(o.text) ?? 0) > n) [best, n] = [o.id, counts.get(o.text)!];
  return best;
}

export function remainingMs(s: EngineState, now: number): number | null {
  const r = s.run;
  if (!r || r.deadline === null || s.session?.phase !== 'question') return null;
  return Math.max(0, r.deadline - now);
}
