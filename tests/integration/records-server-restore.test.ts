/**
 * A laptop restored from a backup (against the academy records server on a real PostgreSQL): it
 * starts a new replication epoch above the server and loses nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { enrolConsole } from '../../main/records-server/roles';
import type { TestPostgres } from '../helpers/postgres';
import { MIN, officers, recordClass } from '../helpers/class-records';
import { runner, startRecordsServer, until, upToDate } from '../helpers/records-server';
import type { RecordsServer } from '../helpers/records-server';

let rs: RecordsServer;
let server: TestPostgres;
let admin: pg.Client;
const folder = () => rs.folder();
const DAY1 = Date.UTC(2026, 2, 3, 14);

beforeAll(async () => {
  rs = await startRecordsServer();
  ({ server, admin } = rs);
});
afterAll(async () => {
  await rs?.stop();
});

describe('a console restored from a backup', () => {
  it('a laptop restored from a backup starts a new epoch above the server and loses nothing', async () => {
    const enrolment = await enrolConsole(admin, 'Room 4', server.url);
    const dir = folder();
    const file = path.join(dir, 'muster.sqlite');
    let records = new Records(file);
    recordClass(records, { id: 'D1', start: DAY1 + 60 * MIN * 24, officers: officers(5, 'D') });
    let r = runner(records, enrolment.url);
    await until('the first class to be sent', upToDate(records, r));
    await r.stop();
    // The backup, taken now; then another class that reaches the server.
    records.db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = path.join(dir, 'backup.sqlite');
    await records.db.backup(backup);
    recordClass(records, { id: 'D2', start: DAY1 + 60 * MIN * 48, officers: officers(5, 'E') });
    r = runner(records, enrolment.url);
    await until('the second class to be sent', upToDate(records, r));
    await r.stop();
    const serverHwm = replicationState(records.db).last;
    records.close();
    // The laptop is restored from the backup and used for a third class.
    fs.copyFileSync(backup, file);
    for (const ext of ['-wal', '-shm']) fs.rmSync(file + ext, { force: true });
    records = new Records(file);
    const epoch = replicationState(records.db).epoch;
    recordClass(records, { id: 'D3', start: DAY1 + 60 * MIN * 72, officers: officers(5, 'F') });
    // The same numbers the server already has from the class the backup never saw: only the digest tells them apart.
    expect(replicationState(records.db).last).toBe(serverHwm);
    r = runner(records, enrolment.url);
    await until('the restored laptop to be up to date', upToDate(records, r));
    expect(r.status().error).toMatch(/restored or copied/);
    await r.stop();
    expect(replicationState(records.db).epoch).not.toBe(epoch);
    const ids = (
      await admin.query(`SELECT id FROM muster.sessions WHERE console = $1 ORDER BY id`, [
        enrolment.login,
      ])
    ).rows.map((x) => x.id);
    expect(ids).toEqual(['D1', 'D2', 'D3']);
    const d3 = (
      await admin.query(
        `SELECT count(*)::int AS n FROM muster.responses WHERE console = $1 AND session_id = 'D3'`,
        [enrolment.login],
      )
    ).rows[0].n;
    expect(d3).toBe(
      records.db.prepare(`SELECT COUNT(*) FROM responses WHERE session_id = 'D3'`).pluck().get(),
    );
    records.close();
  });
});
