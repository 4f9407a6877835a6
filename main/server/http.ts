/**
 * Two listeners (DESIGN.md, Architecture):
 * - loopback (127.0.0.1): console and projector pages, the instructor socket and the API, all behind
 *   a per-launch secret token; Host and Origin must be this listener's own (no DNS rebinding).
 * - LAN (0.0.0.0 by default): only the trainee page and the trainee socket.
 * The instructor API is therefore not even reachable from the room's network.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { InstructorMessage, LIMITS, TraineeMessage, describeZodError } from '../../shared/protocol';
import type { Classroom, TraineeConn } from './classroom';
import { send } from './classroom';
import type { Records } from '../records/db';
import type { Department } from '../records/department';
import { handleRecords } from './records-api';
import { handleImport } from './import-api';
import { handleRoster } from './roster-api';
import { CORRECTIONS_PATH, handleAttendanceCorrection, handleAttendanceGet } from './attendance-api';
import { handleDepartmentGet, handleDepartmentPut } from './department-api';
import type { CourseAccess } from './import-api';
import { serveCourseFile } from './course-files';

export interface ServerOptions {
  classroom: Classroom;
  records: Records;
  /** Folder with the built pages (out/renderer). */
  staticDir: string;
  token: string;
  consolePort: number;
  lanPort: number;
  lanHost?: string;
  /** Course folders: images under /courses/…, and PDF import into <dataDir>/courses. */
  content?: CourseAccess;
  /** The department profile (settings) the records exports apply. */
  department?: () => Department | undefined;
  /** Saves the department profile (PUT /api/department); without it the profile is read-only. */
  setDepartment?: (d: Department) => void;
}

export interface RunningServer {
  consolePort: number;
  lanPort: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const HEARTBEAT_MS = 30_000;
/** Messages a socket may send per second, on average, before it is told to slow down. */
const RATE_PER_SECOND = 30;
/**
 * A burst a socket may send at once: a phone that took a whole self-paced test offline sends every
 * answer and its hand-in the moment it reconnects, and none of that should be turned away.
 */
const RATE_BURST = 120;

function securityHeaders(res: http.ServerResponse, wsOrigin: string): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ${wsOrigin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

function fail(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** Constant-time token check. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function serveFile(res: http.ServerResponse, file: string, head: boolean): void {
  fs.readFile(file, (err, data) => {
    if (err) return fail(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(head ? undefined : data);
  });
}

/** Serves /assets/… from the build folder, refusing anything that leaves it. */
function serveAsset(res: http.ServerResponse, staticDir: string, pathname: string, head: boolean): void {
  const rel = decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(staticDir, rel);
  if (!file.startsWith(path.resolve(staticDir, 'assets') + path.sep)) return fail(res, 404, 'not found');
  serveFile(res, file, head);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Rejects sockets that stop answering pings (a phone that left the Wi-Fi without a close). */
function heartbeat(wss: WebSocketServer): NodeJS.Timeout {
  const alive = new WeakSet<WebSocket>();
  wss.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  });
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return timer;
}

/** A token bucket: RATE_BURST at once, refilled at RATE_PER_SECOND. */
function rateLimiter(): () => boolean {
  let tokens = RATE_BURST;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(RATE_BURST, tokens + ((now - last) / 1000) * RATE_PER_SECOND);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const { classroom, records, staticDir, token } = o;
  let consolePort = 0;
  let lanPort = 0;
  const loopbackHosts = () => [`127.0.0.1:${consolePort}`, `localhost:${consolePort}`];
  const page = (name: string) => path.join(staticDir, name, 'index.html');

  // ---------------------------------------------------------------- loopback: console, projector, API
  const loopback = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Only our own host names: a page on another site that resolves to 127.0.0.1 gets nothing.
    if (!loopbackHosts().includes(req.headers.host ?? '')) return fail(res, 421, 'wrong host');
    securityHeaders(res, `ws://${req.headers.host}`);
    if (req.method === 'POST' && url.pathname === '/api/import/pdf') {
      if (!tokenMatches(req.headers['x-muster-token']?.toString() ?? url.searchParams.get('token'), token)) return fail(res, 401, 'this needs the console token');
      if (!o.content) return fail(res, 404, 'not found');
      return void handleImport(req, res, { ...o.content, classroom });
    }
    if (req.method === 'POST' && (url.pathname === '/api/roster/preview' || url.pathname === '/api/roster/import')) {
      if (!tokenMatches(req.headers['x-muster-token']?.toString() ?? url.searchParams.get('token'), token)) return fail(res, 401, 'this needs the console token');
      return void handleRoster(req, res, url, { classroom });
    }
    // Attendance corrections and the department profile: small JSON bodies (attendance-api.ts, department-api.ts).
    const correction = req.method === 'POST' ? CORRECTIONS_PATH.exec(url.pathname) : null;
    const departmentPut = req.method === 'PUT' && url.pathname === '/api/department';
    if (correction || departmentPut) {
      if (!tokenMatches(req.headers['x-muster-token']?.toString() ?? url.searchParams.get('token'), token)) return fail(res, 401, 'this needs the console token');
      if (correction) return void handleAttendanceCorrection(req, res, correction[1], records);
      if (!o.setDepartment) return fail(res, 405, 'the department profile cannot be changed here');
      return void handleDepartmentPut(req, res, { get: () => o.department?.(), set: o.setDepartment });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
    const head = req.method === 'HEAD';
    if (url.pathname.startsWith('/assets/')) return serveAsset(res, staticDir, url.pathname, head);
    // Course images: <img> cannot send the token; only image files inside a loaded course folder.
    if (url.pathname.startsWith('/courses/')) return serveCourseFile(res, url.pathname, head, o.content?.courseDir);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    const given = url.searchParams.get('token') ?? req.headers['x-muster-token']?.toString();
    if (!tokenMatches(given, token)) return fail(res, 401, 'this page needs the console link that Muster printed (with its token)');
    if (url.pathname === '/console/' || url.pathname === '/projector/') return serveFile(res, page(url.pathname.slice(1, -1)), head);
    if (url.pathname === '/console' || url.pathname === '/projector') {
      res.writeHead(302, { Location: `${url.pathname}/${url.search}` });
      return res.end();
    }
    // Exports, sign-in sheet, trainee search and history, roster, weak spots: records-api.ts.
    if (handleRecords(url, res, head, { records, department: o.department })) return;
    if (handleAttendanceGet(url, res, records)) return;
    if (url.pathname === '/api/department') return handleDepartmentGet(res, { get: () => o.department?.() });
    const deck = /^\/api\/decks\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (deck) {
      const preview = classroom.deckPreview(decodeURIComponent(deck[1]), decodeURIComponent(deck[2]));
      if (!preview) return fail(res, 404, 'no such deck');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(preview));
    }
    if (url.pathname === '/api/sessions') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(records.sessions()));
    }
    fail(res, 404, 'not found');
  });

  const instructorWss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxPayload });
  loopback.on('upgrade', (req, socket, headBuf) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const role = url.searchParams.get('role');
    const origin = req.headers.origin;
    const okHost = loopbackHosts().includes(req.headers.host ?? '');
    const okOrigin = origin === undefined || loopbackHosts().some((h) => origin === `http://${h}`);
    if (url.pathname !== '/ws/instructor' || !okHost || !okOrigin || !tokenMatches(url.searchParams.get('token'), token) || (role !== 'console' && role !== 'projector')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    instructorWss.handleUpgrade(req, socket, headBuf, (ws) => {
      const set = role === 'console' ? classroom.consoles : classroom.projectors;
      set.add(ws);
      ws.on('close', () => set.delete(ws));
      ws.on('error', () => ws.terminate());
      send(ws, role === 'console' ? classroom.consoleView() : classroom.projectorView());
      if (role !== 'console') {
        ws.on('message', () => send(ws, { t: 'error', code: 'forbidden', message: 'the projector only listens' }));
        return;
      }
      ws.on('message', (data, isBinary) => {
        const parsed = parseJson(data, isBinary);
        if (parsed === undefined) return send(ws, { t: 'error', code: 'invalid', message: 'messages are JSON text' });
        const m = InstructorMessage.safeParse(parsed);
        if (!m.success) return send(ws, { t: 'error', code: 'invalid', message: describeZodError(m.error), id: idOf(parsed) });
        classroom.handleCommand(ws, m.data.id, m.data.cmd);
      });
    });
  });

  // ---------------------------------------------------------------- LAN: trainee page and socket
  const lan = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    securityHeaders(res, `ws://${req.headers.host ?? ''}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
    const head = req.method === 'HEAD';
    if (url.pathname === '/' || url.pathname === '/join') {
      res.writeHead(302, { Location: `/join/${url.search}` });
      return res.end();
    }
    if (url.pathname === '/join/') return serveFile(res, page('trainee'), head);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    if (url.pathname.startsWith('/assets/')) return serveAsset(res, staticDir, url.pathname, head);
    fail(res, 404, 'not found');
  });
  const traineeWss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxPayload });
  lan.on('upgrade', (req, socket, headBuf) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    // Browsers always send Origin: it must be this very page's. (Other programs can lie about it,
    // which is why everything a trainee socket can do is limited to a trainee's own answers.)
    if (url.pathname !== '/ws/trainee' || (origin !== undefined && origin !== `http://${req.headers.host}`)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    traineeWss.handleUpgrade(req, socket, headBuf, (ws) => {
      const conn: TraineeConn = { ws, traineeId: null };
      classroom.trainees.add(conn);
      const allowed = rateLimiter();
      ws.on('close', () => classroom.traineeClosed(conn));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        const parsed = parseJson(data, isBinary);
        if (!allowed()) return send(ws, { t: 'error', code: 'rate', message: 'too many messages; slow down', id: idOf(parsed) });
        if (parsed === undefined) return send(ws, { t: 'error', code: 'invalid', message: 'messages are JSON text' });
        const m = TraineeMessage.safeParse(parsed);
        if (!m.success) return send(ws, { t: 'error', code: 'invalid', message: describeZodError(m.error), id: idOf(parsed) });
        classroom.handleTrainee(conn, m.data);
      });
    });
  });

  consolePort = await listen(loopback, o.consolePort, '127.0.0.1');
  lanPort = await listen(lan, o.lanPort, o.lanHost ?? '0.0.0.0');
  const timers = [heartbeat(instructorWss), heartbeat(traineeWss)];

  return {
    consolePort,
    lanPort,
    async close() {
      timers.forEach(clearInterval);
      for (const wss of [instructorWss, traineeWss]) for (const ws of wss.clients) ws.terminate();
      const closing = [loopback, lan].map((s) => new Promise<void>((r) => s.close(() => r())));
      loopback.closeAllConnections();
      lan.closeAllConnections();
      await Promise.all(closing);
    },
  };
}

function parseJson(data: unknown, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(String(data));
  } catch {
    return undefined;
  }
}

function idOf(v: unknown): string | undefined {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}
