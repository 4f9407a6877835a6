// The pages as a phone on the room's radio gets them: precompressed (brotli where the browser asks
// for it, gzip otherwise), hashed assets cached for good, the page itself revalidated by its ETag.
// Headers from the network are hostile: odd ones fall back to identity, never to an error.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { acceptedEncodings, etagMatches } from '../../main/server/static-files';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The trainee page's script, named by its HTML. */
async function traineeScript(): Promise<string> {
  const html = (await get(app.lanPort, '/join/')).body.toString();
  const src = /<script[^>]*src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!src) throw new Error('no script in the trainee page');
  return src;
}

describe('static assets', () => {
  it('sends the copy the browser accepts: brotli, else gzip, else the file; each decodes to the same bytes', async () => {
    const src = await traineeScript();
    const plain = await get(app.lanPort, src);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await get(app.lanPort, src, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    // A plain-HTTP page in Chrome or Safari asks for gzip and deflate only.
    const gz = await get(app.lanPort, src, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    for (const r of [plain, br, gz]) expect(r.headers.vary).toBe('Accept-Encoding');
    expect(
      (await get(app.lanPort, src, { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' })).headers[
        'content-encoding'
      ],
    ).toBe('gzip');
    expect(
      (await get(app.lanPort, src, { 'Accept-Encoding': '*' })).headers['content-encoding'],
    ).toBe('br');
    expect(
      (await get(app.lanPort, src, { 'Accept-Encoding': 'identity' })).headers['content-encoding'],
    ).toBeUndefined();
  });

  it('caches hashed assets for a year, immutable; revalidates the pages (ETag, 304)', async () => {
    const src = await traineeScript();
    const asset = await get(app.lanPort, src, { 'Accept-Encoding': 'gzip' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await get(app.lanPort, '/join/', { 'Accept-Encoding': 'gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+-gzip"$/);
    const again = await get(app.lanPort, '/join/', {
      'Accept-Encoding': 'gzip',
      'If-None-Match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Another encoding is another representation: its own ETag, so no 304 for the gzip one.
    const identity = await get(app.lanPort, '/join/', { 'If-None-Match': etag });
    expect(identity.status).toBe(200);
    expect(identity.headers.etag).not.toBe(etag);
    // The console page is revalidated too (behind its token).
    const con = await get(app.consolePort, `/console/?token=${app.token}`, {
      'Accept-Encoding': 'br',
    });
    expect([con.status, con.headers['content-encoding'], con.headers['cache-control']]).toEqual([
      200,
      'br',
      'no-cache',
    ]);
  });

  it('HEAD gives the headers only; compressed copies cannot be named directly; maps stay off the room listener', async () => {
    const src = await traineeScript();
    const head = await get(app.lanPort, src, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
    expect((await get(app.lanPort, `${src}.br`)).status).toBe(404);
    expect((await get(app.lanPort, `${src}.gz`)).status).toBe(404);
    expect((await get(app.lanPort, `${src}.map`)).status).toBe(404);
    expect((await get(app.lanPort, '/assets/%2e%2e/trainee/index.html')).status).toBe(404);
  });

  it('hostile Accept-Encoding and If-None-Match headers mean identity and no match, never an error', async () => {
    const src = await traineeScript();
    const odd = [
      '',
      ',,,',
      'br;q=',
      'br;q=abc',
      'gzip;q=-1',
      `${'x'.repeat(600)}, br`,
      'br\t;q=1',
      ';;;q=1',
      'BR',
      'x-gzip',
    ];
    for (const h of odd) {
      const r = await get(app.lanPort, src, { 'Accept-Encoding': h, 'If-None-Match': `${h}"` });
      expect(r.status).toBe(200);
      expect(['br', 'gzip', undefined]).toContain(r.headers['content-encoding']);
    }
    expect(acceptedEncodings(undefined)).toEqual(['identity']);
    expect(acceptedEncodings(`${'x'.repeat(600)}, br`)).toEqual(['identity']);
    expect(acceptedEncodings('BR')).toEqual(['br', 'identity']);
    expect(acceptedEncodings('x-gzip')).toEqual(['gzip', 'identity']);
    expect(acceptedEncodings('gzip;q=0, *;q=0.1')).toEqual(['br', 'identity']);
    expect(acceptedEncodings(['gzip', 'br'])).toEqual(['br', 'gzip', 'identity']);
    expect(etagMatches('W/"a-b", "c-d"', '"c-d"')).toBe(true);
    expect(etagMatches('*', '"c-d"')).toBe(true);
    expect(etagMatches('"c-d', '"c-d"')).toBe(false);
    expect(etagMatches(['"c-d"'], '"c-d"')).toBe(false);
  });
});
