// The records' writer thread (main/records/writer.ts): a class day written through it holds
// exactly the rows Records.apply writes; a write the file refuses (a lock held by another program)
// stores nothing and says why with SQLite's code, while the main thread's event loop runs on; and
// waiting for a write blocks until it has ended.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { planWrite } from '../../main/records/write';
import type { RecordOp } from '../../main/session/engine';
import type { AnswerValue } from '../../shared/question';
import { storeClass } from '../helpers/records-fixture';
import { dump, recordsFiles, writeOnThread } from '../helpers/records-writing';

const { file, cleanup } = recordsFiles();
afterAll(cleanup);

/** The operations of a class day (the export tests' fixture), and the kinds it does not have. */
function classDay(): RecordOp[] {
  const ops: RecordOp[] = [];
  const capture = {
    apply: (o: RecordOp[]) => ops.push(...o),
    db: { prepare: () => ({ run: () => undefined }) },
  } as unknown as Records;
  storeClass(capture, { id: 's1' });
  const at = ops.at(-1)!.at + 1;
  ops.splice(
    ops.length - 1,
    0,
    { op: 'slide', sessionId: 's1', index: 3, at },
    { op: 'module', sessionId: 's1', file: '02.md', title: 'Module 2', at },
    { op: 'runReveal', runId: 's1-r0', at },
    { op: 'device', traineeId: 's1-t1', tokenHash: 'hash-a', at },
    { op: 'device', traineeId: 's1-t2', tokenHash: 'hash-b', at },
    {
      op: 'rebind',
      sessionId: 's1',
      traineeId: 's1-t1',
      tokenHash: 'hash-c',
      revoked: ['hash-a'],
      before: { phones: 1, connected: false },
      after: { phones: 1, name: 'Ana Ortiz', officerId: '00417' },
      reason: 'new phone',
      actor: 'system',
      at,
    },
    {
      op: 'scenarioStep',
      sessionId: 's1',
      slideIndex: 4,
      scenarioId: 'sc',
      playId: 'p1',
      step: 0,
      fromNode: 'a',
      optionId: 'o',
      toNode: 'b',
      runId: null,
      at,
    },
    {
      op: 'claimRefused',
      sessionId: 's1',
      traineeId: 's1-t3',
      claimed: { name: 'X', officerId: 'TX-2231', agency: 'PD' },
      reason: 'not him',
      actor: 'instructor',
      at,
    },
    {
      op: 'assessmentOpen',
      id: 'a1',
      sessionId: 's1',
      key: 'pretest',
      kind: 'pretest',
      assessmentId: 'pre',
      title: 'Pre-test',
      slideIndex: 1,
      runs: [
        {
          runId: 'ar1',
          question: { id: 'q1', type: 'truefalse', prompt: 'T?', correct: true },
          position: 0,
        },
      ],
      at,
    },
    {
      op: 'answer',
      runId: 'ar1',
      sessionId: 's1',
      traineeId: 's1-t4',
      msgId: 'am1',
      value: true,
      correct: true,
      at,
    },
    {
      op: 'assessmentSubmit',
      assessmentId: 'a1',
      traineeId: 's1-t4',
      sessionId: 's1',
      msgId: 'sm1',
      at,
    },
    { op: 'assessmentClose', id: 'a1', at },
  );
  return ops;
}

describe('the records writer thread', () => {
  it('writes a class day, batch by batch, into exactly the rows Records.apply writes', async () => {
    const ops = classDay();
    const [fa, fb] = [file(), file()];
    const a = new Records(fa);
    const b = new Records(fb);
    for (let i = 0; i < ops.length; i += 7) {
      a.apply(ops.slice(i, i + 7));
      expect(await writeOnThread(b, ops.slice(i, i + 7))).toBeNull();
    }
    a.close();
    b.close();
    const [da, db] = [dump(fa), dump(fb)];
    expect(Object.keys(db)).toEqual(Object.keys(da));
    for (const t of Object.keys(da)) expect(db[t], t).toEqual(da[t]);
    expect(da.trainees.length).toBe(5);
    expect(da.audit_log.length).toBeGreaterThanOrEqual(3);
  });

  it('a run of answers crosses to the thread once, as one step of two statements whatever its length', () => {
    const answer = (
      traineeId: string,
      msgId: string,
      value: AnswerValue,
      correct: boolean | null,
    ) =>
      ({
        op: 'answer',
        runId: 'r1',
        sessionId: 's1',
        traineeId,
        msgId,
        value,
        correct,
        at: 5,
      }) as const;
    const steps = planWrite([
      answer('t1', 'm1', ['Days'], true),
      answer('t2', 'm2', 'Nights', null),
      { op: 'attendance', sessionId: 's1', traineeId: 't3', event: 'join', at: 6 },
      answer('t3', 'm3', 4, false),
    ]);
    expect(steps).toEqual([
      [
        ['answers', 'answerResponses'],
        JSON.stringify([
          ['t1', 'm1', 's1', 'r1', '["Days"]', 1, 5],
          ['t2', 'm2', 's1', 'r1', '"Nights"', null, 5],
        ]),
      ],
      ['attendance', JSON.stringify([['s1', 't3', 'join', 6]])],
      [['answers', 'answerResponses'], JSON.stringify([['t3', 'm3', 's1', 'r1', '4', 0, 5]])],
    ]);
  });

  it('a run of answers stores each exactly as it was given, in order: awkward text, a second answer of the same trainee, the change log', async () => {
    const base = classDay().filter((o) => o.op !== 'answer' && !o.op.startsWith('assessment'));
    const values: AnswerValue[] = [
      'Café ☕ — “quoted” \\ back\\slash "plain"',
      'lone \ud800 surrogate and a NUL \u0000 here',
      ['a', '𝄞 clef'],
      -3.25,
      1e21,
      false,
    ];
    const trainees = ['s1-t1', 's1-t2', 's1-t3', 's1-t4', 's1-t5'];
    const answers: RecordOp[] = values.map((value, i) => ({
      op: 'answer',
      runId: 's1-r0',
      sessionId: 's1',
      // The last answer is the first trainee's second, in the same batch.
      traineeId: trainees[i % trainees.length],
      msgId: `bulk${i}`,
      value,
      correct: i % 3 === 0 ? null : i % 3 === 1,
      at: 1_733_450_000_000 + i,
    }));
    const [fa, fb, fc] = [file(), file(), file()];
    // a: the batch together on this thread; b: one answer a batch; c: together on the writer thread.
    const a = new Records(fa);
    a.apply(base);
    a.apply(answers);
    const b = new Records(fb);
    b.apply(base);
    for (const op of answers) b.apply([op]);
    const c = new Records(fc);
    c.apply(base);
    expect(await writeOnThread(c, answers)).toBeNull();

    const log = a.db
      .prepare(
        `SELECT trainee_id, msg_id, value_json, typeof(value_json) AS vt, correct, typeof(correct) AS ct, at, typeof(at) AS att FROM answer_log WHERE msg_id LIKE 'bulk%' ORDER BY rowid`,
      )
      .all() as Record<string, unknown>[];
    expect(log).toEqual(
      answers.map((op) => {
        const o = op as Extract<RecordOp, { op: 'answer' }>;
        return {
          trainee_id: o.traineeId,
          msg_id: o.msgId,
          value_json: JSON.stringify(o.value),
          vt: 'text',
          correct: o.correct === null ? null : Number(o.correct),
          ct: o.correct === null ? 'null' : 'integer',
          at: o.at,
          att: 'integer',
        };
      }),
    );
    const first = a.db
      .prepare(
        `SELECT value_json, first_at, answered_at, changes FROM responses WHERE run_id = 's1-r0' AND trainee_id = 's1-t1'`,
      )
      .get();
    expect(first).toEqual({
      value_json: JSON.stringify(values[5]),
      first_at: 1_733_450_000_000,
      answered_at: 1_733_450_000_005,
      changes: 1,
    });
    // The change log holds each row as stored: the response's insert, then its update.
    const changes = a.db
      .prepare(
        `SELECT tbl, kind, row FROM outbox WHERE tbl IN ('answer_log', 'responses') ORDER BY seq`,
      )
      .all() as { tbl: string; kind: string; row: string }[];
    const responses = changes.filter(
      (r) => r.tbl === 'responses' && JSON.parse(r.row).trainee_id === 's1-t1',
    );
    expect(responses.map((r) => [r.kind, JSON.parse(r.row).value_json])).toEqual([
      ['I', JSON.stringify(values[0])],
      ['U', JSON.stringify(values[5])],
    ]);
    a.close();
    b.close();
    c.close();
    // Together or one by one, on either thread: the same rows, and the same changes of each table
    // in the same order (a run's log rows come before its responses in the change log).
    const [da, db, dc] = [dump(fa), dump(fb), dump(fc)];
    const byTable = (d: Record<string, unknown[]>) =>
      (d.outbox as { tbl: string; kind: string; row: string }[])
        .map(({ tbl, kind, row }) => ({ tbl, kind, row }))
        .sort((x, y) => x.tbl.localeCompare(y.tbl));
    for (const t of Object.keys(da).filter((t) => t !== 'outbox')) {
      expect(db[t], t).toEqual(da[t]);
      expect(dc[t], t).toEqual(da[t]);
    }
    expect(byTable(db)).toEqual(byTable(da));
    expect(dc.outbox).toEqual(da.outbox);
  });

  it('a lock held by another program: refused with SQLITE_BUSY, nothing stored, the event loop runs meanwhile; stored once the lock is gone', async () => {
    const f = file();
    const r = new Records(f);
    const ops = classDay();
    r.apply(ops.slice(0, 1));
    expect(await writeOnThread(r, ops.slice(1, 3))).toBeNull();
    r.setBusyTimeout(300);
    const other = new Database(f);
    other.exec('BEGIN IMMEDIATE');
    let turns = 0;
    const ticking = setInterval(() => turns++, 5);
    const started = Date.now();
    const error = (await writeOnThread(r, ops.slice(3, 5))) as { code: string };
    clearInterval(ticking);
    expect(error.code).toBe('SQLITE_BUSY');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // The main thread was not blocked while the thread waited for the lock.
    expect(turns).toBeGreaterThanOrEqual(10);
    other.exec('ROLLBACK');
    other.close();
    expect(r.db.prepare('SELECT COUNT(*) AS n FROM attendance').get()).toEqual({ n: 1 });
    expect(await writeOnThread(r, ops.slice(3, 5))).toBeNull();
    expect(r.db.prepare('SELECT COUNT(*) AS n FROM attendance').get()).toEqual({ n: 2 });
    r.close();
  });

  it('the first write starts the thread and is declined as starting (nothing taken); a file in memory has no thread', async () => {
    const r = new Records(file());
    const ops = classDay();
    r.apply(ops.slice(0, 1));
    let called = false;
    expect(r.writeOffThread(ops.slice(1, 3), () => (called = true))).toBe('starting');
    expect(await writeOnThread(r, ops.slice(1, 3))).toBeNull();
    expect(called).toBe(false);
    r.close();
    const m = new Records(':memory:');
    expect(m.writeOffThread(ops.slice(0, 1), () => undefined)).toBe(false);
    m.close();
  });

  it('waiting for a write blocks until it is stored, with its callback run; close waits for it too', async () => {
    const f = file();
    const r = new Records(f);
    const ops = classDay();
    r.apply(ops.slice(0, 1));
    await writeOnThread(r, ops.slice(1, 3));
    for (let round = 0; round < 3; round++) {
      let result: unknown = 'pending';
      expect(r.writeOffThread(ops.slice(3 + 2 * round, 5 + 2 * round), (e) => (result = e))).toBe(
        true,
      );
      expect(result).toBe('pending');
      r.waitOffThread();
      expect(result).toBeNull();
    }
    let last: unknown = 'pending';
    expect(r.writeOffThread(ops.slice(9, 11), (e) => (last = e))).toBe(true);
    r.close();
    expect(last).toBeNull();
    expect(dump(f).attendance.length).toBeGreaterThanOrEqual(4);
  });

  it('polling ends a write the thread has finished, without the event loop; it never blocks', async () => {
    const f = file();
    const r = new Records(f);
    const ops = classDay();
    r.apply(ops.slice(0, 1));
    await writeOnThread(r, ops.slice(1, 3));
    let result: unknown = 'pending';
    expect(r.writeOffThread(ops.slice(3, 5), (e) => (result = e))).toBe(true);
    // Polled at once, the write is (almost surely) still going: nothing happens, nothing waits.
    const t0 = performance.now();
    r.pollOffThread();
    const pollMs = performance.now() - t0;
    // The thread's reply arrives while this thread never yields to its event loop (a flood of
    // messages read in one poll): polling takes it.
    const limit = Date.now() + 10_000;
    while (result === 'pending' && Date.now() < limit) r.pollOffThread();
    expect(result).toBeNull();
    expect(pollMs).toBeLessThan(1_000);
    expect(dump(f).attendance.length).toBeGreaterThanOrEqual(2);
    // Nothing in flight: polling does nothing.
    r.pollOffThread();
    r.close();
  });
});
