// The commit queue in a flood: the event loop reads message after message in one turn, so no
// timer or immediate runs until it has read them all. What has gathered must still reach the
// writer thread (records/writer.ts), here a writer whose writes end when the test says so, and a
// batch the thread cannot take is written here with the queue's usual pause.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommitQueue, GROUP_COMMIT_MS, MAX_OFF_THREAD_BATCH } from '../../main/server/commit-queue';
import type { Outcome } from '../../main/session/engine';
import { offThreadQueue as setup } from '../helpers/commit-queue';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
describe('the commit queue in a flood', () => {
  it('a flood after a quiet moment: a whole part goes to the thread as soon as it waits, not at the end of the turn', async () => {
    const { writes, acked, send, end } = setup(GROUP_COMMIT_MS);
    // The loop reads message after message in one turn: no timer or immediate runs meanwhile.
    for (let k = 0; k < MAX_OFF_THREAD_BATCH - 1; k++) send(`t${k}`);
    expect(writes).toEqual([]);
    send(`t${MAX_OFF_THREAD_BATCH - 1}`);
    expect(writes.map((w) => w.ops.length)).toEqual([MAX_OFF_THREAD_BATCH]);
    // Later messages of the same turn wait for it (one write in flight), then go as the next part.
    for (let k = MAX_OFF_THREAD_BATCH; k < MAX_OFF_THREAD_BATCH + 5; k++) send(`t${k}`);
    expect(writes.length).toBe(1);
    expect(acked).toEqual([]);
    end(writes[0], null);
    expect(acked.length).toBe(MAX_OFF_THREAD_BATCH);
    await vi.advanceTimersByTimeAsync(GROUP_COMMIT_MS);
    expect(writes.map((w) => w.ops.length)).toEqual([MAX_OFF_THREAD_BATCH, 5]);
    end(writes[1], null);
    expect(acked).toEqual(Array.from({ length: MAX_OFF_THREAD_BATCH + 5 }, (_, k) => `t${k}`));
  });

  it('a flood that lasts past the group-commit wait: what has gathered goes to the thread from the next message, though no timer can fire', async () => {
    const { q, writes, acked, send, end } = setup(GROUP_COMMIT_MS);
    // The loop reads message after message in one turn: no timer or immediate runs, but time passes.
    send('t0');
    vi.setSystemTime(Date.now() + GROUP_COMMIT_MS - 1);
    send('t1');
    expect(writes).toEqual([]);
    vi.setSystemTime(Date.now() + 1);
    send('t2');
    expect(writes.map((w) => w.ops)).toEqual([['t0', 't1', 't2']]);
    // The next part gathers while that one is written, and goes as soon as it is stored.
    send('t3');
    vi.setSystemTime(Date.now() + GROUP_COMMIT_MS);
    send('t4');
    expect(writes.length).toBe(1);
    end(writes[0], null);
    expect(acked).toEqual(['t0', 't1', 't2']);
    expect(writes.map((w) => w.ops)).toEqual([
      ['t0', 't1', 't2'],
      ['t3', 't4'],
    ]);
    end(writes[1], null);
    // With nothing in flight, a poll (the view pump's, before it builds a view) hands on a batch
    // that is due, so the thread writes while the view is built; one that is not due stays.
    send('t5');
    q.poll();
    expect(writes.length).toBe(2);
    vi.setSystemTime(Date.now() + GROUP_COMMIT_MS);
    q.poll();
    expect(writes.map((w) => w.ops).at(-1)).toEqual(['t5']);
    end(writes[2], null);
    expect(acked).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    // Nothing was written on this thread, and no timer was needed for any of it.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a write the thread finished during a flood ends at the next message, and the next part goes at once', async () => {
    const { writes, acked, applied, send, finishing, end, drains } = setup();
    send('first');
    await vi.advanceTimersByTimeAsync(0);
    // The loop is reading a flood (no turn ends): the thread finishes the first write meanwhile.
    for (let k = 0; k < 5; k++) send(`a${k}`);
    finishing.add(writes[0]);
    expect(acked).toEqual([]);
    send('b0');
    // The reply was taken before b0 was decided: `first` is applied and acknowledged, and what
    // had waited (a0…a4) went to the thread without waiting for the loop.
    expect(acked).toEqual(['first']);
    expect(applied).toEqual(['first']);
    expect(writes.map((w) => w.ops)).toEqual([['first'], ['a0', 'a1', 'a2', 'a3', 'a4']]);
    // Not finished yet: later messages only wait.
    send('b1');
    expect(writes.length).toBe(2);
    finishing.add(writes[1]);
    send('b2');
    expect(acked).toEqual(['first', 'a0', 'a1', 'a2', 'a3', 'a4']);
    expect(writes.map((w) => w.ops.length)).toEqual([1, 5, 2]);
    // Drained only once the last of it is stored and acknowledged.
    end(writes[2], null);
    expect(drains()).toBe(0);
    expect(writes.map((w) => w.ops)).toEqual([
      ['first'],
      ['a0', 'a1', 'a2', 'a3', 'a4'],
      ['b0', 'b1'],
      ['b2'],
    ]);
    end(writes[3], null);
    expect(drains()).toBe(1);
    expect(acked.at(-1)).toBe('b2');
  });

  it('a thread that cannot take a batch: in a flood each is written here, once the loop has had as long as the last one took', () => {
    // A clock of the test's own: each commit here takes 20 ms of it; no timer runs (a flood).
    let t = 1000;
    const here: string[][] = [];
    const acked: string[] = [];
    const q = new CommitQueue({
      commit: (ops) => {
        here.push(ops.map((o) => (o as { traineeId?: string }).traineeId ?? '?'));
        t += 20;
      },
      writeOffThread: () => false,
      clock: () => t,
      groupCommitMs: GROUP_COMMIT_MS,
      apply: () => undefined,
      rebuild: () => undefined,
      onFailure: () => undefined,
      log: () => undefined,
    });
    const send = (k: string) =>
      q.run(
        [k],
        (): Outcome => ({
          ok: true,
          traineesChanged: false,
          ops: [{ op: 'attendance', sessionId: 's', traineeId: k, event: 'join', at: 1 }],
        }),
        () => void acked.push(k),
        () => undefined,
      );
    send('a');
    t += GROUP_COMMIT_MS;
    send('b');
    expect(here).toEqual([['a', 'b']]);
    // That commit held the loop 20 ms: the next batch waits as long, though it has gathered.
    send('c');
    t += GROUP_COMMIT_MS;
    send('d');
    expect(here.length).toBe(1);
    t += 10;
    send('e');
    expect(here).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(acked).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
