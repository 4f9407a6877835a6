// Every byte from the network is hostile: 16,000 random requests — methods, paths, percent-encodings,
// versions, headers, bodies, upgrades, with and without the token — at both listeners over raw TCP
// (so nothing is tidied up on the way), and then the same server still runs a class.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';

const REQUESTS = 16_000;
const PARALLEL = 24;

/** A small seeded generator, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const ROUTES = [
  '/',
  '//',
  '///x',
  '/join',
  '/join/',
  '/join/?room=123456',
  '/favicon.ico',
  '/assets/',
  '/assets/%ZZ',
  '/assets/..%2f..%2fpackage.json',
  '/assets/index.js.map',
  '/assets/%00',
  '/courses/demo/images/x.png',
  '/courses/%2e%2e/x.png',
  '/courses/demo/%E0%A4%A.png',
  '/console',
  '/console/',
  '/projector/',
  '/api/sessions',
  '/api/sessions/abc/export.xlsx',
  '/api/sessions/%ZZ/Scores.csv',
  '/api/sessions/x/sign-in.pdf',
  '/api/trainees?q=%',
  '/api/trainees/%ZZ/history',
  '/api/trainees/00417/history.xlsx',
  '/api/roster.xlsx?from=2026-13-45&to=x',
  '/api/weak-spots?from=%',
  '/api/records/sessions',
  '/api/decks/%E0%A4%A/x',
  '/api/decks/demo/01-welcome.md',
  '/api/import/pdf/start',
  '/api/import/pdf/page?upload=x&n=1',
  '/api/import/pdf/finish?upload=%',
  '/api/roster/preview?name=%ZZ',
  '/api/roster/import?mapping=%7B',
  '/api/sessions/x/attendance',
  '/api/sessions/x/attendance-corrections',
  '/api/department',
  '/ws/trainee',
  '/ws/instructor?role=console',
  '/ws/instructor?role=projector&token=x',
  '*',
  'http://evil.example/',
  '//evil.example/x',
  '/\\..\\x',
];
const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'get',
  'G E T',
  '',
  'GET\u0000',
  'PROPFIND',
  'X'.repeat(300),
];
const VERSIONS = [
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/9',
  'HTTP/1.1 extra',
  '',
  'http/1.1',
];
const CONTENT_TYPES = [
  'application/json',
  'text/csv',
  'image/png',
  'image/jpeg',
  'multipart/form-data; boundary=x',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '',
  '\u00ff',
  'text/plain; charset=utf-8',
];

function randomText(r: Rng, max: number): string {
  const alphabets = [
    'abcXYZ019',
    '%/.?&=#;:@[]{}<>"\'\\ ',
    '\u0000\u0001\u007f\u00a0\u200b\u202e\ufeff',
    'éß漢字🙂',
    '%2e%2f%5c%00%ZZ%E0%A4%A%',
  ];
  let out = '';
  const n = r.int(max);
  for (let i = 0; i < n; i++) out += r.pick(alphabets)[r.int(10)] ?? '';
  return out;
}

function mutatePath(r: Rng, p: string, token: string): string {
  let path = p;
  const steps = r.int(4);
  for (let i = 0; i < steps; i++) {
    const at = r.int(path.length + 1);
    const insert = r.pick([
      '%',
      '%Z',
      '%ZZ',
      '%2e%2e/',
      '../',
      '//',
      '%00',
      '%E0%A4%A',
      '?',
      '#',
      '&token=',
      randomText(r, 20),
      'x'.repeat(r.int(3) === 0 ? 9000 : 10),
    ]);
    path = path.slice(0, at) + insert + path.slice(at);
  }
  if (r.chance(0.5))
    path += `${path.includes('?') ? '&' : '?'}token=${r.chance(0.7) ? token : randomText(r, 40)}`;
  return path;
}

function randomRequest(r: Rng, host: string, token: string): Buffer {
  if (r.chance(0.03)) return Buffer.from(randomText(r, 400)); // not HTTP at all
  // A quarter are well-formed requests for real routes (with the token), so the fuzz reaches the
  // handlers behind the checks, and the rest of the mix hits them in between.
  if (r.chance(0.25)) {
    const path = r.pick(ROUTES.filter((x) => x.startsWith('/')));
    return Buffer.from(
      `GET ${path}${path.includes('?') ? '&' : '?'}token=${token} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
  }
  const method = r.pick(METHODS);
  const path = r.chance(0.85) ? mutatePath(r, r.pick(ROUTES), token) : randomText(r, 200);
  const lines = [`${method} ${path} ${r.pick(VERSIONS)}`];
  const hostHeader = r.chance(0.8)
    ? host
    : r.pick([
        'evil.example',
        '',
        'localhost',
        `${host}\r\nX-Injected: 1`,
        'x'.repeat(5000),
        '127.0.0.1:1',
      ]);
  if (r.chance(0.95)) lines.push(`Host: ${hostHeader}`);
  if (r.chance(0.3))
    lines.push(
      `Origin: ${r.pick([`http://${host}`, 'http://evil.example', 'null', randomText(r, 30)])}`,
    );
  if (r.chance(0.4)) lines.push(`X-Muster-Token: ${r.chance(0.7) ? token : randomText(r, 30)}`);
  if (r.chance(0.3)) lines.push(`Content-Type: ${r.pick(CONTENT_TYPES)}`);
  if (r.chance(0.2))
    lines.push(
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${r.chance(0.7) ? 'dGhlIHNhbXBsZSBub25jZQ==' : randomText(r, 30)}`,
      `Sec-WebSocket-Version: ${r.pick(['13', '8', 'x'])}`,
    );
  else lines.push('Connection: close');
  if (r.chance(0.1))
    for (let i = 0; i < r.int(150); i++) lines.push(`X-H${i}: ${randomText(r, 20)}`);
  if (r.chance(0.1)) lines.push(`${randomText(r, 20)}: ${randomText(r, 50)}`);
  let body = '';
  if (r.chance(0.4)) {
    body = r.pick([
      '{}',
      '{"title":"x","pages":1}',
      '{"title":',
      '[1,2',
      'null',
      '{"__proto__":{"x":1}}',
      randomText(r, 2000),
      '\u0089PNG\r\n\u001a\n',
      '{"agency":"A"}',
    ]);
    const len = r.pick([
      'exact',
      'exact',
      'short',
      'long',
      'negative',
      'huge',
      'chunked',
      'none',
      'double',
    ]);
    if (len === 'exact') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    if (len === 'short') lines.push(`Content-Length: ${Math.max(0, Buffer.byteLength(body) - 3)}`);
    if (len === 'long') lines.push(`Content-Length: ${Buffer.byteLength(body) + 50}`);
    if (len === 'negative') lines.push('Content-Length: -5');
    if (len === 'huge') lines.push('Content-Length: 99999999999');
    if (len === 'double')
      lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Content-Length: 3');
    if (len === 'chunked') {
      lines.push('Transfer-Encoding: chunked');
      body = r.chance(0.5)
        ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`
        : `zz\r\n${body}\r\n`;
    }
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** Sends raw bytes, closes the sending side, and reads what comes back (the status, if any). */
function raw(port: number, bytes: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : null);
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (d) => {
      data += d.toString('latin1');
      // An accepted upgrade stays open: the status line is all we need.
      if (/^HTTP\/1\.1 101/.test(data)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.end(bytes));
  });
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

const counts = () =>
  readRecords(
    app.dataDir,
    `SELECT (SELECT COUNT(*) FROM sessions) s, (SELECT COUNT(*) FROM trainees) t, (SELECT COUNT(*) FROM answer_log) a, (SELECT COUNT(*) FROM audit_log) l, (SELECT COUNT(*) FROM roster_entries) r`,
  )[0];

describe('HTTP fuzz of both listeners', () => {
  it(`${REQUESTS.toLocaleString('en-US')} hostile requests: every one answered or closed, none a server error, nothing changed; the class then runs`, async () => {
    // A class is running while the room is fuzzed.
    const con = await openConsole(app.consoleBase, app.token);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const before = counts();
    const settingsBefore = JSON.stringify(
      await (await fetch(`${app.consoleBase}/api/department?token=${app.token}`)).json(),
    );

    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const statuses = new Map<string, number>();
    const serverErrors: string[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const lan = r.chance(0.5);
        const port = lan ? app.lanPort : app.consolePort;
        const bytes = randomRequest(r, `127.0.0.1:${port}`, app.token);
        const status = await raw(port, bytes);
        const key = status === null ? 'closed' : `${Math.floor(status / 100)}xx`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (status !== null && status >= 500 && status !== 503)
          serverErrors.push(
            `${status} ← ${bytes.toString('latin1').split('\r\n')[0].slice(0, 160)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));

    const summary = `seed ${seed}: ${JSON.stringify(Object.fromEntries(statuses))}`;
    expect(serverErrors, summary).toEqual([]);
    expect(
      app.logs.filter((l) => /failed|uncaught/.test(l)),
      summary,
    ).toEqual([]);
    // Most requests were answered, and some got through to real handlers (2xx) — the fuzz reached them.
    expect(statuses.get('4xx') ?? 0, summary).toBeGreaterThan(REQUESTS / 4);
    expect(statuses.get('2xx') ?? 0, summary).toBeGreaterThan(REQUESTS / 200);
    expect(counts(), summary).toEqual(before);
    expect(
      JSON.stringify(
        await (await fetch(`${app.consoleBase}/api/department?token=${app.token}`)).json(),
      ),
    ).toBe(settingsBefore);

    // The same server still runs the class: a phone joins, a question opens, the answer is stored.
    const pollIndex = app.classroom.engine.session!.deck.slides.findIndex(
      (s) => s.question?.type === 'single',
    );
    expect((await con.cmd({ type: 'goto', index: pollIndex })).ok).toBe(true);
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: '00417' });
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    const id = msgId();
    t.send({ t: 'answer', id, runId: app.classroom.engine.run!.runId, value: 'Nights' });
    await t.next((m) => m.t === 'ack' && m.id === id);
    expect(readRecords(app.dataDir, 'SELECT COUNT(*) AS n FROM answer_log')[0].n).toBe(1);
    await t.close();
    await con.close();
  }, 240_000);
});
