/**
 * The records office's web page, served by `muster records-server serve`: Muster's Records view
 * (the console's own component) over the records database, every room and year, behind a login.
 *
 * Records staff sign in with their PostgreSQL staff login (`records-server staff --name …`, a
 * member of muster_staff): the password is checked by PostgreSQL itself, and a signed-in browser
 * holds only a random session id in an HttpOnly, SameSite=Strict cookie (8 hours). Failed sign-ins
 * are limited per address. Every route answers like the console's records API:
 *
 *   GET  /office/                               the page          POST /api/login {user, password}
 *   GET  /api/me                                who is signed in  POST /api/logout
 *   GET  /api/records/sessions?from&to&course&room   GET /api/records/rooms   GET /api/department
 *   GET  /api/trainees?q=   /api/trainees/<id>/history   /api/trainees/<id>/history.xlsx
 *   GET  /api/roster.xlsx|.csv|.pdf?from&to&course&room&profile   GET /api/export-profiles
 *   GET  /api/weak-spots?…   /api/weak-spots.xlsx?…
 *   GET  /api/sessions/<id>/export.xlsx | sign-in.pdf | results.pdf | <Sheet>.csv  (the console's exports, run on the session read back)
 *
 * Times are the academy department's local time (`records-server init --department`); the roster
 * is laid out by the academy's export profiles (`--export-profiles`), else the shipped ones.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { buildExport, finishExport } from '../records/export-job';
import type { ExportJob } from '../records/export-job';
import {
  renderPdf,
  rosterPdfOf,
  rosterPrint,
  toCsv,
  traineeHistorySheets,
  weakSpotsSheets,
  writeXlsx,
} from '../records/export';
import type { ExportOptions } from '../records/export';
import { departmentProfile } from '../records/department';
import { profilesReply } from '../server/records-api';
import type { ExportProfile } from '../../shared/export-profiles';
import { academyDepartment } from './derive';
import { loadSession } from './load';
import {
  officeHistory,
  officeRooms,
  officeRoster,
  officeRosterSheets,
  officeSearch,
  officeSessions,
  officeWeakSpots,
  sessionConsole,
} from './queries';
import type { SessionFilter } from './queries';
import { STAFF_ROLE } from './schema';
import { MusterError, errorDetail, isMusterError } from '../../shared/errors';

const SESSION_MS = 8 * 3600_000;
const FAILS_PER_MINUTE = 5;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF_TYPE = 'application/pdf';
const CSV_TYPE = 'text/csv; charset=utf-8';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface OfficeOptions {
  pool: pg.Pool;
  /** How staff logins are checked: the records database's address (user and password are the staff member's). */
  database: string;
  staticDir: string;
  port: number;
  host?: string;
  /** Behind an HTTPS proxy: the cookie is sent over HTTPS only. */
  secureCookie?: boolean;
  log?: (m: string) => void;
}

export interface RunningOffice {
  port: number;
  close(): Promise<void>;
}

const Login = z
  .object({ user: z.string().trim().min(1).max(63), password: z.string().min(1).max(200) })
  .strict();

function reply(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(buf);
}
const text = (res: http.ServerResponse, status: number, message: string) =>
  reply(res, status, 'text/plain; charset=utf-8', message);
const json = (res: http.ServerResponse, value: unknown, status = 200) =>
  reply(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
const attachment = (name: string) => ({
  'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '-')}"`,
});

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new MusterError('body-too-large', `the body is larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const cookieOf = (req: http.IncomingMessage) =>
  /(?:^|;\s*)muster_office=([A-Za-z0-9_-]{20,64})/.exec(req.headers.cookie ?? '')?.[1] ?? null;
const filterOf = (url: URL): SessionFilter => ({
  from: url.searchParams.get('from'),
  to: url.searchParams.get('to'),
  course: url.searchParams.get('course'),
  room: url.searchParams.get('room'),
});

/** The academy's export profiles (`records-server init --export-profiles`), undefined for the shipped ones. */
async function academyProfiles(client: pg.ClientBase): Promise<ExportProfile[] | undefined> {
  const r = await client.query<{ value: ExportProfile[] }>(
    `SELECT value FROM muster.settings WHERE key = 'exportProfiles'`,
  );
  return r.rows[0]?.value;
}

/** Checks a staff login against PostgreSQL: the password, and membership of the staff role. */
async function checkStaff(database: string, user: string, password: string): Promise<boolean> {
  const u = new URL(database);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const r = await c.query<{ ok: boolean }>(
      `SELECT pg_has_role(current_user, $1, 'MEMBER') AS ok`,
      [STAFF_ROLE],
    );
    return r.rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function startOffice(o: OfficeOptions): Promise<RunningOffice> {
  const sessions = new Map<string, { user: string; until: number }>();
  const fails = new Map<string, number[]>();
  const log = o.log ?? ((m: string) => console.error(m));
  const page = path.join(o.staticDir, 'office', 'index.html');
  const assets = path.resolve(o.staticDir, 'assets') + path.sep;

  const who = (req: http.IncomingMessage): string | null => {
    const id = cookieOf(req);
    const s = id ? sessions.get(id) : undefined;
    if (!s || s.until < Date.now()) return null;
    return s.user;
  };

  async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const addr = req.socket.remoteAddress ?? '';
    const recent = (fails.get(addr) ?? []).filter((t) => t > Date.now() - 60_000);
    if (recent.length >= FAILS_PER_MINUTE)
      return text(res, 429, 'too many failed sign-ins; wait a minute');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return text(res, 415, 'send JSON');
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, 4096));
    } catch {
      return text(res, 400, 'send JSON: {"user": …, "password": …}');
    }
    const p = Login.safeParse(body);
    if (!p.success) return text(res, 400, 'give a user name and a password');
    if (!(await checkStaff(o.database, p.data.user, p.data.password))) {
      fails.set(addr, [...recent, Date.now()]);
      return text(res, 401, 'wrong user name or password, or not a records staff login');
    }
    const id = crypto.randomBytes(24).toString('base64url');
    sessions.set(id, { user: p.data.user, until: Date.now() + SESSION_MS });
    const secure = o.secureCookie ? '; Secure' : '';
    reply(res, 200, 'application/json; charset=utf-8', JSON.stringify({ user: p.data.user }), {
      'Set-Cookie': `muster_office=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure}`,
    });
  }

  async function api(url: URL, res: http.ServerResponse): Promise<void> {
    const p = url.pathname;
    const client = await o.pool.connect();
    try {
      const department = await academyDepartment(client);
      const profiles = await academyProfiles(client);
      const opts: ExportOptions = { department, profiles };
      if (p === '/api/records/sessions')
        return json(res, await officeSessions(client, filterOf(url), opts));
      if (p === '/api/records/rooms') return json(res, await officeRooms(client));
      if (p === '/api/department')
        return json(res, { department, profile: departmentProfile(department) });
      if (p === '/api/export-profiles') return json(res, profilesReply(profiles));
      if (p === '/api/trainees') {
        const q = url.searchParams.get('q') ?? '';
        return json(res, { q, results: await officeSearch(client, q) });
      }
      const history = /^\/api\/trainees\/([^/]+)\/(history|history\.xlsx)$/.exec(p);
      if (history) {
        const officerId = decodeURIComponent(history[1]).trim();
        if (!officerId || officerId.length > 64)
          return text(res, 400, 'an officer ID has 1 to 64 characters');
        const h = await officeHistory(client, officerId, opts);
        if (!h.sessions.length) return text(res, 404, `no sessions for officer ID ${officerId}`);
        if (history[2] === 'history') return json(res, h);
        return reply(
          res,
          200,
          XLSX_TYPE,
          writeXlsx(traineeHistorySheets(h, opts), {
            footerLeft: `Training history — ${h.name} (${h.officerId})`,
          }),
          attachment(`muster-history-${officerId}.xlsx`),
        );
      }
      const f = filterOf(url);
      const span = `${f.from || 'start'}-to-${f.to || 'today'}`;
      const roster = /^\/api\/roster\.(xlsx|csv|pdf)$/.exec(p);
      if (roster) {
        const profile = url.searchParams.get('profile') || null;
        if (profile !== null && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(profile))
          return text(res, 400, 'profile: not a profile id');
        const ro = { ...opts, profile };
        const name = `muster-roster-${profile ? `${profile}-` : ''}${span}.${roster[1]}`;
        if (roster[1] === 'pdf')
          return reply(
            res,
            200,
            PDF_TYPE,
            Buffer.from(await renderPdf(rosterPdfOf(await officeRoster(client, f, ro), f, ro))),
            attachment(name),
          );
        const sheets = await officeRosterSheets(client, f, ro);
        if (roster[1] === 'csv')
          return reply(res, 200, CSV_TYPE, toCsv(sheets[0]), attachment(name));
        return reply(res, 200, XLSX_TYPE, writeXlsx(sheets, rosterPrint(f)), attachment(name));
      }
      const range = {
        footerLeft: 'Weak spots',
        footerCenter: `${f.from || 'start'} to ${f.to || 'today'}`,
      };
      if (p === '/api/weak-spots') return json(res, await officeWeakSpots(client, f, opts));
      if (p === '/api/weak-spots.xlsx')
        return reply(
          res,
          200,
          XLSX_TYPE,
          writeXlsx(weakSpotsSheets(await officeWeakSpots(client, f, opts)), range),
          attachment(`muster-weak-spots-${span}.xlsx`),
        );
      const file = /^\/api\/sessions\/([0-9A-Za-z][0-9A-Za-z_-]{0,63})\/([^/]+)$/.exec(p);
      if (file) {
        const what = decodeURIComponent(file[2]);
        const csv = /^([A-Za-z0-9 &_-]{1,40})\.csv$/.exec(what);
        const job: ExportJob | null =
          what === 'export.xlsx'
            ? { kind: 'session-workbook', sessionId: file[1] }
            : what === 'sign-in.pdf'
              ? { kind: 'sign-in', sessionId: file[1] }
              : what === 'results.pdf'
                ? { kind: 'results-pdf', sessionId: file[1] }
                : csv
                  ? { kind: 'session-csv', sessionId: file[1], sheet: csv[1] }
                  : null;
        if (!job) return text(res, 404, 'not found');
        const login = await sessionConsole(client, file[1]);
        const loaded = login ? await loadSession(client, login, file[1], { pretests: true }) : null;
        if (!loaded) return text(res, 404, 'no such session');
        // Everything is read from the copy at once; only a PDF is rendered after it is closed.
        let built;
        try {
          built = buildExport(loaded.records, job, opts);
        } finally {
          loaded.records.close();
        }
        const out = await finishExport(built);
        if (!out.ok) return text(res, out.status, out.message);
        const stem = `muster-${file[1].slice(0, 8)}`;
        const type =
          job.kind === 'session-workbook'
            ? XLSX_TYPE
            : job.kind === 'session-csv'
              ? CSV_TYPE
              : PDF_TYPE;
        const name =
          job.kind === 'session-workbook'
            ? `${stem}.xlsx`
            : job.kind === 'sign-in'
              ? `${stem}-sign-in.pdf`
              : job.kind === 'results-pdf'
                ? `${stem}-results.pdf`
                : `${stem}-${csv![1].toLowerCase()}.csv`;
        return reply(res, 200, type, Buffer.from(out.body), attachment(name));
      }
      text(res, 404, 'not found');
    } finally {
      client.release();
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://office');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const handle = async () => {
      if (req.method === 'POST' && url.pathname === '/api/login') return login(req, res);
      if (req.method === 'POST' && url.pathname === '/api/logout') {
        const id = cookieOf(req);
        if (id) sessions.delete(id);
        return reply(res, 204, 'text/plain', '', {
          'Set-Cookie': 'muster_office=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
        });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return text(res, 405, 'method not allowed');
      if (url.pathname === '/' || url.pathname === '/office')
        return reply(res, 302, 'text/plain', '', { Location: '/office/' });
      if (url.pathname === '/office/')
        return reply(res, 200, 'text/html; charset=utf-8', fs.readFileSync(page));
      if (url.pathname === '/favicon.ico') return reply(res, 204, 'text/plain', '');
      if (url.pathname.startsWith('/assets/')) {
        const file = path.resolve(
          o.staticDir,
          decodeURIComponent(url.pathname).replace(/^\/+/, ''),
        );
        if (!file.startsWith(assets) || !fs.existsSync(file)) return text(res, 404, 'not found');
        return reply(
          res,
          200,
          MIME[path.extname(file)] ?? 'application/octet-stream',
          fs.readFileSync(file),
          { 'Cache-Control': 'public, max-age=31536000, immutable' },
        );
      }
      if (!url.pathname.startsWith('/api/')) return text(res, 404, 'not found');
      const user = who(req);
      if (url.pathname === '/api/me') return user ? json(res, { user }) : text(res, 401, 'sign in');
      if (!user) return text(res, 401, 'sign in first');
      return api(url, res);
    };
    handle().catch((e: unknown) => {
      if (isMusterError(e, 'date-range') || isMusterError(e, 'unknown-profile'))
        return text(res, e.status, e.message);
      if (e instanceof URIError) return text(res, 400, 'malformed address');
      log(`records office: ${url.pathname}: ${errorDetail(e)}`);
      if (!res.headersSent) text(res, 500, 'that failed; see the server log');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
