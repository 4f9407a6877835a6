import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { clientErrorReply, hardenListener } from '../../main/server/guard';

/**
 * A hardened listener with its timers shortened (Node checks its connections every
 * `connectionsCheckingInterval`; the room's listeners use Node's 30 s and a 10 s header limit).
 * What matters to a phone: a connection its browser opened ahead of need and left idle is timed
 * out with 408, which browsers answer by sending their request again on a new connection; a 400
 * there ended a phone's page reload with an error page.
 */
const HEADERS_MS = 400;
const CHECK_MS = 200;
let server: http.Server;
let port = 0;
const logged: string[] = [];

beforeAll(async () => {
  server = http.createServer({ connectionsCheckingInterval: CHECK_MS }, (_req, res) =>
    res.end('ok'),
  );
  hardenListener(server, {
    requestTimeoutMs: 2_000,
    headersTimeoutMs: HEADERS_MS,
    log: (m) => logged.push(m),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Opens a raw connection, writes `parts` with `gapMs` between them, and returns all it reads until closed. */
function rawExchange(parts: string[], gapMs: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    let text = '';
    sock.on('data', (b) => (text += String(b)));
    sock.on('error', reject);
    sock.on('close', () => resolve({ text, ms: Date.now() - started }));
    let i = 0;
    const next = () => {
      if (i >= parts.length || sock.destroyed) return;
      sock.write(parts[i++]);
      setTimeout(next, gapMs);
    };
    sock.on('connect', next);
  });
}

describe('a hardened listener', () => {
  it('maps what the parser refuses to the reply a browser can act on', () => {
    expect(clientErrorReply('ERR_HTTP_REQUEST_TIMEOUT')[0]).toBe(408);
    expect(clientErrorReply('HPE_HEADER_OVERFLOW')[0]).toBe(431);
    expect(clientErrorReply('HPE_INVALID_METHOD')[0]).toBe(400);
    expect(clientErrorReply(undefined)[0]).toBe(400);
    expect(clientErrorReply('ECONNRESET')[0]).toBe(0);
  });

  it('times idle connections out with 408 across several checking periods, and still serves', async () => {
    // Connections opened ahead of need, staggered over several of Node's checking periods.
    const idle = await Promise.all(
      [0, 1, 2, 3, 4].map((k) =>
        new Promise((r) => setTimeout(r, k * CHECK_MS)).then(() => rawExchange([], 0)),
      ),
    );
    for (const r of idle) {
      expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(r.ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    }
    // A request whose headers trickle in past the limit: 408 too.
    const slow = await rawExchange(
      ['GET / HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n'],
      150,
    );
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    // Garbage is 400; the listener then answers a real request.
    expect((await rawExchange(['NOT HTTP AT ALL\r\n\r\n'], 0)).text).toMatch(/^HTTP\/1\.1 400 /);
    const ok = await rawExchange(['GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], 0);
    expect(ok.text).toMatch(/^HTTP\/1\.1 200 [\s\S]*ok$/);
    expect(
      logged.filter((m) => m.includes('ERR_HTTP_REQUEST_TIMEOUT')).length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('answers a header block past the limit with 431', async () => {
    const big = await rawExchange(
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
      0,
    );
    expect(big.text).toMatch(/^HTTP\/1\.1 431 /);
  });
});
