// Group commit off the main thread: in a trickle (a room joining) writes are a period apart, so a
// transaction holds many phones; a message after a quiet moment goes at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GROUP_COMMIT_MS } from '../../main/server/commit-queue';
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
});
