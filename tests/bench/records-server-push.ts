/**
 * The records server benchmark's push rate (tests/bench/records-server.ts): a class day pushed by
 * the real pusher thread, rows/s including the server's apply, beside the floor: the same batches
 * inserted into a bare table (no trigger, no row-level security).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { PushRunner } from '../../main/records/push/push-runner';
import { enrolConsole } from '../../main/records-server/roles';
import { officers, recordClass } from '../helpers/class-records';
import { now, round, until } from './records-server-measure';

export async function pushRate(url: string, admin: pg.Client) {
  const e = await enrolConsole(admin, 'Bench room', url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-push-'));
  const records = new Records(path.join(dir, 'muster.sqlite'));
  const answers = recordClass(records, {
    id: 'PUSH',
    start: Date.UTC(2025, 5, 2, 13),
    officers: officers(300),
    questions: 40,
    batch: 2000,
  });
  const changes = replicationState(records.db).waiting;
  const runner = new PushRunner({
    records,
    url: e.url,
    isBusy: () => false,
    batchSize: Number(process.env.BENCH_BATCH ?? 1000),
    pollMs: 20,
  });
  const t0 = now();
  runner.start();
  await until(
    'the class day to be pushed',
    () => runner.status().state === 'up-to-date' && replicationState(records.db).waiting === 0,
  );
  const ms = now() - t0;
  await runner.stop();
  // The floor: the same rows in the same batches into a bare table, no trigger, no row-level security.
  await admin.query(
    `CREATE TABLE bench_floor (console name, seq bigint, epoch text, tbl text, kind char(1), row jsonb, digest text, PRIMARY KEY (console, seq))`,
  );
  const rows = (
    await admin.query(
      `SELECT seq, tbl, kind, row::text AS row FROM muster.change_log WHERE console = $1 ORDER BY seq`,
      [e.login],
    )
  ).rows;
  const f0 = now();
  for (let i = 0; i < rows.length; i += 1000) {
    const b = rows.slice(i, i + 1000);
    await admin.query(
      `INSERT INTO bench_floor SELECT current_user, b.seq, 'e', b.tbl, b.kind, b.row::jsonb, md5(b.tbl || b.kind || b.row)
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS b(seq, tbl, kind, row) ON CONFLICT DO NOTHING`,
      [b.map((r) => r.seq), b.map((r) => r.tbl), b.map((r) => r.kind), b.map((r) => r.row)],
    );
  }
  const floorMs = now() - f0;
  records.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    classDay: `${300} trainees × 40 questions`,
    answers,
    changes,
    seconds: round(ms / 1000),
    rowsPerSecond: Math.round(changes / (ms / 1000)),
    floorRowsPerSecond: Math.round(rows.length / (floorMs / 1000)),
  };
}
