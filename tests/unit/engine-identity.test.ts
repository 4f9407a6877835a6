// The engine's roster matching and identity corrections (walk-ins, correctTrainee, moveDevice).
import { describe, expect, it } from 'vitest';
import type { SessionEngine } from '../../main/session/engine';
import type { RecordOp } from '../../main/session/engine';
import { ALL_CONNECTED, commit, engineFor, ok } from '../helpers/engine';
import type { Deck } from '../../shared/course';

const deck: Deck = {
  course: 'c',
  courseTitle: 'Course',
  file: 'd.md',
  title: 'Deck',
  minutes: 10,
  slides: [
    {
      id: 'intro',
      line: 1,
      title: 'intro',
      html: '<h1>intro</h1>',
      notes: '',
      question: null,
      scenario: null,
    },
  ],
};

function started(sessionId = 's1'): SessionEngine {
  const e = engineFor(deck);
  commit(e, e.start({ sessionId, roomCode: '123456', deck, now: 0 }));
  return e;
}

const join = (e: SessionEngine, id: string, officerId: string, name = id, tokenHash = `h-${id}`) =>
  commit(
    e,
    e.join({ traineeId: id, tokenHash, name, officerId, agency: 'PD', roomCode: '123456', now: 1 }),
  );

/** A roster as the records store it (an import during the session), applied once committed. */
const setRoster = (e: SessionEngine, entries: { officerId: string; name: string }[]) =>
  e.apply([
    {
      op: 'roster',
      sessionId: e.session!.id,
      name: 'R',
      entries: entries.map((x) => ({ ...x, agency: '', email: '' })),
      reason: 'import',
      actor: 'instructor',
      at: 1,
    },
  ]);

const row = (e: SessionEngine, id: string) =>
  e.traineeRows(ALL_CONNECTED).find((r) => r.id === id)!;

describe('roster matching', () => {
  it('with no roster nobody is flagged', () => {
    const e = started();
    join(e, 't1', '00417');
    expect(row(e, 't1')).toMatchObject({ onRoster: false, walkIn: false });
  });

  it('an officer ID on the roster is matched (case and spaces aside, leading zeros count); others are walk-ins, still accepted', () => {
    const e = started();
    setRoster(e, [
      { officerId: '00417', name: 'Ana Ortiz' },
      { officerId: 'b-22', name: 'Ben Lee' },
    ]);
    join(e, 't1', '00417');
    join(e, 't2', ' B-22 ');
    join(e, 't3', '417');
    expect(e.traineeRows(ALL_CONNECTED).map((r) => [r.id, r.onRoster, r.walkIn])).toEqual([
      ['t1', true, false],
      ['t2', true, false],
      ['t3', false, true],
    ]);
    expect(e.rosterName('b-22')).toBe('Ben Lee');
    setRoster(e, []);
    expect(row(e, 't3')).toMatchObject({ onRoster: false, walkIn: false });
  });

  it('a new session starts without the last one’s roster', () => {
    const e = started();
    setRoster(e, [{ officerId: '1', name: 'A' }]);
    commit(e, e.end(5));
    commit(e, e.start({ sessionId: 's2', roomCode: '123456', deck, now: 6 }));
    join(e, 't1', '2');
    expect(row(e, 't1').walkIn).toBe(false);
  });
});

describe('trainee rows', () => {
  it('hands back the same row while nothing in it changed, and a new one with the new values when it did', () => {
    const e = started();
    join(e, 't1', 'A1');
    join(e, 't2', 'B1');
    const first = e.traineeRows(ALL_CONNECTED);
    const again = e.traineeRows(ALL_CONNECTED);
    expect(again[0]).toBe(first[0]);
    expect(again[1]).toBe(first[1]);
    // t2's phone drops: only its row is new.
    const dropped = e.traineeRows((id) => id !== 't2');
    expect(dropped[0]).toBe(first[0]);
    expect(dropped[1]).not.toBe(first[1]);
    expect(dropped[1]).toMatchObject({ id: 't2', connected: false });
    // A roster arrives that lists t1: t1 is matched, t2 becomes a walk-in.
    setRoster(e, [{ officerId: 'a1', name: 'Ana' }]);
    const rostered = e.traineeRows(ALL_CONNECTED);
    expect(rostered.map((r) => [r.id, r.connected, r.onRoster, r.walkIn])).toEqual([
      ['t1', true, true, false],
      ['t2', true, false, true],
    ]);
    expect(rostered[0]).not.toBe(first[0]);
  });
});

describe('identity corrections', () => {
  it('correctTrainee changes the trainee and returns the record op with before, after, reason and actor', () => {
    const e = started();
    setRoster(e, [{ officerId: '00417', name: 'Ana Ortiz' }]);
    join(e, 't1', '417', 'Ana Ortz');
    expect(row(e, 't1').walkIn).toBe(true);
    const o = commit(
      e,
      e.correctTrainee({
        traineeId: 't1',
        name: 'Ana Ortiz',
        officerId: '00417',
        reason: 'typo; checked the sign-in sheet',
        actor: 'instructor',
        now: 9,
      }),
    );
    expect(o.ops).toEqual<RecordOp[]>([
      {
        op: 'correctTrainee',
        sessionId: 's1',
        traineeId: 't1',
        before: { name: 'Ana Ortz', officerId: '417', agency: 'PD' },
        after: { name: 'Ana Ortiz', officerId: '00417', agency: 'PD' },
        reason: 'typo; checked the sign-in sheet',
        actor: 'instructor',
        at: 9,
      },
    ]);
    expect(row(e, 't1')).toMatchObject({
      name: 'Ana Ortiz',
      officerId: '00417',
      onRoster: true,
      walkIn: false,
    });
    // The corrected officer ID is the trainee's now; the old one is free again.
    expect(e.officerHolder('00417')).toBe('t1');
    expect(e.officerHolder('417')).toBeUndefined();
    expect(join(e, 'other', '417', 'Someone')).toMatchObject({ traineeId: 'other' });
  });

  it('refuses a correction without a reason, without a change, or to an officer ID another trainee has; nothing changes', () => {
    const e = started();
    join(e, 't1', 'A1', 'Ana');
    join(e, 't2', 'B1', 'Ben');
    const fails = [
      e.correctTrainee({
        traineeId: 't1',
        name: 'Anna',
        reason: '  ',
        actor: 'instructor',
        now: 2,
      }),
      e.correctTrainee({
        traineeId: 't1',
        name: 'Anna',
        reason: 'x'.repeat(501),
        actor: 'instructor',
        now: 2,
      }),
      e.correctTrainee({
        traineeId: 't1',
        name: 'Ana',
        reason: 'why',
        actor: 'instructor',
        now: 2,
      }),
      e.correctTrainee({
        traineeId: 't1',
        officerId: 'b1',
        reason: 'why',
        actor: 'instructor',
        now: 2,
      }),
      e.correctTrainee({
        traineeId: 'nobody',
        name: 'X',
        reason: 'why',
        actor: 'instructor',
        now: 2,
      }),
    ];
    expect(fails.map((f) => (f.ok ? 'ok' : f.message))).toEqual([
      'a correction needs a reason (1–500 characters)',
      'a correction needs a reason (1–500 characters)',
      'nothing to correct: the name, officer ID and agency are what they were',
      'officer ID b1 already belongs to Ben; to put this phone on that trainee, move the phone instead',
      'no such trainee in this session',
    ]);
    expect(e.traineeRows(ALL_CONNECTED).map((r) => [r.name, r.officerId])).toEqual([
      ['Ana', 'A1'],
      ['Ben', 'B1'],
    ]);
  });

  it('moveDevice gives one trainee’s phones to another: the token resumes as the other trainee', () => {
    const e = started();
    join(e, 't1', 'A1', 'Ana', 'phone-1');
    join(e, 't2', 'B1', 'Ben', 'phone-2');
    const o = commit(
      e,
      e.moveDevice({
        fromTraineeId: 't1',
        toTraineeId: 't2',
        reason: 'Ben joined on Ana’s phone',
        actor: 'instructor',
        now: 3,
      }),
    );
    expect(o.moved).toBe(1);
    expect(o.ops).toEqual<RecordOp[]>([
      {
        op: 'moveDevice',
        sessionId: 's1',
        fromTraineeId: 't1',
        toTraineeId: 't2',
        before: { phones: 1, trainee: { id: 't1', name: 'Ana', officerId: 'A1', agency: 'PD' } },
        after: { phones: 2, trainee: { id: 't2', name: 'Ben', officerId: 'B1', agency: 'PD' } },
        reason: 'Ben joined on Ana’s phone',
        actor: 'instructor',
        at: 3,
      },
    ]);
    expect(e.tokenOwner('phone-1')).toBe('t2');
    expect(ok(e.resume({ tokenHash: 'phone-1' })).traineeId).toBe('t2');
    // Ana has no phone any more.
    const again = e.moveDevice({
      fromTraineeId: 't1',
      toTraineeId: 't2',
      reason: 'again',
      actor: 'instructor',
      now: 5,
    });
    expect(again).toMatchObject({ ok: false, message: 'Ana has no phone to move' });
    expect(
      e.moveDevice({
        fromTraineeId: 't2',
        toTraineeId: 't2',
        reason: 'x',
        actor: 'instructor',
        now: 5,
      }),
    ).toMatchObject({ ok: false });
    expect(
      e.moveDevice({
        fromTraineeId: 't2',
        toTraineeId: 't1',
        reason: '',
        actor: 'instructor',
        now: 5,
      }),
    ).toMatchObject({ ok: false, message: /reason/ });
  });
});
