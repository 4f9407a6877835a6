/**
 * The academy records server for tests: a throwaway PostgreSQL cluster with the schema (initialised
 * twice, as after an upgrade) and two enrolled consoles; console data folders removed afterwards;
 * a push runner on a real worker thread; and a check that the server holds a console's records.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import type { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { REPLICATED } from '../../main/records/replicated';
import { PushRunner } from '../../main/records/push/push-runner';
import { initSchema } from '../../main/records-server/schema';
import { enrolConsole } from '../../main/records-server/roles';
import type { Enrolment } from '../../main/records-server/roles';
import { startPostgres } from './postgres';
import type { TestPostgres } from './postgres';

export interface RecordsServer {
  server: TestPostgres;
  admin: pg.Client;
  room1: Enrolment;
  room2: Enrolment;
  /** A new console data folder, removed at stop. */
  folder(): string;
  stop(): Promise<void>;
}

export async function startRecordsServer(): Promise<RecordsServer> {
  const dirs: string[] = [];
  const server = await startPostgres({ fast: true });
  const admin = new pg.Client(server.url);
  await admin.connect();
  await initSchema(admin);
  // Init again, as after an upgrade: nothing changes, nothing fails.
  await initSchema(admin);
  const room1 = await enrolConsole(admin, 'Room 1', server.url);
  const room2 = await enrolConsole(admin, 'Room 2', server.url);
  return {
    server,
    admin,
    room1,
    room2,
    folder: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-console-'));
      dirs.push(d);
      return d;
    },
    async stop() {
      await admin.end();
      await server.stop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Waits for a condition, polling; fails with `what` after 30 s. */
export async function until(what: string, f: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function runner(
  records: Records,
  url: string,
  o: { batchSize?: number; busy?: () => boolean } = {},
): PushRunner {
  const r = new PushRunner({
    records,
    url,
    isBusy: o.busy ?? (() => false),
    batchSize: o.batchSize ?? 100,
    pollMs: 50,
    backoffMs: 20,
    maxBackoffMs: 200,
  });
  r.start();
  return r;
}

export const upToDate = (records: Records, r: PushRunner) => () =>
  r.status().state === 'up-to-date' && replicationState(records.db).waiting === 0;

/** A table's rows as comparable JSON lines (integers as numbers, whatever the driver gave). */
function canon(t: (typeof REPLICATED)[number], rows: Record<string, unknown>[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(
        Object.keys(t.columns).map((c) =>
          r[c] === null || t.columns[c] === 'text' ? r[c] : Number(r[c]),
        ),
      ),
    )
    .sort();
}

export async function expectSameRecords(
  admin: pg.Client,
  records: Records,
  login: string,
): Promise<void> {
  for (const t of REPLICATED) {
    const local = records.db.prepare(`SELECT * FROM ${t.name}`).all() as Record<string, unknown>[];
    const remote = (await admin.query(`SELECT * FROM muster.${t.name} WHERE console = $1`, [login]))
      .rows as Record<string, unknown>[];
    expect(canon(t, remote), `${t.name} of ${login}`).toEqual(canon(t, local));
  }
}
