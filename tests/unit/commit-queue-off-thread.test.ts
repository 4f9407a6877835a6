// The commit queue with its batches written off the main thread (records/writer.ts), here with a
// writer whose writes end when the test says so: one write in flight at a time; while it runs,
// the next batch grows and nothing of the batch in flight is applied or acknowledged; a command
// that must see it (the same trainee, an instructor) waits for it, as it would for a commit here;
// a refused write leaves memory as it was and tells each sender.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GROUP_COMMIT_MS,
  MAX_OFF_THREAD_BATCH,
  MAX_START_WAIT_MS,
  START_RETRY_MS,
} from '../../main/server/commit-queue';
import { offThreadQueue as setup } from '../helpers/commit-queue';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
describe('the commit queue, writing off the main thread', () => {
  it('one write at a time; the next batch grows meanwhile and goes once the first is stored', async () => {
    const { writes, applied, acked, send, end } = setup();
    for (let round = 0; round < 3; round++) {
      const base = writes.length;
      send(`a${round}`);
      await vi.advanceTimersByTimeAsync(0);
      expect(writes.length).toBe(base + 1);
      // While it is written, ten more arrive over several turns: none is written, applied or acknowledged yet.
      for (let k = 0; k < 10; k++) {
        send(`b${round}-${k}`);
        await vi.advanceTimersByTimeAsync(1);
      }
      expect(writes.length).toBe(base + 1);
      expect(acked).not.toContain(`a${round}`);
      expect(applied).not.toContain(`a${round}`);
      end(writes[base], null);
      expect(applied.slice(-1)).toEqual([`a${round}`]);
      expect(acked.slice(-1)).toEqual([`a${round}`]);
      // The ten go together, in one write, in the order they came.
      await vi.advanceTimersByTimeAsync(0);
      expect(writes.length).toBe(base + 2);
      expect(writes[base + 1].ops).toEqual(Array.from({ length: 10 }, (_, k) => `b${round}-${k}`));
      end(writes[base + 1], null);
      expect(acked.slice(-10)).toEqual(writes[base + 1].ops);
    }
  });

  it('a message of the trainee whose write is in flight waits for it, and is decided on memory that holds it', async () => {
    const { q, writes, applied, send, waits } = setup();
    send('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.length).toBe(1);
    let seen: string[] = [];
    q.run(
      ['x'],
      () => ((seen = [...applied]), { ok: true, traineesChanged: false, ops: [] }),
      () => undefined,
      () => undefined,
    );
    expect(waits()).toBe(1);
    expect(seen).toEqual(['x']);
    // Another trainee does not wait.
    send('y');
    expect(waits()).toBe(1);
  });

  it('an instructor’s command waits for the write in flight and for what is waiting, then is written here at once', async () => {
    const { writes, here, applied, send, waits } = setup();
    send('a');
    await vi.advanceTimersByTimeAsync(0);
    send('b');
    send('i', 'all');
    // 'a' ended, 'b' went to the thread as it did and ended too: both applied before 'i' was decided.
    expect(waits()).toBe(2);
    expect(writes.map((w) => w.ops)).toEqual([['a'], ['b']]);
    expect(applied).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(0);
    expect(here).toEqual([['i']]);
    expect(writes.length).toBe(2);
  });

  it('a burst larger than one write goes in parts; the next part goes to the thread before this one is acknowledged', async () => {
    const { writes, acked, writesAtAck, send, end } = setup();
    const n = MAX_OFF_THREAD_BATCH * 2 + 10;
    send('first');
    await vi.advanceTimersByTimeAsync(0);
    for (let k = 0; k < n; k++) send(`t${k}`);
    end(writes[0], null);
    expect(writes.map((w) => w.ops.length)).toEqual([1, MAX_OFF_THREAD_BATCH]);
    const ackedBefore = acked.length;
    end(writes[1], null);
    // The third part was handed over before the second's first acknowledgement went out.
    expect(writesAtAck.get('t0')).toBe(3);
    expect(acked.length - ackedBefore).toBe(MAX_OFF_THREAD_BATCH);
    end(writes[2], null);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => w.ops.length)).toEqual([
      1,
      MAX_OFF_THREAD_BATCH,
      MAX_OFF_THREAD_BATCH,
      10,
    ]);
    end(writes[3], null);
    expect(acked.length).toBe(n + 1);
    expect(acked.slice(1)).toEqual(Array.from({ length: n }, (_, k) => `t${k}`));
  });

  it('after a part is handed over, a message of a trainee in what still waits is decided once that is stored', async () => {
    const { q, writes, applied, send, end } = setup();
    send('first');
    await vi.advanceTimersByTimeAsync(0);
    for (let k = 0; k < MAX_OFF_THREAD_BATCH + 10; k++) send(`t${k}`);
    end(writes[0], null);
    // t0… are on the thread; the last ten wait.
    expect(writes.map((w) => w.ops.length)).toEqual([1, MAX_OFF_THREAD_BATCH]);
    const late = `t${MAX_OFF_THREAD_BATCH + 3}`;
    let firstApplied: boolean | null = null;
    q.run(
      [late],
      () => {
        firstApplied = applied.includes(late);
        return { ok: true, traineesChanged: false, ops: [] };
      },
      () => undefined,
      () => undefined,
    );
    expect(firstApplied).toBe(true);
  });

  it('after a part is stored, a message of a trainee in it waits for nothing', async () => {
    const { writes, here, applied, send, end, waits } = setup();
    send('first');
    await vi.advanceTimersByTimeAsync(0);
    for (let k = 0; k < MAX_OFF_THREAD_BATCH + 10; k++) send(`t${k}`);
    end(writes[0], null);
    end(writes[1], null);
    // t0… are stored and applied; the last ten are on the thread, and another trainee waits.
    expect(applied).toContain('t3');
    expect(writes.map((w) => w.ops.length)).toEqual([1, MAX_OFF_THREAD_BATCH, 10]);
    send('new');
    const waitsBefore = waits();
    send('t3');
    expect(waits()).toBe(waitsBefore);
    expect(here).toEqual([]);
  });

  it('poll takes in a write the thread has finished, between messages, and blocks for nothing', async () => {
    const { q, writes, acked, applied, send, finishing, waits } = setup();
    for (let round = 0; round < 3; round++) {
      const base = writes.length;
      const before = acked.length;
      send(`a${round}`);
      await vi.advanceTimersByTimeAsync(0);
      send(`b${round}`);
      // The thread is still writing: polling neither waits nor takes anything in.
      const waited = waits();
      q.poll();
      expect(waits()).toBe(waited);
      expect(acked.length).toBe(before);
      // It has finished: the next poll applies and acknowledges it, and hands on what waited.
      finishing.add(writes[base]);
      q.poll();
      expect(applied.at(-1)).toBe(`a${round}`);
      expect(acked.slice(before)).toEqual([`a${round}`]);
      expect(writes[base + 1].ops).toEqual([`b${round}`]);
      expect(waits()).toBe(waited);
      finishing.add(writes[base + 1]);
      q.poll();
      expect(acked.slice(before)).toEqual([`a${round}`, `b${round}`]);
      // Nothing in flight: a poll does nothing at all.
      q.poll();
      expect(acked.length).toBe(before + 2);
      expect(writes.length).toBe(base + 2);
    }
  });

  it('a refused write changes nothing in memory and tells every sender; the next batch still goes', async () => {
    const { writes, applied, acked, refused, failures, send, end } = setup();
    send('a');
    send('b');
    await vi.advanceTimersByTimeAsync(0);
    send('c');
    end(writes[0], Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    expect(applied).toEqual([]);
    expect(acked).toEqual([]);
    expect(refused).toEqual(['a: is out of disk space', 'b: is out of disk space']);
    expect(failures).toEqual(['is out of disk space']);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes[1].ops).toEqual(['c']);
    end(writes[1], null);
    expect(acked).toEqual(['c']);
  });

  it('close writes everything: the write in flight ends, what waits is written here', async () => {
    const { q, writes, here, acked, send } = setup();
    send('a');
    await vi.advanceTimersByTimeAsync(0);
    send('b');
    q.close();
    expect(acked).toEqual(['a', 'b']);
    expect(writes.map((w) => w.ops)).toEqual([['a'], ['b']]);
    expect(here).toEqual([]);
  });

  it('while the writer thread comes up, the room waits for it: nothing is written here, and the thread takes it all once up', async () => {
    for (let round = 0; round < 3; round++) {
      let isUp = false;
      const { writes, here, applied, acked, send, end } = setup(GROUP_COMMIT_MS, () => isUp);
      const upAfter = MAX_START_WAIT_MS - 3 * START_RETRY_MS - round * START_RETRY_MS;
      // Joins trickle in, one every few milliseconds, across many of the wait's retry periods.
      const sent: string[] = [];
      for (let t = 0; t < upAfter; t += 3) {
        send(`r${round}t${t}`);
        sent.push(`r${round}t${t}`);
        await vi.advanceTimersByTimeAsync(3);
      }
      expect(here).toEqual([]);
      expect(writes).toEqual([]);
      expect(applied).toEqual([]);
      expect(acked).toEqual([]);
      isUp = true;
      await vi.advanceTimersByTimeAsync(START_RETRY_MS);
      // One write with everything that waited, in order; acknowledged once stored.
      expect(writes.map((w) => w.ops)).toEqual([sent]);
      expect(acked).toEqual([]);
      end(writes[0], null);
      expect(acked).toEqual(sent);
      expect(here).toEqual([]);
    }
  });

  it('a writer thread that is not up within the wait: the batch is written here, and the next one waits again', async () => {
    const { writes, here, acked, send } = setup(0, () => false);
    send('a');
    await vi.advanceTimersByTimeAsync(MAX_START_WAIT_MS - START_RETRY_MS);
    expect(here).toEqual([]);
    send('b');
    await vi.advanceTimersByTimeAsync(2 * START_RETRY_MS);
    // The oldest waited its whole allowance: both go, here, together.
    expect(here).toEqual([['a', 'b']]);
    expect(acked).toEqual(['a', 'b']);
    send('c');
    await vi.advanceTimersByTimeAsync(START_RETRY_MS);
    expect(here).toEqual([['a', 'b']]);
    await vi.advanceTimersByTimeAsync(MAX_START_WAIT_MS);
    expect(here).toEqual([['a', 'b'], ['c']]);
    expect(writes).toEqual([]);
  });

  it("an instructor's command while the thread comes up does not wait: it and what waited are written here at once", async () => {
    const { here, acked, send } = setup(0, () => false);
    send('a');
    await vi.advanceTimersByTimeAsync(START_RETRY_MS * 2);
    expect(here).toEqual([]);
    send('teacher', 'all');
    // The waiting batch is flushed before the command is decided, then the command goes at once.
    expect(here).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(here).toEqual([['a'], ['teacher']]);
    expect(acked).toEqual(['a', 'teacher']);
  });
});
