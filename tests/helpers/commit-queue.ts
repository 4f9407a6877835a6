// The commit queue with a writer thread whose writes end when the test says so (records/writer.ts
// stands behind it in the server), for the commit queue's tests: its batches, parts, waits and
// group commit, under vitest's fake timers (the caller turns them on).
import { CommitQueue } from '../../main/server/commit-queue';
import type { EngineOp, Outcome } from '../../main/session/engine';

/** `up`: whether the writer thread is up yet (until then a write is declined as 'starting'). */
export function offThreadQueue(groupCommitMs = 0, up: () => boolean = () => true) {
  const writes: { ops: string[]; done: (e: unknown) => void; at: number }[] = [];
  const here: string[][] = [];
  const applied: string[] = [];
  const failures: string[] = [];
  let waits = 0;
  let drains = 0;
  const ids = (ops: readonly { traineeId?: string }[]) => ops.map((o) => o.traineeId ?? '?');
  const q = new CommitQueue({
    commit: (ops) => void here.push(ids(ops as { traineeId?: string }[])),
    writeOffThread: (ops, done) => {
      if (!up()) return 'starting';
      writes.push({ ops: ids(ops as { traineeId?: string }[]), done, at: Date.now() });
      return true;
    },
    // The fake timers' clock, so group commit's wait passes with them; most tests here are about
    // order and parts, not grouping, and write each batch as soon as they can.
    clock: () => Date.now(),
    groupCommitMs,
    pollOffThread: () => {
      // The thread has finished the write in flight when the test said so (`finishing`).
      const w = writes.find((x) => x.done !== finished);
      if (w && finishing.has(w)) end(w, null);
    },
    waitOffThread: () => {
      waits++;
      // The thread finishes the write in flight: its `done` runs before the wait returns.
      const w = writes.find((x) => x.done !== finished);
      if (w) end(w, null);
    },
    apply: (ops: EngineOp[]) => void applied.push(...ids(ops as { traineeId?: string }[])),
    rebuild: () => undefined,
    onDrained: () => void drains++,
    onFailure: (_e, cause) => void failures.push(cause),
    log: () => undefined,
  });
  const finished = () => undefined;
  const finishing = new Set<(typeof writes)[number]>();
  function end(w: (typeof writes)[number], e: unknown) {
    const done = w.done;
    w.done = finished;
    done(e);
  }
  const op = (t: string): Outcome => ({
    ok: true,
    traineesChanged: false,
    ops: [{ op: 'attendance', sessionId: 's', traineeId: t, event: 'join', at: 1 }],
  });
  const acked: string[] = [];
  /** How many writes had started when each acknowledgement went out. */
  const writesAtAck = new Map<string, number>();
  const refused: string[] = [];
  const send = (t: string, keys: string[] | 'all' = [t]) =>
    q.run(
      keys,
      () => op(t),
      () => void (acked.push(t), writesAtAck.set(t, writes.length)),
      (_code, message) => void refused.push(`${t}: ${message}`),
    );
  return {
    q,
    writes,
    here,
    applied,
    failures,
    acked,
    writesAtAck,
    refused,
    send,
    end,
    finishing,
    waits: () => waits,
    drains: () => drains,
  };
}
