/**
 * The console's change log (main/records/outbox.ts) on real SQLite files: it is written in the
 * same transaction as the records, holds every column of every replicated table (and nothing of
 * the phones' tokens), replays into the same rows, survives a failed commit, is seeded for records
 * made before it existed, prunes what was acknowledged, and renumbers in a new epoch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { NOT_REPLICATED, REPLICATED } from '../../main/records/replicated';
import {
  acknowledge,
  newEpoch,
  outboxAfter,
  rangeDigest,
  replicationState,
  resendAllTo,
} from '../../main/records/outbox';
import { officers, recordClass } from '../helpers/class-records';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-outbox-'));
  dirs.push(d);
  return path.join(d, 'muster.sqlite');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Replays the outbox into an empty copy of the schema: latest change of each row wins. */
function replay(
  rows: { tbl: string; kind: string; row: string }[],
): Map<string, Map<string, Record<string, unknown>>> {
  const out = new Map<string, Map<string, Record<string, unknown>>>();
  for (const r of rows) {
    const t = REPLICATED.find((x) => x.name === r.tbl)!;
    const v = JSON.parse(r.row) as Record<string, unknown>;
    const key = JSON.stringify(t.key.map((k) => v[k]));
    const m = out.get(r.tbl) ?? new Map<string, Record<string, unknown>>();
    out.set(r.tbl, m);
    if (r.kind === 'D') m.delete(key);
    else m.set(key, v);
  }
  return out;
}

describe('the outbox', () => {
  it('covers every column of every record table except the phone tokens', () => {
    const records = new Records(':memory:');
    const tables = records.db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('outbox', 'replication')`,
      )
      .pluck()
      .all() as string[];
    expect(new Set(tables)).toEqual(
      new Set([...REPLICATED.map((t) => t.name), ...Object.keys(NOT_REPLICATED)]),
    );
    for (const t of REPLICATED) {
      const cols = (
        records.db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]
      ).map((c) => c.name);
      expect(Object.keys(t.columns), t.name).toEqual(cols);
    }
    records.close();
  });

  it('replays into exactly the records, with no token hash anywhere', () => {
    const file = tmp();
    const records = new Records(file);
    recordClass(records, {
      id: 'S1',
      start: Date.UTC(2025, 4, 6, 13),
      officers: officers(7),
      pretest: true,
      posttest: true,
    });
    const rows = outboxAfter(records.db, 0, 1e9);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.some((r) => r.row.includes('hash-S1'))).toBe(false);
    const replayed = replay(rows);
    for (const t of REPLICATED) {
      const actual = records.db.prepare(`SELECT * FROM ${t.name}`).all() as Record<
        string,
        unknown
      >[];
      expect(actual.length, t.name).toBeGreaterThan(0);
      const got = [...(replayed.get(t.name)?.values() ?? [])];
      const sort = (xs: Record<string, unknown>[]) => xs.map((x) => JSON.stringify(x)).sort();
      expect(sort(got), t.name).toEqual(sort(actual));
    }
    records.close();
  });

  it('writes nothing when the records commit fails', () => {
    const records = new Records(':memory:');
    recordClass(records, { id: 'S1', start: Date.UTC(2025, 4, 6, 13), officers: officers(3) });
    const before = replicationState(records.db).last;
    // A trainee in a session that does not exist: the foreign key fails the whole batch.
    expect(() =>
      records.apply([
        { op: 'attendance', sessionId: 'S1', traineeId: 'S1-t0', event: 'leave', at: 1 },
        { op: 'trainee', id: 'x', sessionId: 'nope', name: 'X', officerId: '1', agency: '', at: 1 },
      ]),
    ).toThrow();
    expect(replicationState(records.db).last).toBe(before);
    records.close();
  });

  it('is seeded once with the records a console had before the outbox existed', () => {
    const file = tmp();
    const records = new Records(file);
    recordClass(records, { id: 'OLD', start: Date.UTC(2024, 1, 1, 13), officers: officers(4) });
    const expected = REPLICATED.reduce(
      (n, t) => n + (records.db.prepare(`SELECT COUNT(*) FROM ${t.name}`).pluck().get() as number),
      0,
    );
    records.close();
    // Back to the schema before the outbox (version 10), as a laptop from before this release has it.
    const db = new Database(file);
    db.exec(
      `DROP TABLE outbox; DROP TABLE replication; ${REPLICATED.flatMap((t) => ['i', 'u', 'd'].map((k) => `DROP TRIGGER outbox_${t.name}_${k};`)).join(' ')}`,
    );
    db.pragma('user_version = 10');
    db.close();
    const again = new Records(file);
    const rows = outboxAfter(again.db, 0, 1e9);
    expect(rows.length).toBe(expected);
    expect(rows.every((r) => r.kind === 'I')).toBe(true);
    again.close();
    expect(outboxAfter(new Records(file).db, 0, 1e9).length).toBe(expected);
  });

  it('prunes what the server acknowledged, a chunk at a time', () => {
    const records = new Records(':memory:');
    recordClass(records, { id: 'S1', start: Date.UTC(2025, 4, 6, 13), officers: officers(5) });
    const s = replicationState(records.db);
    expect(s.waiting).toBe(s.last);
    expect(acknowledge(records.db, 30, 10)).toBe(1);
    expect(outboxAfter(records.db, 0, 1)[0].seq).toBe(11);
    while (acknowledge(records.db, 30, 10));
    expect(outboxAfter(records.db, 0, 1)[0].seq).toBe(31);
    expect(replicationState(records.db)).toMatchObject({ acked: 30, waiting: s.last - 30 });
    records.close();
  });

  it('moves unsent changes above the server in a new epoch, order kept', () => {
    const records = new Records(':memory:');
    recordClass(records, { id: 'S1', start: Date.UTC(2025, 4, 6, 13), officers: officers(5) });
    acknowledge(records.db, 20);
    const before = replicationState(records.db);
    const digest = rangeDigest(records.db, 20, before.last);
    const rows = outboxAfter(records.db, 20, 1e9);
    const { epoch, from } = newEpoch(records.db, before.last + 500);
    expect(epoch).not.toBe(before.epoch);
    expect(from).toBe(before.last + 501);
    const moved = outboxAfter(records.db, 0, 1e9);
    expect(moved.map((r) => r.seq)).toEqual(rows.map((_, i) => from + i));
    expect(moved.map((r) => r.row)).toEqual(rows.map((r) => r.row));
    expect(rangeDigest(records.db, from - 1, from - 1 + rows.length)).toBe(digest);
    // The next change is numbered after them.
    records.apply([{ op: 'slide', sessionId: 'S1', index: 3, at: 1 }]);
    expect(outboxAfter(records.db, 0, 1e9).at(-1)!.seq).toBe(from + rows.length);
    records.close();
  });

  it('sends everything again, from 1, to a new login', () => {
    const records = new Records(':memory:');
    recordClass(records, { id: 'S1', start: Date.UTC(2025, 4, 6, 13), officers: officers(3) });
    const all = outboxAfter(records.db, 0, 1e9).length;
    resendAllTo(records.db, 'muster_c_one');
    expect(outboxAfter(records.db, 0, 1e9).length).toBe(all);
    acknowledge(records.db, all);
    resendAllTo(records.db, 'muster_c_two');
    const again = outboxAfter(records.db, 0, 1e9);
    expect(again[0].seq).toBe(1);
    expect(again.every((r) => r.kind === 'I')).toBe(true);
    expect(replicationState(records.db)).toMatchObject({ acked: 0, login: 'muster_c_two' });
    records.close();
  });
});
