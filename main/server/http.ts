/**
 * Two listeners:
 * - loopback (127.0.0.1): console and projector pages, the instructor socket and the API, all behind
 *   a per-launch secret token; Host and Origin must be this listener's own (no DNS rebinding).
 * - LAN (0.0.0.0 by default): only the trainee page and the trainee socket; the socket's Host and
 *   Origin must be one of this computer's own addresses.
 * The instructor API is therefore not even reachable from the room's network.
 *
 * Every request and every socket message runs inside one error boundary (guard.ts): malformed input
 * gets a 4xx or an error reply and changes nothing; nothing a client sends can end the process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import {
  InstructorMessage,
  LIMITS,
  TraineeMessage,
  describeZodError,
  quickAnswer,
  quickJoin,
} from '../../shared/protocol';
import type { Classroom } from './classroom';
import type { TraineeConn } from './presence';
import { send } from './fanout';
import type { Records } from '../records/db';
import type { Department } from '../records/department';
import type { ProfilesAccess } from './profiles-api';
import type { CourseAccess } from './import-api';
import { fail, guarded, guardedMessage, hardenListener, refuseUpgrade, requestUrl } from './guard';
import type { Log } from './guard';
import { serveAsset, serveFile } from './static-files';
import { AddressCap, HEARTBEAT_MS, SOCKETS_PER_ADDRESS, heartbeat, rateLimiter } from './sockets';
import type { RecordsServerLink } from '../records/push/link';
import { securityHeaders } from './security-headers';
import { tokenMatches } from './console-token';
import { consoleRoutes } from './console-routes';

export interface ServerOptions {
  classroom: Classroom;
  records: Records;
  /** Folder with the built pages (out/renderer). */
  staticDir: string;
  token: string;
  consolePort: number;
  lanPort: number;
  lanHost?: string;
  /** This computer's addresses phones may use (the trainee socket's Host and Origin must be one). */
  hosts: () => string[];
  /** Course folders: images under /courses/…, and PDF import into <dataDir>/courses. */
  content?: CourseAccess;
  /** The department profile (settings) the records exports apply. */
  department?: () => Department | undefined;
  /** Saves the department profile (PUT /api/department); without it the profile is read-only. */
  setDepartment?: (d: Department) => void;
  /** The export profiles (settings) the certification roster is laid out by; PUT /api/export-profiles saves them. */
  exportProfiles?: ProfilesAccess;
  /** Ping interval of both socket servers (default 30 s); tests run it fast. */
  heartbeatMs?: number;
  /** Open sockets one address may hold on the LAN listener (loopback is not capped). */
  socketsPerAddress?: number;
  log?: Log;
  /** The link to the academy records server (GET/PUT/DELETE /api/records-server). */
  recordsServer?: RecordsServerLink;
}

export interface RunningServer {
  consolePort: number;
  lanPort: number;
  close(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const defaultLog: Log = (m, e) => console.error(`[muster] ${m}`, e ?? '');

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const { classroom, staticDir, token } = o;
  const log = o.log ?? defaultLog;
  let consolePort = 0;
  let lanPort = 0;
  const loopbackHosts = () => [`127.0.0.1:${consolePort}`, `localhost:${consolePort}`];
  const lanHosts = () => [...o.hosts(), '127.0.0.1', 'localhost'].map((h) => `${h}:${lanPort}`);
  const page = (name: string) => path.join(staticDir, name, 'index.html');
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;

  // ---------------------------------------------------------------- loopback: console, projector, API
  // The pages and the API: console-routes.ts.
  const loopback = http.createServer(
    guarded(log, 'console listener', consoleRoutes(o, loopbackHosts, page)),
  );
  hardenListener(loopback, { requestTimeoutMs: 120_000, log });

  const instructorWss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxPayload,
    perMessageDeflate: false,
  });
  const instructorBeat = heartbeat(instructorWss, heartbeatMs);
  loopback.on('upgrade', (req, socket, headBuf) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req.url);
      const role = url?.searchParams.get('role');
      const origin = req.headers.origin;
      const okHost = loopbackHosts().includes(req.headers.host ?? '');
      const okOrigin =
        origin === undefined || loopbackHosts().some((h) => origin === `http://${h}`);
      if (
        !url ||
        url.pathname !== '/ws/instructor' ||
        !okHost ||
        !okOrigin ||
        !tokenMatches(url.searchParams.get('token'), token) ||
        (role !== 'console' && role !== 'projector')
      )
        return refuseUpgrade(socket, 403, 'Forbidden');
      instructorWss.handleUpgrade(req, socket, headBuf, (ws) => {
        const set = role === 'console' ? classroom.consoles : classroom.projectors;
        set.add(ws);
        ws.on('close', () => set.delete(ws));
        ws.on('error', () => ws.terminate());
        if (role === 'console') classroom.greetConsole(ws);
        else send(ws, classroom.projectorView());
        if (role !== 'console') {
          instructorBeat.track(ws, () =>
            send(ws, { t: 'error', code: 'forbidden', message: 'the projector only listens' }),
          );
          return;
        }
        instructorBeat.track(ws, (data, isBinary) =>
          guardedMessage(
            log,
            'console socket',
            () => {
              const parsed = parseJson(data, isBinary);
              if (parsed === undefined)
                return send(ws, { t: 'error', code: 'invalid', message: 'messages are JSON text' });
              const m = InstructorMessage.safeParse(parsed);
              if (!m.success)
                return send(ws, {
                  t: 'error',
                  code: 'invalid',
                  message: describeZodError(m.error),
                  id: idOf(parsed),
                });
              classroom.handleCommand(ws, m.data.id, m.data.cmd);
            },
            (message) => send(ws, { t: 'error', code: 'server', message }),
          ),
        );
      });
    } catch (e) {
      log('console upgrade failed', e);
      refuseUpgrade(socket, 400, 'Bad Request');
    }
  });

  // ---------------------------------------------------------------- LAN: trainee page and socket
  const lan = http.createServer(
    guarded(log, 'room listener', (req, res) => {
      const url = requestUrl(req.url);
      if (!url) {
        log(
          `room listener: refused a malformed request target (${JSON.stringify(String(req.url).slice(0, 120))})`,
        );
        return fail(res, 400, 'malformed request target');
      }
      const host = req.headers.host ?? '';
      securityHeaders(res, /^[A-Za-z0-9.:[\]-]{1,100}$/.test(host) ? `ws://${host}` : "'self'");
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return fail(res, 405, 'method not allowed');
      const head = req.method === 'HEAD';
      if (url.pathname === '/' || url.pathname === '/join') {
        res.writeHead(302, { Location: `/join/${url.search}` });
        return void res.end();
      }
      if (url.pathname === '/join/') return serveFile(req, res, page('trainee'), head);
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      if (url.pathname.startsWith('/assets/'))
        return serveAsset(req, res, staticDir, url.pathname, head, false);
      fail(res, 404, 'not found');
    }),
  );
  hardenListener(lan, { requestTimeoutMs: 30_000, log });

  const traineeWss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxPayload,
    perMessageDeflate: false,
  });
  const traineeBeat = heartbeat(traineeWss, heartbeatMs);
  const perAddress = new AddressCap(o.socketsPerAddress ?? SOCKETS_PER_ADDRESS);
  lan.on('upgrade', (req, socket, headBuf) => {
    socket.on('error', () => socket.destroy());
    try {
      // The phones' own address, exactly, needs no parsing (a room joining at once is thousands of these).
      const target = req.url === '/ws/trainee' ? req.url : requestUrl(req.url)?.pathname;
      const origin = req.headers.origin;
      // The Host must be one of this computer's own addresses, and a browser's Origin the page's own:
      // a web page elsewhere whose name was made to resolve to this laptop (DNS rebinding) gets nothing.
      // (Programs can lie about both, which is why everything a trainee socket can do is limited to a
      // trainee's own answers.)
      const hosts = lanHosts();
      const okHost = hosts.includes(req.headers.host ?? '');
      const okOrigin = origin === undefined || hosts.some((h) => origin === `http://${h}`);
      if (target !== '/ws/trainee' || !okHost || !okOrigin)
        return refuseUpgrade(socket, 403, 'Forbidden');
      const address = req.socket.remoteAddress ?? '';
      if (!perAddress.take(address)) return refuseUpgrade(socket, 429, 'Too Many Connections');
      traineeWss.handleUpgrade(req, socket, headBuf, (ws) => {
        const conn: TraineeConn = { ws, traineeId: null, address };
        classroom.trainees.add(conn);
        const allowed = rateLimiter();
        ws.on('close', () => {
          perAddress.release(address);
          guardedMessage(
            log,
            'room socket close',
            () => classroom.traineeClosed(conn),
            () => undefined,
          );
        });
        ws.on('error', () => ws.terminate());
        traineeBeat.track(ws, (data, isBinary) =>
          guardedMessage(
            log,
            'room socket',
            () => {
              const parsed = parseJson(data, isBinary);
              if (!allowed())
                return send(ws, {
                  t: 'error',
                  code: 'rate',
                  message: 'too many messages; slow down',
                  id: idOf(parsed),
                });
              if (parsed === undefined)
                return send(ws, { t: 'error', code: 'invalid', message: 'messages are JSON text' });
              // A class answering or joining at once: those two messages' own checks first,
              // zod for all else (and for the words of every refusal).
              const quick = quickAnswer(parsed) ?? quickJoin(parsed);
              if (quick) return classroom.handleTrainee(conn, quick);
              const m = TraineeMessage.safeParse(parsed);
              if (!m.success)
                return send(ws, {
                  t: 'error',
                  code: 'invalid',
                  message: describeZodError(m.error),
                  id: idOf(parsed),
                });
              classroom.handleTrainee(conn, m.data);
            },
            (message) =>
              send(ws, {
                t: 'error',
                code: 'server',
                message,
                id: idOf(parseJson(data, isBinary)),
              }),
          ),
        );
      });
    } catch (e) {
      log('room upgrade failed', e);
      refuseUpgrade(socket, 400, 'Bad Request');
    }
  });

  consolePort = await listen(loopback, o.consolePort, '127.0.0.1');
  lanPort = await listen(lan, o.lanPort, o.lanHost ?? '0.0.0.0');

  return {
    consolePort,
    lanPort,
    async close() {
      instructorBeat.stop();
      traineeBeat.stop();
      // Every socket's close handler runs (a phone's leave is recorded) before this resolves.
      const sockets = [...instructorWss.clients, ...traineeWss.clients].map(
        (ws) =>
          new Promise<void>((r) =>
            ws.readyState === ws.CLOSED ? r() : ws.once('close', () => r()),
          ),
      );
      for (const wss of [instructorWss, traineeWss]) for (const ws of wss.clients) ws.terminate();
      const closing = [loopback, lan].map((s) => new Promise<void>((r) => s.close(() => r())));
      closing.push(...sockets);
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
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}
