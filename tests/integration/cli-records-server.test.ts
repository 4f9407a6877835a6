/**
 * `muster records-server …` through the built command against a real PostgreSQL: every option
 * reaches what it sets (the department profile and export profiles saved by init, the room and
 * public URL of an enrolment, a staff login, a revocation), the database comes from --database or
 * from MUSTER_RECORDS_DATABASE, and `serve` serves the records office page until SIGTERM, then exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_PROFILES } from '../../shared/export-profiles';
import { muster, requireBuild, startMuster } from '../helpers/cli';
import { startPostgres } from '../helpers/postgres';
import type { TestPostgres } from '../helpers/postgres';

let server: TestPostgres;
let admin: pg.Client;
let dir: string;

beforeAll(async () => {
  requireBuild();
  server = await startPostgres({ fast: true });
  admin = new pg.Client(server.url);
  await admin.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cli-rs-'));
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const setting = async (key: string): Promise<unknown> =>
  (await admin.query(`SELECT value FROM muster.settings WHERE key = $1`, [key])).rows[0]?.value;

describe('muster records-server', () => {
  it('init saves the department and export profiles it is given; enrol, staff and revoke act on the database', async () => {
    const env = { MUSTER_RECORDS_DATABASE: server.url };
    const department = { agency: 'Lakeside Regional Academy', officerIdLabel: 'POST ID' };
    const profiles = [{ ...SHIPPED_PROFILES[0], id: 'lakeside', name: 'Lakeside roster' }];
    fs.writeFileSync(path.join(dir, 'department.json'), JSON.stringify(department));
    fs.writeFileSync(path.join(dir, 'profiles.json'), JSON.stringify(profiles));

    const init = await muster(
      [
        'records-server',
        'init',
        '--department',
        path.join(dir, 'department.json'),
        '--export-profiles',
        path.join(dir, 'profiles.json'),
      ],
      env,
    );
    expect(init.stderr).toBe('');
    expect(init).toMatchObject({
      status: 0,
      stdout:
        'The records database is ready (department profile saved; results are derived again) (1 export profile saved).\n',
    });
    expect(await setting('department')).toEqual(department);
    expect(await setting('exportProfiles')).toEqual(profiles);

    // --database on the command line, and the address consoles are given instead of it.
    const enrol = await muster([
      'records-server',
      'enrol',
      '--database',
      server.url,
      '--room',
      'Room 3',
      '--public-url',
      'postgres://records.academy.test:5432/muster',
    ]);
    expect(enrol.status).toBe(0);
    const login = /^Console "Room 3" enrolled as (\S+)\.$/m.exec(enrol.stdout)?.[1];
    expect(login).toBeTruthy();
    expect(enrol.stdout).toMatch(
      new RegExp(`^  postgres://${login}:[^@]+@records\\.academy\\.test:5432/muster`, 'm'),
    );
    expect(
      (
        await admin.query(
          `SELECT room FROM muster.consoles WHERE login = $1 AND revoked_at IS NULL`,
          [login],
        )
      ).rows,
    ).toEqual([{ room: 'Room 3' }]);

    const staff = await muster(['records-server', 'staff', '--name', 'Records office'], env);
    expect(staff.status).toBe(0);
    const staffLogin = /^Read-only login (\S+) \(password shown only now\): \S+$/m.exec(
      staff.stdout,
    )?.[1];
    expect(
      (await admin.query(`SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, [staffLogin])).rows,
    ).toEqual([{ rolcanlogin: true }]);

    const revoke = await muster(['records-server', 'revoke', '--room', 'Room 3'], env);
    expect(revoke).toMatchObject({
      status: 0,
      stdout: `Revoked ${login} (Room 3); its records stay.\n`,
    });
    expect(
      (await admin.query(`SELECT count(*)::int AS n FROM muster.consoles WHERE revoked_at IS NULL`))
        .rows,
    ).toEqual([{ n: 0 }]);
    // Nothing left to revoke: a failure (exit 1), not a usage error.
    const again = await muster(['records-server', 'revoke', '--room', 'Room 3'], env);
    expect(again).toMatchObject({ status: 1, stderr: 'muster: no enrolled console "Room 3"\n' });
  });

  it('serve: the records office page on the port asked for, until SIGTERM', async () => {
    const proc = startMuster(['records-server', 'serve', '--port', '0', '--host', '127.0.0.1'], {
      MUSTER_RECORDS_DATABASE: server.url,
    });
    const exited = new Promise<number | null>((resolve) =>
      proc.once('exit', (code) => resolve(code)),
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: proc.stdout! }).once('line', resolve);
        exited.then((code) =>
          reject(new Error(`records-server serve exited (${code}) before it was ready`)),
        );
      });
      const url = /^Records office: (http:\/\/127\.0\.0\.1:\d+\/office\/) /.exec(line)?.[1];
      expect(url, line).toBeTruthy();
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
