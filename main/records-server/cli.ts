/**
 * `muster records-server …`, for the academy's administrator:
 *   init   --database URL [--department FILE] [--export-profiles FILE]   create or update the schema (run after every upgrade)
 *   enrol  --database URL --room NAME [--public-url URL]   a console's login; prints the line the console needs
 *   revoke --database URL --room NAME|LOGIN          end a console's login (its records stay)
 *   staff  --database URL --name NAME [--public-url URL]   a read-only login: the records office page, a BI tool
 *   serve  --database URL [--port N] [--host H] [--secure-cookie]   the records office page, and the deriver
 * The database URL may come from MUSTER_RECORDS_DATABASE instead (keeps the password off the process list).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Department } from '../records/department';
import { ExportProfiles } from '../../shared/export-profiles';
import { initSchema, markAllDirty } from './schema';
import { createStaffLogin, enrolConsole, revokeConsole } from './roles';
import { Deriver } from './derive';
import { startOffice } from './office';
import { RECORDS_SERVER_USAGE } from './usage';


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

export async function recordsServer(argv: string[], staticDir: string): Promise<number> {
  const [cmd, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      database: { type: 'string' },
      department: { type: 'string' },
      'export-profiles': { type: 'string' },
      room: { type: 'string' },
      name: { type: 'string' },
      'public-url': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'secure-cookie': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const database = values.database ?? process.env.MUSTER_RECORDS_DATABASE;
  if (!cmd || !['init', 'enrol', 'revoke', 'staff', 'serve'].includes(cmd)) {
    console.error(RECORDS_SERVER_USAGE);
    return 2;
  }
  if (!database) throw new Error('--database URL (or MUSTER_RECORDS_DATABASE) is required: postgres://admin@host/muster');
  switch (cmd) {
    case 'init': {
      const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
      const dept = values.department === undefined ? undefined : Department.parse(read(values.department));
      // The roster layouts the records office offers (a console's settings.json `exportProfiles`); the shipped ones without it.
      const profiles = values['export-profiles'] === undefined ? undefined : ExportProfiles.parse(read(values['export-profiles']));
      await withClient(database, async (c) => {
        await initSchema(c);
        if (profiles) await c.query(`INSERT INTO muster.settings (key, value) VALUES ('exportProfiles', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [JSON.stringify(profiles)]);
        if (dept) {
          await c.query(`INSERT INTO muster.settings (key, value) VALUES ('department', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [JSON.stringify(dept)]);
          // Every session's results follow the new profile (the deriver redoes them).
          await markAllDirty(c);
        }
      });
      console.log(`The records database is ready${dept ? ' (department profile saved; results are derived again)' : ''}${profiles ? ` (${profiles.length} export profile${profiles.length === 1 ? '' : 's'} saved)` : ''}.`);
      return 0;
    }
    case 'enrol': {
      if (!values.room) throw new Error('--room NAME is required (e.g. --room "Room 3")');
      const e = await withClient(database, (c) => enrolConsole(c, values.room!, publicUrl(database, values['public-url'])));
      console.log(`Console "${e.room}" enrolled as ${e.login}.`);
      console.log(`On that console: Records → Records server → paste this line (it holds the password; it is shown only now):`);
      console.log(`  ${e.url}`);
      return 0;
    }
    case 'revoke': {
      const which = values.room ?? values.name;
      if (!which) throw new Error('--room NAME (or the login) is required');
      const gone = await withClient(database, (c) => revokeConsole(c, which));
      if (!gone.length) throw new Error(`no enrolled console "${which}"`);
      for (const g of gone) console.log(`Revoked ${g.login} (${g.room}); its records stay.`);
      return 0;
    }
    case 'staff': {
      if (!values.name) throw new Error('--name NAME is required');
      const s = await withClient(database, (c) => createStaffLogin(c, values.name!, publicUrl(database, values['public-url'])));
      console.log(`Read-only login ${s.login} (password shown only now): ${s.password}`);
      console.log(`Records office page: sign in with it. A BI tool: ${s.url}`);
      return 0;
    }
    case 'serve': {
      const port = Number(values.port ?? 8090);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
      const pool = new pg.Pool({ connectionString: database, max: 6, application_name: 'muster-records-office' });
      pool.on('error', (e) => console.error(`records server: ${e.message}`));
      await withClient(database, async (c) => {
        const ok = await c.query(`SELECT to_regclass('muster.change_log') IS NOT NULL AS ok`);
        if (!ok.rows[0].ok) throw new Error('the records database has no schema yet: run `muster records-server init` first');
      });
      const deriver = new Deriver(pool, () => new pg.Client({ connectionString: database, application_name: 'muster-deriver' }), { log: (m) => console.error(m) });
      deriver.start();
      const office = await startOffice({ pool, database, staticDir, port, host: values.host, secureCookie: values['secure-cookie'] });
      console.log(`Records office: http://${values.host ?? 'localhost'}:${office.port}/office/ (sign in with a staff login). Ctrl+C stops it.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await office.close();
      await deriver.stop();
      await pool.end();
      return 0;
    }
  }
  return 2;
}
