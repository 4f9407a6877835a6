import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GAME_RULES,
  Game,
  answerPoints,
  countsForGame,
  gameTotals,
  speedFraction,
  standings,
  streakBonus,
} from '../../main/session/game';
import type { GameRun } from '../../main/session/game';
import { scenarioQuestion } from '../../main/session/engine';
import { cleanNickname, TraineeMessage } from '../../shared/protocol';
import { score } from '../../shared/question';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const TF: QuestionDef = { id: 'tf', type: 'truefalse', prompt: 'True?', correct: true };
const SINGLE: QuestionDef = {
  id: 'one',
  type: 'single',
  prompt: 'Which?',
  options: ['A', 'B', 'C'],
  correct: 'B',
};
const MULTI: QuestionDef = {
  id: 'multi',
  type: 'multi',
  prompt: 'Which ones?',
  options: ['A', 'B', 'C', 'D'],
  correct: ['A', 'B'],
  scoring: 'partial',
};
const POLL: QuestionDef = {
  id: 'poll',
  type: 'single',
  prompt: 'Shift?',
  options: ['Days', 'Nights'],
};
const RATING: QuestionDef = {
  id: 'rate',
  type: 'rating',
  prompt: 'How useful?',
  scale: { min: 1, max: 5 },
};

const run = (
  q: QuestionDef,
  answers: [string, AnswerValue, number][],
  opts: { openedAt?: number; deadline?: number | null; runId?: string } = {},
): GameRun => ({
  runId: opts.runId ?? `r-${q.id}-${opts.openedAt ?? 0}`,
  q,
  openedAt: opts.openedAt ?? 0,
  deadline: opts.deadline ?? null,
  answers: answers.map(([traineeId, value, at]) => ({ traineeId, value, at })),
});

describe('game scoring rule', () => {
  it('speed: full in the first half second, falling to 0 at the time limit (or 20 s when untimed)', () => {
    const timed = { openedAt: 1000, deadline: 1000 + 30_500 };
    expect(speedFraction(timed, 1000)).toBe(1);
    expect(speedFraction(timed, 1500)).toBe(1);
    expect(speedFraction(timed, 1000 + 15_500)).toBeCloseTo(0.5);
    expect(speedFraction(timed, timed.deadline)).toBe(0);
    expect(speedFraction(timed, timed.deadline + 5000)).toBe(0);
    const untimed = { openedAt: 0, deadline: null };
    expect(speedFraction(untimed, 10_250)).toBeCloseTo(0.5);
    expect(speedFraction(untimed, 20_000)).toBe(0);
    expect(speedFraction(untimed, 600_000)).toBe(0);
    // A clock oddity (an answer stamped before the opening) earns no more than an instant answer.
    expect(speedFraction(untimed, -5000)).toBe(1);
  });

  it('a correct answer earns 500 plus up to 500 for speed; a wrong one earns 0; partial credit scales both', () => {
    const r = run(TF, [], { deadline: 20_500 });
    expect(answerPoints(r, { value: true, at: 100 }, 0)).toEqual({
      points: 1000,
      credit: 1,
      streak: 1,
    });
    expect(answerPoints(r, { value: true, at: 20_500 }, 0).points).toBe(500);
    expect(answerPoints(r, { value: true, at: 10_500 }, 0).points).toBe(750);
    expect(answerPoints(r, { value: false, at: 100 }, 4)).toEqual({
      points: 0,
      credit: 0,
      streak: 0,
    });
    expect(answerPoints(r, undefined, 4)).toEqual({ points: 0, credit: 0, streak: 0 });
    const m = run(MULTI, []);
    // One right pick of two, no wrong picks: half credit, and no streak.
    expect(answerPoints(m, { value: ['A'], at: 0 }, 3)).toEqual({
      points: 500,
      credit: 0.5,
      streak: 0,
    });
    expect(answerPoints(m, { value: ['A', 'C'], at: 0 }, 3)).toEqual({
      points: 0,
      credit: 0,
      streak: 0,
    });
    expect(answerPoints(m, { value: ['A', 'B'], at: 0 }, 3)).toEqual({
      points: 1000 + 300,
      credit: 1,
      streak: 4,
    });
  });

  it('streaks add 100 per step from the second correct answer, capped at 500; a wrong or missing answer ends them', () => {
    expect([1, 2, 3, 6, 7, 50].map(streakBonus)).toEqual([0, 100, 200, 500, 500, 500]);
    const runs = [0, 1, 2, 3, 4, 5, 6].map((i) =>
      run(
        SINGLE,
        [
          ['ana', 'B', i * 100_000],
          ...(i === 3 ? [] : ([['ben', 'B', i * 100_000]] as [string, AnswerValue, number][])),
        ],
        { openedAt: i * 100_000 },
      ),
    );
    const t = gameTotals(runs);
    // Ana: 7 in a row, instant: 1000 + 1100 + 1200 + 1300 + 1400 + 1500 + 1500.
    expect(t.get('ana')).toEqual({ points: 9000, streak: 7, last: 1500 });
    // Ben missed question 4: 1000 + 1100 + 1200, then 0, then 1000 + 1100 + 1200.
    expect(t.get('ben')).toEqual({ points: 6600, streak: 3, last: 1200 });
  });

  it('counts graded live questions only: not polls, ratings, scenario votes or assessments', () => {
    const scenario = scenarioQuestion(
      {
        id: 's',
        title: 'S',
        start: 'a',
        nodes: {
          a: {
            id: 'a',
            situationHtml: '',
            prompt: 'Go?',
            options: [
              { id: 'x', text: 'X', next: 'b' },
              { id: 'y', text: 'Y', next: 'b' },
            ],
            best: 'x',
            end: false,
            debriefHtml: null,
            notesHtml: null,
          },
          b: {
            id: 'b',
            situationHtml: '',
            prompt: null,
            options: [],
            best: null,
            end: true,
            debriefHtml: null,
            notesHtml: null,
          },
        },
      } as never,
      'a',
    )!;
    expect(countsForGame(TF, false)).toBe(true);
    expect(countsForGame(TF, true)).toBe(false);
    expect(countsForGame(POLL, false)).toBe(false);
    expect(countsForGame(RATING, false)).toBe(false);
    expect(countsForGame(scenario, false)).toBe(false);
    const t = gameTotals([
      run(POLL, [['ana', 'Days', 0]]),
      run(RATING, [['ana', 5, 0]]),
      run(scenario, [['ana', 'X', 0]]),
    ]);
    expect(t.get('ana')).toBeUndefined();
  });

  it('the order the runs are given in does not matter: streaks follow the opening order', () => {
    const runs = [0, 1, 2].map((i) =>
      run(TF, [['ana', i !== 1, i * 60_000 + 5000]], { openedAt: i * 60_000 }),
    );
    expect(gameTotals(runs)).toEqual(gameTotals([...runs].reverse()));
  });

  it('standings: most points first, ties share a rank, everyone listed', () => {
    const totals = new Map([
      ['a', { points: 900, streak: 1, last: 900 }],
      ['b', { points: 1200, streak: 2, last: 600 }],
      ['c', { points: 900, streak: 0, last: 0 }],
    ]);
    const rows = standings(totals, [
      { id: 'a', nickname: 'Zulu' },
      { id: 'b', nickname: 'Echo' },
      { id: 'c', nickname: 'Alpha' },
      { id: 'd', nickname: 'Unit 4' },
    ]);
    expect(rows.map((r) => [r.nickname, r.points, r.rank])).toEqual([
      ['Echo', 1200, 1],
      ['Alpha', 900, 2],
      ['Zulu', 900, 2],
      ['Unit 4', 0, 4],
    ]);
  });
});

describe('nicknames', () => {
  it('are cleaned of control, format and direction characters', () => {
    expect(cleanNickname('  Night\u0000 \u202eOwl\u200b\t\n ')).toBe('Night Owl');
    expect(cleanNickname('\u0007\u0008')).toBe('');
  });

  it('the wire schema refuses long ones with a clear message and strips control characters', () => {
    const ok = TraineeMessage.safeParse({
      t: 'nickname',
      id: 'abcdef12',
      nickname: ' Night\u0001Owl ',
    });
    expect(ok.success && ok.data.t === 'nickname' && ok.data.nickname).toBe('NightOwl');
    const long = TraineeMessage.safeParse({
      t: 'nickname',
      id: 'abcdef12',
      nickname: 'x'.repeat(25),
    });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0].message).toMatch(/at most 24/);
    expect(
      TraineeMessage.safeParse({ t: 'nickname', id: 'abcdef12', nickname: 'A', extra: 1 }).success,
    ).toBe(false);
  });

  it('default to "Unit <n>", must be unique, and cannot take the form of a default', () => {
    const g = new Game();
    g.reset('s1');
    const ids = ['a', 'b', 'c'];
    expect(g.nicknameOf('b', 2)).toBe('Unit 2');
    expect(g.setNickname('a', 'Night Owl', ids)).toEqual({ ok: true, nickname: 'Night Owl' });
    const v = g.version;
    expect(g.setNickname('b', 'night  owl', ids)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/taken/),
    });
    expect(g.setNickname('b', 'Unit 3', ids)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/automatically/),
    });
    expect(g.setNickname('b', 'y'.repeat(30), ids)).toMatchObject({ ok: false });
    expect(g.version).toBe(v); // refused: nothing changed
    expect(g.setNickname('a', 'Night Owl', ids).ok).toBe(true); // one's own nickname again is fine
    expect(g.setNickname('a', '', ids)).toEqual({ ok: true, nickname: 'Unit 1' });
    expect(g.setNickname('c', 'Unit 3', ids)).toEqual({ ok: true, nickname: 'Unit 3' }); // one's own default
    expect(
      g
        .standings(ids)
        .map((r) => r.nickname)
        .sort(),
    ).toEqual(['Unit 1', 'Unit 2', 'Unit 3']);
  });

  it('a run revealed twice counts once', () => {
    const g = new Game();
    g.reset('s1');
    const r = run(TF, [['a', true, 0]]);
    expect(g.addRun(r)).toBe(true);
    g.addRun(r);
    expect(g.totals().get('a')!.points).toBe(1000);
    expect(g.addRun(run(POLL, [['a', 'Days', 0]], { runId: 'poll' }))).toBe(false);
    expect(g.counted()).toBe(1);
  });
});

// ---------------------------------------------------------------- properties
const QUESTIONS: QuestionDef[] = [
  TF,
  SINGLE,
  MULTI,
  POLL,
  RATING,
  { id: 'num', type: 'numeric', prompt: 'How many?', correct: 42, tolerance: 1 },
];
const valueFor = (q: QuestionDef): fc.Arbitrary<AnswerValue> => {
  switch (q.type) {
    case 'truefalse':
      return fc.boolean();
    case 'single':
      return fc.constantFrom(...q.options);
    case 'multi':
      return fc.subarray(q.options, { minLength: 1 });
    case 'numeric':
      return fc.integer({ min: 38, max: 46 });
    case 'rating':
      return fc.integer({ min: 1, max: 5 });
    default:
      return fc.constant('x');
  }
};
const arbRun = (i: number): fc.Arbitrary<GameRun> =>
  fc.constantFrom(...QUESTIONS).chain((q) =>
    fc.record({
      runId: fc.constant(`run${i}`),
      q: fc.constant(q),
      openedAt: fc.constant(i * 1_000_000),
      deadline: fc.option(
        fc.integer({ min: 5_000, max: 120_000 }).map((d) => i * 1_000_000 + d),
        { nil: null },
      ),
      answers: fc.uniqueArray(
        fc.record({
          traineeId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
          value: valueFor(q),
          at: fc.integer({ min: -1000, max: 200_000 }).map((t) => i * 1_000_000 + t),
        }),
        { selector: (a) => a.traineeId, maxLength: 5 },
      ),
    }),
  );
const arbRuns = fc
  .integer({ min: 0, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbRun(i))));
const MAX_PER_RUN = GAME_RULES.base + GAME_RULES.speed + GAME_RULES.streakCap;

describe('game properties', () => {
  it('points are never negative or above the maximum; a wrong answer earns 0; the record score never changes', () => {
    fc.assert(
      fc.property(arbRuns, (runs) => {
        const before = structuredClone(runs);
        const recordScores = runs.map((r) => r.answers.map((a) => score(r.q, a.value)));
        const totals = gameTotals(runs);
        // Nothing the game reads is changed, so the record score (correctness only) is what it was.
        expect(runs).toEqual(before);
        expect(runs.map((r) => r.answers.map((a) => score(r.q, a.value)))).toEqual(recordScores);
        for (const t of totals.values()) {
          expect(Number.isInteger(t.points)).toBe(true);
          expect(t.points).toBeGreaterThanOrEqual(0);
          expect(t.points).toBeLessThanOrEqual(runs.length * MAX_PER_RUN);
        }
        for (const r of runs)
          for (const a of r.answers) {
            const p = answerPoints(r, a, 3);
            expect(p.points).toBeGreaterThanOrEqual(0);
            const s = score(r.q, a.value);
            if (!countsForGame(r.q, false) || !s) expect(p.points).toBe(0);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('of two correct answers, the earlier never earns fewer points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.option(fc.integer({ min: 5_000, max: 120_000 }), { nil: null }),
        fc.nat(10),
        (t1, t2, deadline, streak) => {
          const r = run(SINGLE, [], { deadline });
          const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
          expect(answerPoints(r, { value: 'B', at: early }, streak).points).toBeGreaterThanOrEqual(
            answerPoints(r, { value: 'B', at: late }, streak).points,
          );
          expect(answerPoints(r, { value: 'B', at: late }, streak).points).toBeGreaterThanOrEqual(
            GAME_RULES.base,
          );
        },
      ),
    );
  });

  it('totals with and without the game turned on in between are the same: they come from the answers alone', () => {
    fc.assert(
      fc.property(arbRuns, (runs) => {
        const g = new Game();
        g.reset('s');
        for (const r of runs) g.addRun(r);
        const incremental = g.totals();
        const again = new Game();
        again.reset('s');
        again.setRuns(runs);
        expect(again.totals()).toEqual(incremental);
      }),
      { numRuns: 100 },
    );
  });
});
