// A room arriving is written in runs (main/records/write.ts, writeArrivals): each run's trainees,
// then their phones, then their attendance, one statement a table. Held here to an oracle written
// the plain way — one INSERT per operation, in the batch's order, with each value bound as it is —
// on this thread and on the writer thread: the same rows in every table, each table's changes in
// the same order in the change log, and no change of a phone or an attendance event before the
// trainee it names.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { planWrite } from '../../main/records/write';
import type { RecordOp } from '../../main/session/engine';
import { dump, recordsFiles, writeOnThread } from '../helpers/records-writing';

const { file, cleanup } = recordsFiles();
afterAll(cleanup);

const session: RecordOp = {
  op: 'session',
  id: 's1',
  roomCode: '123456',
  course: 'demo',
  courseTitle: 'Demo',
  courseNumber: null,
  creditHours: null,
  passMark: null,
  file: '01.md',
  title: 'Welcome',
  at: 1_733_450_000_000,
};

/** Awkward text as a phone may send it (quotes, backslashes, a lone surrogate, astral, RTL). */
const NAMES = [
  'Ana "Ace" Ortiz',
  'back\\slash \\u0041',
  'lone \ud800 surrogate',
  '𝄞 clef Ünïcödé',
  'שלום Smith',
  "O'Brien",
];

/**
 * A room arriving: each trainee with a phone and a join, a phone whose token comes again later in
 * the same batch (the later binding wins), a leave and a return in between.
 */
function arrivals(): RecordOp[] {
  const at = session.at + 1000;
  const ops: RecordOp[] = [];
  NAMES.forEach((name, i) => {
    const id = `s1-t${i}`;
    ops.push(
      {
        op: 'trainee',
        id,
        sessionId: 's1',
        name,
        officerId: `B${i}`,
        agency: `PD ${i}`,
        at: at + i,
      },
      { op: 'device', traineeId: id, tokenHash: `hash-${i}`, at: at + i },
      { op: 'attendance', sessionId: 's1', traineeId: id, event: 'join', at: at + i },
    );
    if (i === 2)
      ops.push({
        op: 'attendance',
        sessionId: 's1',
        traineeId: 's1-t0',
        event: 'leave',
        at: at + i,
      });
  });
  ops.push(
    { op: 'device', traineeId: 's1-t4', tokenHash: 'hash-0', at: at + 10 },
    { op: 'attendance', sessionId: 's1', traineeId: 's1-t0', event: 'return', at: at + 11 },
  );
  return ops;
}

/** The oracle: one plain INSERT per operation, in order, each value bound as it is. */
function writePlainly(f: string, ops: RecordOp[]): void {
  const r = new Records(f);
  r.apply([session]);
  r.close();
  const db = new Database(f);
  db.pragma('foreign_keys = ON');
  const trainee = db.prepare(
    'INSERT INTO trainees (id, session_id, name, officer_id, agency, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const device = db.prepare(
    'INSERT OR REPLACE INTO devices (token_hash, trainee_id, bound_at) VALUES (?, ?, ?)',
  );
  const attendance = db.prepare(
    'INSERT INTO attendance (session_id, trainee_id, event, at) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const op of ops)
      if (op.op === 'trainee')
        trainee.run(op.id, op.sessionId, op.name, op.officerId, op.agency, op.at);
      else if (op.op === 'device') device.run(op.tokenHash, op.traineeId, op.at);
      else if (op.op === 'attendance') attendance.run(op.sessionId, op.traineeId, op.event, op.at);
      else throw new Error(`not an arrival: ${op.op}`);
  })();
  db.close();
}

type Change = { seq: number; tbl: string; kind: string; row: string };
const changesOf = (d: Record<string, unknown[]>) => d.outbox as Change[];
/** Each table's changes, in their order: what the records server needs to hold the same rows. */
const byTable = (d: Record<string, unknown[]>) => {
  const out: Record<string, { kind: string; row: string }[]> = {};
  for (const { tbl, kind, row } of changesOf(d)) (out[tbl] ??= []).push({ kind, row });
  return out;
};

describe('a room arriving, written in runs', () => {
  it('plans one step per table for a run, in the order trainees, phones, attendance', () => {
    const ops = arrivals();
    const steps = planWrite(ops)!;
    expect(steps.map((s) => s[0])).toEqual(['trainees', 'devices', 'attendance']);
    const rows = steps.map((s) => JSON.parse(s[1] as string) as unknown[][]);
    expect(rows.map((r) => r.length)).toEqual([6, 7, 8]);
    // Another kind of operation ends a run: what comes after it is a run of its own.
    const split = planWrite([
      ...ops.slice(0, 3),
      { op: 'slide', sessionId: 's1', index: 1, at: 1 },
      ...ops.slice(3, 6),
    ])!;
    expect(split.map((s) => s[0])).toEqual([
      'trainees',
      'devices',
      'attendance',
      'slide',
      'trainees',
      'devices',
      'attendance',
    ]);
  });

  it('stores what one INSERT per operation stores, on this thread and on the writer thread', async () => {
    const ops = arrivals();
    const [plain, here, thread] = [file(), file(), file()];
    writePlainly(plain, ops);
    const a = new Records(here);
    a.apply([session]);
    a.apply(ops);
    a.close();
    const b = new Records(thread);
    b.apply([session]);
    expect(await writeOnThread(b, ops)).toBeNull();
    b.close();

    const [dp, da, db] = [dump(plain), dump(here), dump(thread)];
    for (const t of Object.keys(dp).filter((t) => t !== 'outbox')) {
      expect(da[t], t).toEqual(dp[t]);
      expect(db[t], t).toEqual(dp[t]);
    }
    expect(dp.trainees.map((t) => (t as { name: string }).name)).toEqual(
      // A lone surrogate is stored as SQLite stores it from either path (and read back replaced).
      NAMES.map((n) => n.replace('\ud800', '\ufffd\ufffd\ufffd')),
    );
    expect(dp.devices).toContainEqual({
      token_hash: 'hash-0',
      trainee_id: 's1-t4',
      bound_at: session.at + 1010,
      revoked_at: null,
    });
    expect(byTable(da)).toEqual(byTable(dp));
    expect(db.outbox).toEqual(da.outbox);

    // In the change log no phone or attendance row comes before the trainee it names.
    const seen = new Set<string>();
    for (const c of changesOf(da)) {
      const row = JSON.parse(c.row) as { id?: string; trainee_id?: string };
      if (c.tbl === 'trainees') seen.add(row.id!);
      else if (row.trainee_id) expect(seen.has(row.trainee_id), `${c.tbl} ${c.row}`).toBe(true);
    }
    expect(changesOf(da).map((c) => c.tbl)).not.toEqual(changesOf(dp).map((c) => c.tbl));
  });
});
