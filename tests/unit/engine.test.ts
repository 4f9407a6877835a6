import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionEngine } from '../../main/session/engine';
import type { Outcome, RecordOp } from '../../main/session/engine';
import type { Deck, Slide } from '../../shared/course';
import { ok } from '../helpers/engine';
import type { QuestionDef } from '../../shared/question';

const slide = (id: string, question: QuestionDef | null = null): Slide => ({ id, line: 1, title: id, html: `<h1>${id}</h1>`, notes: '', question, scenario: null });
const deck: Deck = {
  course: 'c',
  courseTitle: 'Course',
  file: 'd.md',
  title: 'Deck',
  minutes: 10,
  slides: [
    slide('intro'),
    slide('poll', { id: 'q1', type: 'single', prompt: 'Pick', options: ['A', 'B', 'C'], correct: 'B', explanation: 'Because B.' }),
    slide('tf', { id: 'q2', type: 'truefalse', prompt: 'True?', correct: false, timeLimit: 10 }),
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
        { id: 'pre-1', type: 'single', prompt: 'Pick', options: ['A', 'B', 'C'], correct: 'B', explanation: 'Because B.' },
        { id: 'pre-2', type: 'truefalse', prompt: 'True?', correct: true, explanation: 'Because true.' },
      ],
    },
  ],
};


function started(): SessionEngine {
  const e = new SessionEngine();
  ok(e.start({ sessionId: 's1', roomCode: '123456', deck, now: 0 }));
  return e;
}

describe('session engine', () => {
  it('walks lobby → presenting → question → closed → results → ended', () => {
    const e = started();
    expect(e.session!.phase).toBe('lobby');
    ok(e.goto(1));
    expect(e.session!.phase).toBe('presenting');
    ok(e.openQuestion('r1', 10));
    expect(e.session!.phase).toBe('question');
    ok(e.closeQuestion(20));
    expect(e.session!.phase).toBe('closed');
    ok(e.showResults(30));
    expect(e.session!.phase).toBe('results');
    ok(e.end(40));
    expect(e.session!.phase).toBe('ended');
  });

  it('refuses to leave a slide while its question is open', () => {
    const e = started();
    ok(e.goto(1));
    ok(e.openQuestion('r1', 0));
    const r = e.goto(2);
    expect(r.ok).toBe(false);
    expect(e.session!.slideIndex).toBe(1);
  });

  it('the same officer ID joining from a new phone is the same trainee, and the binding is recorded', () => {
    const e = started();
    const a = ok(e.join({ traineeId: 't1', tokenHash: 'h1', name: 'Ana', officerId: '00417', agency: 'PD', roomCode: '123456', now: 1 }));
    const b = ok(e.join({ traineeId: 't2', tokenHash: 'h2', name: 'Ana', officerId: ' 00417 ', agency: 'PD', roomCode: '123456', now: 2 }));
    expect(b.traineeId).toBe(a.traineeId);
    expect(b.rebound).toBe(true);
    expect(b.ops.map((o) => o.op)).toEqual(['device']);
    expect(e.trainees.size).toBe(1);
    // Leading zeros are part of the ID.
    const c = ok(e.join({ traineeId: 't3', tokenHash: 'h3', name: 'Other', officerId: '417', agency: 'PD', roomCode: '123456', now: 3 }));
    expect(c.traineeId).not.toBe(a.traineeId);
  });

  it('a timed question closes itself at its deadline, and a late answer is refused', () => {
    const e = started();
    ok(e.join({ traineeId: 't1', tokenHash: 'h1', name: 'Ana', officerId: '1', agency: 'PD', roomCode: '123456', now: 0 }));
    ok(e.goto(2));
    ok(e.openQuestion('r1', 1000));
    expect(e.remainingMs(4000)).toBe(7000);
    expect(ok(e.tick(5000)).ops).toEqual([]);
    const closed = ok(e.tick(11_000));
    expect(closed.ops).toEqual([{ op: 'runClose', runId: 'r1', at: 11_000 }]);
    const late = e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg001', value: true, now: 11_001 });
    expect(late.ok).toBe(false);
  });

  it('records correctness, never speed', () => {
    const e = started();
    ok(e.join({ traineeId: 't1', tokenHash: 'h1', name: 'A', officerId: '1', agency: 'PD', roomCode: '123456', now: 0 }));
    ok(e.goto(1));
    ok(e.openQuestion('r1', 0));
    const op = ok(e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg001', value: 'B', now: 5 })).ops[0] as Extract<RecordOp, { op: 'answer' }>;
    expect(op.correct).toBe(true);
  });
});

// ------------------------------------------------------------------ properties
type Cmd =
  | { k: 'join'; who: number }
  | { k: 'leave'; who: number }
  | { k: 'goto'; i: number }
  | { k: 'open' }
  | { k: 'close' }
  | { k: 'results' }
  | { k: 'answer'; who: number; msg: number; value: unknown }
  | { k: 'tick'; dt: number }
  | { k: 'end' }
  | { k: 'aopen' }
  | { k: 'aclose' }
  | { k: 'adismiss' }
  | { k: 'aanswer'; who: number; msg: number; q: number; value: unknown }
  | { k: 'asubmit'; who: number; msg: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ k: fc.constant('join' as const), who: fc.nat(5) }),
  fc.record({ k: fc.constant('leave' as const), who: fc.nat(5) }),
  fc.record({ k: fc.constant('goto' as const), i: fc.integer({ min: -1, max: 4 }) }),
  fc.record({ k: fc.constant('open' as const) }),
  fc.record({ k: fc.constant('close' as const) }),
  fc.record({ k: fc.constant('results' as const) }),
  fc.record({
    k: fc.constant('answer' as const),
    who: fc.nat(5),
    msg: fc.nat(6),
    value: fc.oneof(fc.constantFrom('A', 'B', 'C', 'D', true, false, 3), fc.array(fc.string(), { maxLength: 3 })),
  }),
  fc.record({ k: fc.constant('tick' as const), dt: fc.nat(20_000) }),
  fc.record({ k: fc.constant('end' as const) }),
  fc.record({ k: fc.constant('aopen' as const) }),
  fc.record({ k: fc.constant('aclose' as const) }),
  fc.record({ k: fc.constant('adismiss' as const) }),
  fc.record({
    k: fc.constant('aanswer' as const),
    who: fc.nat(5),
    msg: fc.nat(6),
    q: fc.nat(1),
    value: fc.constantFrom('A', 'B', 'C', true, false, 3),
  }),
  fc.record({ k: fc.constant('asubmit' as const), who: fc.nat(5), msg: fc.nat(3) }),
);

describe('session engine properties', () => {
  it('random command sequences never throw, never count an answer twice, never show a correct answer before the reveal', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        const e = started();
        let now = 0;
        let runSeq = 0;
        const stored = new Set<string>();
        const handedIn = new Set<string>();
        for (const c of cmds) {
          now += 1;
          let out: Outcome | null = null;
          switch (c.k) {
            case 'join':
              out = e.join({ traineeId: `t${c.who}`, tokenHash: `h${c.who}-${now}`, name: `N${c.who}`, officerId: `ID${c.who}`, agency: 'PD', roomCode: '123456', now });
              break;
            case 'leave':
              out = e.disconnect(`t${c.who}`, now);
              break;
            case 'goto':
              out = e.goto(c.i);
              break;
            case 'open':
              out = e.openQuestion(`r${runSeq++}`, now);
              break;
            case 'close':
              out = e.closeQuestion(now);
              break;
            case 'results':
              out = e.showResults(now);
              break;
            case 'answer':
              out = e.answer({ traineeId: `t${c.who}`, runId: e.run?.runId ?? 'none', msgId: `msg-${c.who}-${c.msg}`, value: c.value as never, now });
              break;
            case 'tick':
              now += c.dt;
              out = e.tick(now);
              break;
            case 'end':
              out = e.end(now);
              break;
            case 'aopen':
              out = e.openAssessment({ id: `a${runSeq}`, key: 'pretest', runIds: [`ar${runSeq}-0`, `ar${runSeq}-1`], now });
              runSeq++;
              break;
            case 'aclose':
              out = e.closeAssessment(now);
              break;
            case 'adismiss':
              out = e.dismissAssessment();
              break;
            case 'aanswer':
              out = e.answer({ traineeId: `t${c.who}`, runId: e.assessment?.runs[c.q].runId ?? 'none', msgId: `amsg-${c.who}-${c.msg}`, value: c.value as never, now });
              break;
            case 'asubmit':
              out = e.submit({ traineeId: `t${c.who}`, assessmentId: e.assessment?.id ?? 'none', msgId: `sub-${c.who}-${c.msg}`, now });
              break;
          }
          if (out.ok)
            for (const op of out.ops)
              if (op.op === 'answer') {
                const key = `${op.traineeId}/${op.msgId}`;
                expect(stored.has(key), `answer ${key} stored twice`).toBe(false);
                stored.add(key);
                // Nothing is taken after a trainee handed the assessment in.
                if (e.assessment?.byRun.has(op.runId)) expect(handedIn.has(`${e.assessment.id}/${op.traineeId}`)).toBe(false);
              } else if (op.op === 'assessmentSubmit') {
                const key = `${op.assessmentId}/${op.traineeId}`;
                expect(handedIn.has(key), `hand-in ${key} stored twice`).toBe(false);
                handedIn.add(key);
              }
          const view = e.traineeView(now);
          if (!e.run?.revealed) {
            expect(view.reveal).toBeNull();
            expect(JSON.stringify(view)).not.toMatch(/"correct"|"explanation"|Because B/);
          }
          if (e.run) expect(e.results()!.answered).toBeLessThanOrEqual(e.trainees.size);
          // An assessment never shows a phone its answers: there is no reveal for a self-paced test.
          expect(JSON.stringify(view.assessment)).not.toMatch(/"correct"|"explanation"|Because/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('scenarios in the engine', () => {
  const node = (id: string, options: [string, string][], best?: string) => ({
    id,
    situationHtml: `<p>${id}</p>`,
    prompt: options.length ? 'What now?' : null,
    options: options.map(([oid, next]) => ({ id: oid, text: `Do ${oid}`, next, feedback: null })),
    best: best ?? null,
    debriefHtml: '<p>why</p>',
    notes: '',
    end: options.length === 0,
  });
  const scenarioDeck: Deck = {
    ...deck,
    slides: [
      slide('intro'),
      {
        ...slide('scn'),
        scenario: 'scenarios/x.yaml',
        scenarioDef: {
          id: 'x',
          title: 'X',
          start: 'a',
          nodes: { a: node('a', [['wait', 'b'], ['act', 'c']], 'wait'), b: node('b', [['call', 'c'], ['leave', 'd']], 'call'), c: node('c', []), d: node('d', []) },
        },
      },
    ],
  };

  it('puts a decision to a vote, follows a branch, records the path, and stops at an end', () => {
    const e = new SessionEngine();
    ok(e.start({ sessionId: 's', roomCode: '123456', deck: scenarioDeck, now: 0 }));
    for (const i of [1, 2, 3]) ok(e.join({ traineeId: `t${i}`, tokenHash: `h${i}`, name: `N${i}`, officerId: `${i}`, agency: 'PD', roomCode: '123456', now: 0 }));
    ok(e.goto(1, 'play1'));
    expect(e.scenario?.node).toBe('a');
    ok(e.openQuestion('r1', 1));
    expect(e.traineeView(1).question?.q.options).toEqual(['Do wait', 'Do act']);
    ok(e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-1-1', value: 'Do act', now: 2 }));
    ok(e.answer({ traineeId: 't2', runId: 'r1', msgId: 'msg-2-1', value: 'Do act', now: 2 }));
    ok(e.answer({ traineeId: 't3', runId: 'r1', msgId: 'msg-3-1', value: 'Do wait', now: 2 }));
    expect(e.follow('wait', 3).ok).toBe(false); // the vote is still open
    ok(e.closeQuestion(3));
    expect(e.majority()).toBe('act');
    const step = ok(e.follow('wait', 4)).ops[0];
    expect(step).toMatchObject({ op: 'scenarioStep', playId: 'play1', step: 1, fromNode: 'a', optionId: 'wait', toNode: 'b', runId: 'r1' });
    expect(e.traineeView(4).question).toBeNull();
    expect(ok(e.follow('leave', 5)).ops[0]).toMatchObject({ step: 2, fromNode: 'b', toNode: 'd', runId: null });
    expect(e.scenario?.node).toBe('d');
    expect(e.openQuestion('r2', 6).ok).toBe(false); // an end has nothing to vote on
    expect(e.follow('call', 6).ok).toBe(false);
  });

  it('a scenario vote is never graded', () => {
    const e = new SessionEngine();
    ok(e.start({ sessionId: 's', roomCode: '123456', deck: scenarioDeck, now: 0 }));
    ok(e.join({ traineeId: 't1', tokenHash: 'h1', name: 'N', officerId: '1', agency: 'PD', roomCode: '123456', now: 0 }));
    ok(e.goto(1));
    ok(e.openQuestion('r1', 1));
    const op = ok(e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-1-1', value: 'Do wait', now: 2 })).ops[0] as Extract<RecordOp, { op: 'answer' }>;
    expect(op.correct).toBeNull();
  });
});
