import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionEngine } from '../../main/session/engine';
import type { Outcome, RecordOp } from '../../main/session/engine';
import type { Deck, Slide } from '../../shared/course';
import { ALL_CONNECTED, PLAIN, commit, dump, engineFor, ok } from '../helpers/engine';
import { Records } from '../../main/records/db';
import { recordOps } from '../../main/session/ops';
import type { QuestionDef } from '../../shared/question';

const slide = (id: string, question: QuestionDef | null = null): Slide => ({
  id,
  line: 1,
  title: id,
  html: `<h1>${id}</h1>`,
  notes: '',
  question,
  scenario: null,
});
/** A graded ranking is authored in its right order: that order is its answer key. */
const RANK = ['W', 'X', 'Y', 'Z'];
const deck: Deck = {
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

function started(): SessionEngine {
  const e = engineFor(deck);
  commit(e, e.start({ sessionId: 's1', roomCode: '123456', deck, now: 0 }));
  return e;
}

describe('session engine', () => {
  it('walks lobby → presenting → question → closed → results → ended', () => {
    const e = started();
    expect(e.session!.phase).toBe('lobby');
    commit(e, e.goto(1, 0));
    expect(e.session!.phase).toBe('presenting');
    commit(e, e.openQuestion('r1', 10));
    expect(e.session!.phase).toBe('question');
    commit(e, e.closeQuestion(20));
    expect(e.session!.phase).toBe('closed');
    commit(e, e.showResults(30));
    expect(e.session!.phase).toBe('results');
    commit(e, e.end(40));
    expect(e.session!.phase).toBe('ended');
  });

  it('refuses to leave a slide while its question is open', () => {
    const e = started();
    commit(e, e.goto(1, 0));
    commit(e, e.openQuestion('r1', 0));
    const r = e.goto(2, 0);
    expect(r.ok).toBe(false);
    expect(e.session!.slideIndex).toBe(1);
  });

  it('an officer ID already in the class is not joined again: it is a claim, and a rebind replaces the phone', () => {
    const e = started();
    const a = commit(
      e,
      e.join({
        traineeId: 't1',
        tokenHash: 'h1',
        name: 'Ana',
        officerId: '00417',
        agency: 'PD',
        roomCode: '123456',
        now: 1,
      }),
    );
    // Case, spaces, full-width digits and zero-width characters do not make another officer.
    for (const id of [' 00417 ', '\uff10\uff10\uff14\uff11\uff17', '004\u200b17'])
      expect(
        e.join({
          traineeId: 't2',
          tokenHash: 'h2',
          name: 'Ana',
          officerId: id,
          agency: 'PD',
          roomCode: '123456',
          now: 2,
        }),
      ).toMatchObject({ ok: false });
    expect(e.officerHolder('００４１７')).toBe(a.traineeId);
    const r = commit(
      e,
      e.rebind({
        traineeId: 't1',
        tokenHash: 'h2',
        connected: true,
        reason: 'checked her ID card',
        actor: 'instructor',
        now: 3,
      }),
    );
    expect(r.ops).toEqual([
      {
        op: 'rebind',
        sessionId: 's1',
        traineeId: 't1',
        tokenHash: 'h2',
        revoked: ['h1'],
        before: { phones: 1, connected: true },
        after: { phones: 1, name: 'Ana', officerId: '00417' },
        reason: 'checked her ID card',
        actor: 'instructor',
        at: 3,
      },
    ]);
    expect(e.tokenOwner('h1')).toBeUndefined();
    expect(e.tokenOwner('h2')).toBe('t1');
    expect(e.trainees.size).toBe(1);
    expect(
      e.rebind({
        traineeId: 't1',
        tokenHash: 'h3',
        connected: false,
        reason: ' ',
        actor: 'instructor',
        now: 4,
      }),
    ).toMatchObject({ ok: false, message: /reason/ });
    // Leading zeros are part of the ID.
    const c = commit(
      e,
      e.join({
        traineeId: 't3',
        tokenHash: 'h3',
        name: 'Other',
        officerId: '417',
        agency: 'PD',
        roomCode: '123456',
        now: 3,
      }),
    );
    expect(c.traineeId).not.toBe(a.traineeId);
  });

  it('a decision changes nothing in memory until it is applied', () => {
    const e = started();
    commit(
      e,
      e.join({
        traineeId: 't1',
        tokenHash: 'h1',
        name: 'Ana',
        officerId: '1',
        agency: 'PD',
        roomCode: '123456',
        now: 1,
      }),
    );
    commit(e, e.goto(1, 0));
    const before = dump(e);
    const open = ok(e.openQuestion('r1', 2));
    expect(dump(e)).toBe(before);
    expect(e.session!.phase).toBe('presenting');
    e.apply(open.ops);
    expect(e.session!.phase).toBe('question');
    const mid = dump(e);
    ok(e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-001', value: 'B', now: 3 }));
    ok(e.end(4));
    expect(dump(e)).toBe(mid);
    expect(e.run!.answers.size).toBe(0);
  });

  it('a timed question closes itself at its deadline, and a late answer is refused', () => {
    const e = started();
    commit(
      e,
      e.join({
        traineeId: 't1',
        tokenHash: 'h1',
        name: 'Ana',
        officerId: '1',
        agency: 'PD',
        roomCode: '123456',
        now: 0,
      }),
    );
    commit(e, e.goto(2, 0));
    commit(e, e.openQuestion('r1', 1000));
    expect(e.remainingMs(4000)).toBe(7000);
    expect(commit(e, e.tick(5000)).ops).toEqual([]);
    const closed = commit(e, e.tick(11_000));
    expect(closed.ops).toEqual([{ op: 'runClose', runId: 'r1', at: 11_000 }]);
    const late = e.answer({
      traineeId: 't1',
      runId: 'r1',
      msgId: 'msg001',
      value: true,
      now: 11_001,
    });
    expect(late.ok).toBe(false);
  });

  it('records correctness, never speed', () => {
    const e = started();
    commit(
      e,
      e.join({
        traineeId: 't1',
        tokenHash: 'h1',
        name: 'A',
        officerId: '1',
        agency: 'PD',
        roomCode: '123456',
        now: 0,
      }),
    );
    commit(e, e.goto(1, 0));
    commit(e, e.openQuestion('r1', 0));
    const op = commit(
      e,
      e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg001', value: 'B', now: 5 }),
    ).ops[0] as Extract<RecordOp, { op: 'answer' }>;
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
  { arbitrary: fc.record({ k: fc.constant('join' as const), who: fc.nat(5) }), weight: 3 },
  fc.record({ k: fc.constant('leave' as const), who: fc.nat(5) }),
  {
    arbitrary: fc.record({ k: fc.constant('goto' as const), i: fc.integer({ min: -1, max: 5 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant('open' as const) }), weight: 2 },
  fc.record({ k: fc.constant('close' as const) }),
  fc.record({ k: fc.constant('results' as const) }),
  {
    arbitrary: fc.record({
      k: fc.constant('answer' as const),
      who: fc.nat(5),
      msg: fc.nat(6),
      value: fc.oneof(
        fc.constantFrom('A', 'B', 'C', 'D', true, false, 3, RANK),
        fc.array(fc.string(), { maxLength: 3 }),
      ),
    }),
    weight: 5,
  },
  fc.record({ k: fc.constant('tick' as const), dt: fc.nat(20_000) }),
  fc.record({ k: fc.constant('end' as const) }),
  fc.record({ k: fc.constant('aopen' as const) }),
  fc.record({ k: fc.constant('aclose' as const) }),
  fc.record({ k: fc.constant('adismiss' as const) }),
  {
    arbitrary: fc.record({
      k: fc.constant('aanswer' as const),
      who: fc.nat(5),
      msg: fc.nat(6),
      q: fc.nat(1),
      value: fc.constantFrom('A', 'B', 'C', true, false, 3),
    }),
    weight: 3,
  },
  fc.record({ k: fc.constant('asubmit' as const), who: fc.nat(5), msg: fc.nat(3) }),
);

describe('session engine properties', () => {
  it('random command sequences never throw, never count an answer twice, never show a correct answer before the reveal; a decision changes nothing, a failed commit changes nothing, and the records restore what memory holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cmd, fc.boolean(), fc.nat(9)), {
          minLength: 10,
          maxLength: 120,
          size: 'large',
        }),
        (steps) => {
          // Real SQLite records (in memory): every committed batch is written there first, as in the classroom.
          const records = new Records(':memory:');
          const e = engineFor(deck);
          const begin = ok(e.start({ sessionId: 's1', roomCode: '123456', deck, now: 0 }));
          records.apply(recordOps(begin.ops));
          e.apply(begin.ops);
          let now = 0;
          let runSeq = 0;
          const stored = new Set<string>();
          const handedIn = new Set<string>();
          for (const [c, , failRoll] of steps) {
            now += 1;
            const before = dump(e);
            let out: Outcome | null = null;
            switch (c.k) {
              case 'join':
                out = e.join({
                  traineeId: `t${c.who}`,
                  tokenHash: `h${c.who}-${now}`,
                  name: `N${c.who}`,
                  officerId: `ID${c.who}`,
                  agency: 'PD',
                  roomCode: '123456',
                  now,
                });
                break;
              case 'leave':
                out = e.resume({ tokenHash: `h${c.who}-${now - 1}` });
                break;
              case 'goto':
                out = e.goto(c.i, now);
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
                out = e.answer({
                  traineeId: `t${c.who}`,
                  runId: e.run?.runId ?? 'none',
                  msgId: `msg-${c.who}-${c.msg}`,
                  value: c.value as never,
                  now,
                });
                break;
              case 'tick':
                now += c.dt;
                out = e.tick(now);
                break;
              case 'end':
                out = e.end(now);
                break;
              case 'aopen':
                out = e.openAssessment({
                  id: `a${runSeq}`,
                  key: 'pretest',
                  runIds: [`ar${runSeq}-0`, `ar${runSeq}-1`],
                  now,
                });
                runSeq++;
                break;
              case 'aclose':
                out = e.closeAssessment(now);
                break;
              case 'adismiss':
                out = e.dismissAssessment();
                break;
              case 'aanswer':
                out = e.answer({
                  traineeId: `t${c.who}`,
                  runId: e.assessment?.runs[c.q].runId ?? 'none',
                  msgId: `amsg-${c.who}-${c.msg}`,
                  value: c.value as never,
                  now,
                });
                break;
              case 'asubmit':
                out = e.submit({
                  traineeId: `t${c.who}`,
                  assessmentId: e.assessment?.id ?? 'none',
                  msgId: `sub-${c.who}-${c.msg}`,
                  now,
                });
                break;
            }
            // Deciding never touches memory.
            expect(dump(e), `${c.k} changed memory while deciding`).toBe(before);
            // One commit in ten fails (a full disk): nothing is applied, memory is as it was.
            const commitFails = failRoll === 0;
            if (out.ok && !commitFails) {
              records.apply(recordOps(out.ops));
              e.apply(out.ops);
            } else expect(dump(e)).toBe(before);
            if (out.ok && !commitFails)
              for (const op of out.ops)
                if (op.op === 'answer') {
                  const key = `${op.traineeId}/${op.msgId}`;
                  expect(stored.has(key), `answer ${key} stored twice`).toBe(false);
                  stored.add(key);
                  // Nothing is taken after a trainee handed the assessment in.
                  if (e.assessment?.byRun.has(op.runId))
                    expect(handedIn.has(`${e.assessment.id}/${op.traineeId}`)).toBe(false);
                } else if (op.op === 'assessmentSubmit') {
                  const key = `${op.assessmentId}/${op.traineeId}`;
                  expect(handedIn.has(key), `hand-in ${key} stored twice`).toBe(false);
                  handedIn.add(key);
                }
            const view = e.traineeView(now, PLAIN);
            if (!e.run?.revealed) {
              expect(view.reveal).toBeNull();
              expect(JSON.stringify(view)).not.toMatch(/"correct"|"explanation"|Because B/);
              // A ranking's key is its authored order: never what a phone, or the projector, is given.
              if (view.question?.q.type === 'ranking')
                expect(view.question.q.options).not.toEqual(RANK);
            }
            expect(e.slideView(3)!.question!.options).not.toEqual(RANK);
            if (e.run) expect(e.results(PLAIN)!.answered).toBeLessThanOrEqual(e.trainees.size);
            // An assessment never shows a phone its answers: there is no reveal for a self-paced test.
            expect(JSON.stringify(view.assessment)).not.toMatch(/"correct"|"explanation"|Because/);
          }
          // After a restart the records give back what memory held (restore is the same apply, replayed).
          const row = records.unfinishedSession();
          if (row) {
            const r = engineFor(deck);
            r.restore(records.snapshot(row, deck));
            const seen = (x: typeof e) => {
              const v = x.traineeView(now, PLAIN);
              const a = x.assessment && x.assessment.closedAt === null ? v.assessment : null;
              return {
                phase: v.phase === 'lobby' ? 'presenting' : v.phase,
                slide: x.session!.slideIndex,
                question: v.question,
                reveal: v.reveal,
                assessment: a,
                submitted: a ? [...x.assessment!.submitted.keys()].sort() : [],
                results: x.results(PLAIN),
                trainees: x.traineeRows(ALL_CONNECTED),
              };
            };
            expect(seen(r)).toEqual(seen(e));
          }
          records.close();
        },
      ),
      { numRuns: 300, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
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
          nodes: {
            a: node(
              'a',
              [
                ['wait', 'b'],
                ['act', 'c'],
              ],
              'wait',
            ),
            b: node(
              'b',
              [
                ['call', 'c'],
                ['leave', 'd'],
              ],
              'call',
            ),
            c: node('c', []),
            d: node('d', []),
          },
        },
      },
    ],
  };

  it('puts a decision to a vote, follows a branch, records the path, and stops at an end', () => {
    const e = engineFor(scenarioDeck);
    commit(e, e.start({ sessionId: 's', roomCode: '123456', deck: scenarioDeck, now: 0 }));
    for (const i of [1, 2, 3])
      commit(
        e,
        e.join({
          traineeId: `t${i}`,
          tokenHash: `h${i}`,
          name: `N${i}`,
          officerId: `${i}`,
          agency: 'PD',
          roomCode: '123456',
          now: 0,
        }),
      );
    commit(e, e.goto(1, 0, 'play1'));
    expect(e.scenario?.node).toBe('a');
    commit(e, e.openQuestion('r1', 1));
    expect(e.traineeView(1, PLAIN).question?.q.options).toEqual(['Do wait', 'Do act']);
    commit(
      e,
      e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-1-1', value: 'Do act', now: 2 }),
    );
    commit(
      e,
      e.answer({ traineeId: 't2', runId: 'r1', msgId: 'msg-2-1', value: 'Do act', now: 2 }),
    );
    commit(
      e,
      e.answer({ traineeId: 't3', runId: 'r1', msgId: 'msg-3-1', value: 'Do wait', now: 2 }),
    );
    expect(e.follow('wait', 3).ok).toBe(false); // the vote is still open
    commit(e, e.closeQuestion(3));
    expect(e.majority()).toBe('act');
    const step = commit(e, e.follow('wait', 4)).ops[0];
    expect(step).toMatchObject({
      op: 'scenarioStep',
      playId: 'play1',
      step: 1,
      fromNode: 'a',
      optionId: 'wait',
      toNode: 'b',
      runId: 'r1',
    });
    expect(e.traineeView(4, PLAIN).question).toBeNull();
    expect(commit(e, e.follow('leave', 5)).ops[0]).toMatchObject({
      step: 2,
      fromNode: 'b',
      toNode: 'd',
      runId: null,
    });
    expect(e.scenario?.node).toBe('d');
    expect(e.openQuestion('r2', 6).ok).toBe(false); // an end has nothing to vote on
    expect(e.follow('call', 6).ok).toBe(false);
  });

  it('a scenario vote is never graded', () => {
    const e = engineFor(scenarioDeck);
    commit(e, e.start({ sessionId: 's', roomCode: '123456', deck: scenarioDeck, now: 0 }));
    commit(
      e,
      e.join({
        traineeId: 't1',
        tokenHash: 'h1',
        name: 'N',
        officerId: '1',
        agency: 'PD',
        roomCode: '123456',
        now: 0,
      }),
    );
    commit(e, e.goto(1, 0));
    commit(e, e.openQuestion('r1', 1));
    const op = commit(
      e,
      e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-1-1', value: 'Do wait', now: 2 }),
    ).ops[0] as Extract<RecordOp, { op: 'answer' }>;
    expect(op.correct).toBeNull();
  });
});
