/**
 * Who may do what on the records database: each console enrols with a PostgreSQL login of its
 * own (a member of muster_console: it may add its own changes and nothing else), `revoke` ends
 * one, and records staff (or a BI tool) get read-only logins (members of muster_staff).
 *
 * Passwords are generated here and sent to PostgreSQL as SCRAM-SHA-256 verifiers, never as
 * plain text, so they appear in no server log; the plain password is printed once, in the URL the
 * console (or the BI tool) is given.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { CONSOLE_ROLE, STAFF_ROLE } from './schema';

/** The PostgreSQL SCRAM-SHA-256 verifier of a password (what `password_encryption = scram-sha-256` stores). */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = crypto.randomBytes(16);
  const salted = crypto.pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) =>
    crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A login name from a room name: lower-case letters, digits and underscores, and a random tail. */
export function loginFor(prefix: string, label: string): string {
  const slug = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `${prefix}_${slug || 'x'}_${crypto.randomBytes(3).toString('hex')}`;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface Enrolment {
  login: string;
  password: string;
  room: string;
  /** The connection URL the console is given (host and database from `publicUrl`). */
  url: string;
}

/** The URL a login uses: the server's public address, with this login and password. */
export function loginUrl(publicUrl: string, login: string, password: string): string {
  const u = new URL(publicUrl);
  u.username = encodeURIComponent(login);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Creates a console's login for `room`. */
export async function enrolConsole(
  client: pg.ClientBase,
  room: string,
  publicUrl: string,
): Promise<Enrolment> {
  const name = room.trim();
  if (!name || name.length > 100) throw new Error('--room: a room name has 1 to 100 characters');
  const login = loginFor('muster_c', name);
  const password = crypto.randomBytes(24).toString('base64url');
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE ROLE ${quoteIdent(login)} LOGIN PASSWORD ${quoteLiteral(scramVerifier(password))} IN ROLE ${CONSOLE_ROLE}`,
    );
    // A console does nothing but insert: no statement of its may hold the server for long.
    await client.query(`ALTER ROLE ${quoteIdent(login)} SET statement_timeout = '60s'`);
    await client.query(`INSERT INTO muster.consoles (login, room) VALUES ($1, $2)`, [login, name]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return { login, password, room: name, url: loginUrl(publicUrl, login, password) };
}

/** Ends a console's login (by login name or room): it can no longer connect, and its open connections end. Its records stay. */
export async function revokeConsole(
  client: pg.ClientBase,
  which: string,
): Promise<{ login: string; room: string }[]> {
  const found = (
    await client.query<{ login: string; room: string }>(
      `SELECT login, room FROM muster.consoles WHERE (login = $1 OR room = $1) AND revoked_at IS NULL`,
      [which],
    )
  ).rows;
  for (const c of found) {
    await client.query(`ALTER ROLE ${quoteIdent(c.login)} NOLOGIN PASSWORD NULL`);
    await client.query(`REVOKE ${CONSOLE_ROLE} FROM ${quoteIdent(c.login)}`);
    await client.query(`UPDATE muster.consoles SET revoked_at = now() WHERE login = $1`, [c.login]);
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`,
      [c.login],
    );
  }
  return found;
}

/** A read-only login for records staff or a BI tool. */
export async function createStaffLogin(
  client: pg.ClientBase,
  name: string,
  publicUrl: string,
): Promise<{ login: string; password: string; url: string }> {
  if (!name.trim() || name.length > 60) throw new Error('--name: 1 to 60 characters');
  const login = loginFor('muster_s', name);
  const password = crypto.randomBytes(18).toString('base64url');
  await client.query(
    `CREATE ROLE ${quoteIdent(login)} LOGIN PASSWORD ${quoteLiteral(scramVerifier(password))} IN ROLE ${STAFF_ROLE}`,
  );
  await client.query(`ALTER ROLE ${quoteIdent(login)} SET default_transaction_read_only = on`);
  return { login, password, url: loginUrl(publicUrl, login, password) };
}
