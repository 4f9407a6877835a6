// Role-play scenarios in the session engine: a vote on each decision, the branch followed, the
// path recorded, never graded.
import { describe, expect, it } from 'vitest';
import type { RecordOp } from '../../main/session/engine';
import type { Deck } from '../../shared/course';
import { PLAIN, commit, engineFor } from '../helpers/engine';
import { deck, slide } from '../helpers/engine-deck';

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
