/**
 * What `muster records-server init|enrol|revoke|staff|serve` do, for the academy's administrator.
 * Their options (and --help) are defined in usage.ts, which loads none of this (nor pg) until a
 * command runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Department } from '../records/department';
import { ExportProfiles } from '../../shared/export-profiles';
import { initSchema, markAllDirty } from './schema';
import { createStaffLogin, enrolConsole, revokeConsole } from './roles';
import { Deriver } from './derive';
import { startOffice } from './office';
import { usageError } from '../cli-usage';

/** Every subcommand's --database (or MUSTER_RECORDS_DATABASE: commander requires one of them). */
interface Db {
  database: string;
}

const withClient = async <T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: url, application_name: 'muster-records-server' });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
};

/** The address consoles are given: --public-url, else the database URL without its login. */
function publicUrl(database: string, given?: string): string {
  const u = new URL(given ?? database);
  u.username = '';
  u.password = '';
  return u.toString();
}

export async function init(
  o: Db & { department?: string; exportProfiles?: string },
): Promise<number> {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
  const dept = o.department === undefined ? undefined : Department.parse(read(o.department));
  // The roster layouts the records office offers (a console's settings.json `exportProfiles`); the shipped ones without it.
  const profiles =
    o.exportProfiles === undefined ? undefined : ExportProfiles.parse(read(o.exportProfiles));
  await withClient(o.database, async (c) => {
    await initSchema(c);
    if (profiles)
      await c.query(
        `INSERT INTO muster.settings (key, value) VALUES ('exportProfiles', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [JSON.stringify(profiles)],
      );
    if (dept) {
      await c.query(
        `INSERT INTO muster.settings (key, value) VALUES ('department', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [JSON.stringify(dept)],
      );
      // Every session's results follow the new profile (the deriver redoes them).
      await markAllDirty(c);
    }
  });
  console.log(
    `The records database is ready${dept ? ' (department profile saved; results are derived again)' : ''}${profiles ? ` (${profiles.length} export profile${profiles.length === 1 ? '' : 's'} saved)` : ''}.`,
  );
  return 0;
}

export async function enrol(o: Db & { room: string; publicUrl?: string }): Promise<number> {
  const e = await withClient(o.database, (c) =>
    enrolConsole(c, o.room, publicUrl(o.database, o.publicUrl)),
  );
  console.log(`Console "${e.room}" enrolled as ${e.login}.`);
  console.log(
    `On that console: Records → Records server → paste this line (it holds the password; it is shown only now):`,
  );
  console.log(`  ${e.url}`);
  return 0;
}

export async function revoke(o: Db & { room?: string; name?: string }): Promise<number> {
  const which = o.room ?? o.name;
  if (!which) throw usageError('--room NAME (or the login) is required');
  const gone = await withClient(o.database, (c) => revokeConsole(c, which));
  if (!gone.length) throw new Error(`no enrolled console "${which}"`);
  for (const g of gone) console.log(`Revoked ${g.login} (${g.room}); its records stay.`);
  return 0;
}

export async function staff(o: Db & { name: string; publicUrl?: string }): Promise<number> {
  const s = await withClient(o.database, (c) =>
    createStaffLogin(c, o.name, publicUrl(o.database, o.publicUrl)),
  );
  console.log(`Read-only login ${s.login} (password shown only now): ${s.password}`);
  console.log(`Records office page: sign in with it. A BI tool: ${s.url}`);
  return 0;
}

/** The records office page and the deriver, until Ctrl+C; `staticDir` holds the built pages. */
export async function serve(
  o: Db & { port: number; host?: string; secureCookie?: boolean },
  staticDir: string,
): Promise<number> {
  const { database, port } = o;
  const pool = new pg.Pool({
    connectionString: database,
    max: 6,
    application_name: 'muster-records-office',
  });
  pool.on('error', (e) => console.error(`records server: ${e.message}`));
  await withClient(database, async (c) => {
    const ok = await c.query(`SELECT to_regclass('muster.change_log') IS NOT NULL AS ok`);
    if (!ok.rows[0].ok)
      throw new Error(
        'the records database has no schema yet: run `muster records-server init` first',
      );
  });
  const deriver = new Deriver(
    pool,
    () => new pg.Client({ connectionString: database, application_name: 'muster-deriver' }),
    { log: (m) => console.error(m) },
  );
  deriver.start();
  const office = await startOffice({
    pool,
    database,
    staticDir,
    port,
    host: o.host,
    secureCookie: o.secureCookie ?? false,
  });
  console.log(
    `Records office: http://${o.host ?? 'localhost'}:${office.port}/office/ (sign in with a staff login). Ctrl+C stops it.`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await office.close();
  await deriver.stop();
  await pool.end();
  return 0;
}
