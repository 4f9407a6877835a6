// The two timers on the hot path, across several of their periods (fake timers, fake clocks):
// - the view pump: the first change after a quiet moment goes out at once; a burst is coalesced,
//   sent when it pauses for a frame and at least every VIEW_INTERVAL_MS while it lasts;
// - the commit queue: after a commit, a burst's next batch waits as long as that commit took (so the
//   event loop is never starved by fsyncs), a lone message after a quiet moment does not wait, and
//   an instructor's command never does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { FRAME_MS, VIEW_INTERVAL_MS, ViewPump } from '../../main/server/view-pump';
import { CommitQueue, MAX_PAUSE_MS } from '../../main/server/commit-queue';
import type { Outcome } from '../../main/session/engine';
import type { ConsoleView, ProjectorView } from '../../shared/protocol';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A console socket that records when each console view reached it (fake time). */
function pump() {
  const sent: number[] = [];
  const ws = {
    readyState: 1,
    send: (b: Buffer) =>
      JSON.parse(String(b)).t === 'console' ? sent.push(Date.now()) : undefined,
  } as unknown as WebSocket;
  const view = {
    t: 'console',
    alert: null,
    decks: [],
    hosts: [],
    roster: null,
    session: null,
    lastDeck: null,
  } as ConsoleView;
  const p = new ViewPump({
    consoles: new Set([ws]),
    projectors: new Set(),
    consoleView: () => view,
    projectorView: () => ({}) as ProjectorView,
    now: () => Date.now(),
  });
  return { p, sent };
}

describe('the view pump', () => {
  it('takes in a write that has ended before it builds a view, so the view holds it', async () => {
    const counts: number[] = [];
    let answered = 0;
    let ended = 0;
    const ws = {
      readyState: 1,
      send: (b: Buffer) => {
        const m = JSON.parse(String(b));
        if (m.t === 'console') counts.push(m.session.answered);
      },
    } as unknown as WebSocket;
    const p = new ViewPump({
      consoles: new Set([ws]),
      projectors: new Set(),
      consoleView: () => ({ t: 'console', session: { answered } }) as unknown as ConsoleView,
      projectorView: () => ({}) as ProjectorView,
      now: () => Date.now(),
      // A write ended off the thread with ten more answers: taking it in marks the views again.
      poll: () => {
        if (!ended) return;
        answered += ended;
        ended = 0;
        p.mark();
      },
    });
    for (let round = 0; round < 3; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      // A burst: a change every 5 ms, a write ending now and then, for three intervals.
      for (let t = 0; t < VIEW_INTERVAL_MS * 3; t += 5) {
        answered++;
        p.mark();
        if (t % 40 === 20) ended += 10;
        await vi.advanceTimersByTimeAsync(5);
      }
      ended += 10;
      const shown = counts.length;
      p.send();
      // The view holds the write that had ended, and taking it in did not send a second one.
      expect(counts.at(-1)).toBe(answered);
      expect(ended).toBe(0);
      await vi.advanceTimersByTimeAsync(VIEW_INTERVAL_MS * 2);
      expect(counts.length).toBe(shown + 1);
    }
  });

  it('sends the first change after a quiet moment at once, in the same turn’s tail', async () => {
    const { p, sent } = pump();
    for (let round = 0; round < 4; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      const at = Date.now();
      p.mark();
      p.mark();
      expect(sent.filter((t) => t >= at)).toEqual([]);
      await vi.advanceTimersByTimeAsync(0);
      expect(sent.filter((t) => t >= at)).toEqual([at]);
    }
  });

  it('coalesces a burst: a view at least every interval while it lasts, and one a frame after it stops', async () => {
    const { p, sent } = pump();
    const start = Date.now();
    // A mark every 5 ms for 1 s: ten intervals of a continuous burst.
    for (let t = 0; t < 1000; t += 5) {
      p.mark();
      await vi.advanceTimersByTimeAsync(5);
    }
    const last = start + 995;
    await vi.advanceTimersByTimeAsync(500);
    expectCoalesced(sent, start, last, 12);
  });

  it('sends a short burst’s last change a frame after it pauses, not a whole interval later', async () => {
    const { p, sent } = pump();
    for (let round = 0; round < 3; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      p.mark();
      await vi.advanceTimersByTimeAsync(0);
      const first = sent.length;
      // Three more within 10 ms of the first view, then quiet.
      for (let k = 0; k < 3; k++) {
        await vi.advanceTimersByTimeAsync(3);
        p.mark();
      }
      const lastMark = Date.now();
      await vi.advanceTimersByTimeAsync(VIEW_INTERVAL_MS);
      expect(sent.length).toBe(first + 1);
      expect(sent.at(-1)! - lastMark).toBe(FRAME_MS);
    }
  });

  it('once everything is stored, a burst’s last change goes a frame after the view before it, not a frame after the change', async () => {
    const { p, sent } = pump();
    for (let round = 0; round < 4; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      // A burst: a mark every 4 ms for 60 ms, the commit queue draining after the last.
      for (let t = 0; t < 60; t += 4) {
        p.mark();
        await vi.advanceTimersByTimeAsync(4);
      }
      p.mark();
      const lastMark = Date.now();
      const before = sent.at(-1)!;
      p.drained();
      await vi.advanceTimersByTimeAsync(VIEW_INTERVAL_MS * 2);
      const last = sent.at(-1)!;
      expect(last).toBe(Math.max(lastMark, before + FRAME_MS));
      expect(last - lastMark).toBeLessThan(FRAME_MS);
      // Views stay at most one a frame.
      const gaps = sent.slice(1).map((t, i) => t - sent[i]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FRAME_MS);
      // Drained again with nothing new: no view.
      const n = sent.length;
      p.drained();
      await vi.advanceTimersByTimeAsync(VIEW_INTERVAL_MS * 2);
      expect(sent.length).toBe(n);
    }
  });

  it('in a trickle that is stored between its messages (a room joining), sends at most two views an interval', async () => {
    const { p, sent } = pump();
    for (let round = 0; round < 3; round++) {
      await vi.advanceTimersByTimeAsync(1000);
      const start = Date.now();
      // A phone every 3 ms for 1 s, each stored before the next: the queue drains every time.
      for (let t = 0; t < 1000; t += 3) {
        p.mark();
        p.drained();
        await vi.advanceTimersByTimeAsync(3);
      }
      const lastMark = Date.now() - 3;
      await vi.advanceTimersByTimeAsync(VIEW_INTERVAL_MS * 2);
      // Ten intervals: one view each by the burst's rule, and at most one early one.
      expectCoalesced(sent, start, lastMark, 21);
    }
  });
});

/**
 * The views of a burst of marks from `start` to `last` (ten intervals): at least one an interval,
 * at most `most` in all, and the burst's last change on the console within a frame of it.
 */
function expectCoalesced(sent: number[], start: number, last: number, most: number): void {
  const during = sent.filter((t) => t >= start && t <= last);
  expect(during.length).toBeGreaterThanOrEqual(10);
  expect(during.length).toBeLessThanOrEqual(most);
  const gaps = during.slice(1).map((t, i) => t - during[i]);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(VIEW_INTERVAL_MS);
  const after = sent.filter((t) => t > last);
  expect(after.length).toBe(1);
  expect(after[0] - last).toBeLessThanOrEqual(FRAME_MS);
}

/** A commit queue whose commits take `cost` ms of its clock; records when each batch was committed. */
function queue(cost: number) {
  let clock = 0;
  const commits: { at: number; size: number }[] = [];
  const q = new CommitQueue({
    commit: (ops) => {
      commits.push({ at: clock, size: ops.length });
      clock += cost;
    },
    apply: () => undefined,
    rebuild: () => undefined,
    onFailure: () => undefined,
    log: () => undefined,
    clock: () => clock,
  });
  const op = (n: number): Outcome => ({
    ok: true,
    traineesChanged: false,
    ops: [{ op: 'attendance', sessionId: 's', traineeId: `t${n}`, event: 'join', at: n }],
  });
  const advance = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { q, commits, op, advance, now: () => clock };
}

describe('the commit queue’s pacing', () => {
  it('a lone message after a quiet moment is committed at the end of its turn', async () => {
    const { q, commits, op, advance } = queue(5);
    for (let round = 0; round < 3; round++) {
      await advance(100);
      q.run(
        [`t${round}`],
        () => op(round),
        () => undefined,
        () => undefined,
      );
      expect(commits.length).toBe(round);
      await vi.advanceTimersByTimeAsync(0);
      expect(commits.length).toBe(round + 1);
    }
  });

  it('in a burst, the next batch waits as long as the last commit took, and takes in everything meanwhile', async () => {
    const { q, commits, op, advance } = queue(8);
    let n = 0;
    // A message every millisecond for 100 ms.
    for (let t = 0; t < 100; t++) {
      q.run(
        [`t${n}`],
        () => op(n++),
        () => undefined,
        () => undefined,
      );
      await advance(1);
    }
    await advance(50);
    expect(commits.reduce((k, c) => k + c.size, 0)).toBe(100);
    // Each commit took 8 ms and the loop then got 8 ms of its own before the next: messages arrive
    // only while the loop runs, so ~100 / 8 batches of ~8 — not 100 commits of one.
    expect(commits.length).toBeLessThanOrEqual(100 / 8 + 2);
    expect(Math.max(...commits.map((c) => c.size))).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < commits.length; i++)
      expect(commits[i].at - commits[i - 1].at).toBeGreaterThanOrEqual(16);
  });

  it('never waits longer than MAX_PAUSE_MS, however slow the disk; an instructor’s command does not wait at all', async () => {
    const { q, commits, op, advance, now } = queue(200);
    q.run(
      ['a'],
      () => op(1),
      () => undefined,
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(0);
    const first = commits[0].at + 200;
    q.run(
      ['b'],
      () => op(2),
      () => undefined,
      () => undefined,
    );
    await advance(MAX_PAUSE_MS - 1);
    expect(commits.length).toBe(1);
    await advance(1);
    expect(commits.length).toBe(2);
    expect(commits[1].at - first).toBe(MAX_PAUSE_MS);
    // Right after that slow commit, the instructor's command goes in the same turn's tail.
    const at = now();
    q.run(
      'all',
      () => op(3),
      () => undefined,
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(commits.length).toBe(3);
    expect(commits[2].at).toBe(at);
  });
});
