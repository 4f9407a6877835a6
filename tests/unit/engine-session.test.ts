// The session engine, step by step: its phases, who may join, deciding without touching memory,
// deadlines, and correctness.
import { describe, expect, it } from 'vitest';
import type { SessionEngine } from '../../main/session/engine';
import type { RecordOp } from '../../main/session/engine';
import { commit, dump, engineFor, ok } from '../helpers/engine';
import { deck } from '../helpers/engine-deck';

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
