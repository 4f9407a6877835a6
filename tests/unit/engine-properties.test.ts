// The session engine under random command sequences (fast-check), against real SQLite records: the
// rules that must hold whatever the instructor and the phones do, in whatever order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../main/session/engine';
import { ALL_CONNECTED, PLAIN, dump, engineFor, ok } from '../helpers/engine';
import { RANK, deck } from '../helpers/engine-deck';
import { Records } from '../../main/records/db';
import { recordOps } from '../../main/session/ops';

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
