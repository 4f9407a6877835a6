// Group commit off the main thread: in a trickle (a room joining) writes are a period apart, so a
// transaction holds many phones; a large batch, or a message after a quiet moment, goes at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GROUP_COMMIT_ENOUGH, GROUP_COMMIT_MS } from '../../main/server/commit-queue';
import { offThreadQueue as setup } from '../helpers/commit-queue';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('group commit off the main thread', () => {
  it('group commit: in a trickle a write starts no sooner than GROUP_COMMIT_MS after the one before; a message after a quiet moment goes at once', async () => {
    const { writes, acked, send, end } = setup(GROUP_COMMIT_MS);
    const finishAll = () => {
      for (const w of writes) if (w.done.name !== 'finished') end(w, null);
    };
    for (let round = 0; round < 3; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      const from = writes.length;
      const start = Date.now();
      // A message a millisecond for ten periods; the thread ends each write a millisecond later.
      for (let t = 0; t < GROUP_COMMIT_MS * 10; t++) {
        send(`r${round}t${t}`);
        await vi.advanceTimersByTimeAsync(1);
        finishAll();
      }
      await vi.advanceTimersByTimeAsync(GROUP_COMMIT_MS * 2);
      finishAll();
      await vi.advanceTimersByTimeAsync(GROUP_COMMIT_MS * 2);
      finishAll();
      const mine = writes.slice(from);
      // The first goes at once (the end of its turn), the rest at most one a period.
      expect(mine[0].at).toBe(start);
      const gaps = mine.slice(1).map((w, i) => w.at - mine[i].at);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(GROUP_COMMIT_MS);
      expect(mine.length).toBeLessThanOrEqual(12);
      expect(mine.length).toBeGreaterThanOrEqual(10);
      // Every message was written once, in order, and acknowledged.
      const all = Array.from({ length: GROUP_COMMIT_MS * 10 }, (_, t) => `r${round}t${t}`);
      expect(mine.flatMap((w) => w.ops)).toEqual(all);
      expect(acked.slice(-all.length)).toEqual(all);
    }
  });

  it('group commit: a batch of GROUP_COMMIT_ENOUGH goes as soon as the write before ends; a smaller one waits out the period', async () => {
    const { writes, acked, send, end } = setup(GROUP_COMMIT_MS);
    send('first');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.length).toBe(1);
    // A burst while the first is written: enough to go at once when it ends, mid-period.
    for (let k = 0; k < GROUP_COMMIT_ENOUGH; k++) send(`a${k}`);
    await vi.advanceTimersByTimeAsync(2);
    end(writes[0], null);
    expect(writes.map((w) => w.ops.length)).toEqual([1, GROUP_COMMIT_ENOUGH]);
    expect(writes[1].at - writes[0].at).toBeLessThan(GROUP_COMMIT_MS);
    // One fewer than enough: it waits until a period after the write before started.
    for (let k = 0; k < GROUP_COMMIT_ENOUGH - 1; k++) send(`b${k}`);
    await vi.advanceTimersByTimeAsync(2);
    end(writes[1], null);
    expect(writes.length).toBe(2);
    await vi.advanceTimersByTimeAsync(GROUP_COMMIT_MS);
    expect(writes.map((w) => w.ops.length)).toEqual([
      1,
      GROUP_COMMIT_ENOUGH,
      GROUP_COMMIT_ENOUGH - 1,
    ]);
    expect(writes[2].at - writes[1].at).toBeGreaterThanOrEqual(GROUP_COMMIT_MS);
    end(writes[2], null);
    expect(acked.length).toBe(2 * GROUP_COMMIT_ENOUGH);
  });
});
