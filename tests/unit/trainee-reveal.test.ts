// What the reveal means to this phone (renderer/trainee/answer-view.ts): its verdict on its own
// answer, numbers within a tolerance, rankings by their whole order, and a ranking shown in its own
// order.
import { describe, expect, it } from 'vitest';
import { myAnswer, outcome, rankingOrder } from '../../renderer/trainee/answer-view';
import type { TraineeView } from '../../shared/protocol';
import { answer, online, run, server, view, welcome } from '../helpers/trainee-phone';

describe('what the reveal means to this phone', () => {
  const revealed = (over: Partial<TraineeView> = {}) =>
    view({
      phase: 'results',
      question: {
        runId: 'r1',
        q: { id: 'q', type: 'single', prompt: 'P', options: ['A', 'B'] },
        open: false,
        remainingMs: null,
      },
      reveal: { correct: ['B'], explanation: 'Because B.' },
      ...over,
    });
  const ack = (id: string) => server({ t: 'ack', id, of: 'answer', runId: 'r1' });

  it('nothing before the reveal; then "correct", "not-quite" or "unanswered" by the key, with the right answer and why', () => {
    let s = run(online(), answer('a-1', 'r1', 'B'), ack('a-1')).s;
    expect(myAnswer(s.ui)).toBe('B');
    expect(outcome(s.ui)).toBeNull();
    s = run(s, server(revealed())).s;
    expect(outcome(s.ui)).toEqual({
      verdict: 'correct',
      correct: ['B'],
      explanation: 'Because B.',
    });
    const wrong = run(online(), answer('a-2', 'r1', 'A'), ack('a-2'), server(revealed())).s;
    expect(outcome(wrong.ui)?.verdict).toBe('not-quite');
    // An answer still waiting to be sent is this phone's answer too (it was given in time).
    const waiting = run(online(), { on: 'down' }, answer('a-3', 'r1', 'B'), server(revealed())).s;
    expect(outcome(waiting.ui)?.verdict).toBe('correct');
    expect(outcome(run(online(), server(revealed())).s.ui)?.verdict).toBe('unanswered');
  });

  it('judges a number within the tolerance the reveal gives, a ranking by its whole order, and says nothing is right in a poll', () => {
    const numeric = (value: number) =>
      run(
        online(),
        server(
          view({
            question: {
              runId: 'r1',
              q: { id: 'n', type: 'numeric', prompt: 'How many?' },
              open: true,
              remainingMs: null,
            },
          }),
        ),
        { on: 'give', item: { kind: 'answer', id: `n-${value}`, runId: 'r1', value } },
        ack(`n-${value}`),
        server(
          view({
            phase: 'results',
            question: {
              runId: 'r1',
              q: { id: 'n', type: 'numeric', prompt: 'How many?' },
              open: false,
              remainingMs: null,
            },
            reveal: { correct: ['15'], explanation: null, tolerance: 1 },
          }),
        ),
      ).s.ui;
    expect(outcome(numeric(14))?.verdict).toBe('correct');
    expect(outcome(numeric(13.5))?.verdict).toBe('not-quite');
    const rq = { id: 'k', type: 'ranking' as const, prompt: 'Order', options: ['Z', 'X', 'Y'] };
    const ranked = (value: string[]) =>
      run(
        online(),
        server(view({ question: { runId: 'r1', q: rq, open: true, remainingMs: null } })),
        { on: 'give', item: { kind: 'answer', id: 'k-1', runId: 'r1', value } },
        ack('k-1'),
        server(
          view({
            phase: 'results',
            question: { runId: 'r1', q: rq, open: false, remainingMs: null },
            reveal: { correct: ['X', 'Y', 'Z'], explanation: null },
          }),
        ),
      ).s.ui;
    expect(outcome(ranked(['X', 'Y', 'Z']))?.verdict).toBe('correct');
    expect(outcome(ranked(['Y', 'X', 'Z']))?.verdict).toBe('not-quite');
    expect(
      outcome(
        run(
          online(),
          answer('p-1'),
          ack('p-1'),
          server(revealed({ reveal: { correct: null, explanation: null } })),
        ).s.ui,
      ),
    ).toEqual({ verdict: null, correct: null, explanation: null });
  });

  it('shows a ranking in this phone’s own order: the same after a reload, another on the next phone', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const mine = rankingOrder({ joined: welcome.trainee }, 'r1', items);
    expect([...mine].sort()).toEqual(items);
    expect(rankingOrder({ joined: { ...welcome.trainee } }, 'r1', items)).toEqual(mine);
    const others = new Set(
      Array.from({ length: 20 }, (_, i) =>
        rankingOrder({ joined: { ...welcome.trainee, id: `t${i + 2}` } }, 'r1', items).join(''),
      ),
    );
    expect(others.size).toBeGreaterThan(10);
    // The same phone, the next question: another order.
    expect(rankingOrder({ joined: welcome.trainee }, 'r2', items)).not.toEqual(mine);
  });
});
