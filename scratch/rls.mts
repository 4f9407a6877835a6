import pg from 'pg';
import { startPostgres } from '../tests/helpers/postgres';
import { initSchema } from '../main/records-server/schema';
import { enrolConsole } from '../main/records-server/roles';
const srv = await startPostgres({ fast: true });
const admin = new pg.Client(srv.url); await admin.connect();
await initSchema(admin);
const e = await enrolConsole(admin, 'Room 3', srv.url);
const c = new pg.Client(e.url); await c.connect();
for (const sql of [
 `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest) VALUES (current_user, 1, 'e', 'x', 'I', '{}', 'd')`,
 `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest) VALUES (current_user, 2, 'e', 'x', 'I', '{}', 'd') ON CONFLICT DO NOTHING`,
 `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest) VALUES (current_user, 3, 'e', 'x', 'I', '{}', 'd') ON CONFLICT (console, seq) DO NOTHING`,
]) { try { await c.query(sql); console.log('ok'); } catch (err) { console.log((err as Error).message); } }
await c.end(); await admin.end(); await srv.stop();
