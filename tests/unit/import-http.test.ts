// PDF import over HTTP, on a real server: pages uploaded one at a time and streamed to disk, every
// bad request answered 4xx with nothing written, and size limits enforced while a page streams.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, handlePdfImport } from '../../main/server/import-api';
import type { ImportContext } from '../../main/server/import-api';
import { JPEG, PNG_B64, tmp } from '../helpers/import-pages';

describe('PDF import over HTTP: pages uploaded one at a time, streamed to disk', () => {
  let server: http.Server;
  let base = '';
  let coursesDir = '';
  let reloads = 0;
  let views = 0;
  beforeAll(async () => {
    coursesDir = path.join(tmp('http'), 'courses');
    const ctx: ImportContext = {
      coursesDir,
      courseDir: () => undefined,
      courseIds: () => ['demo'],
      reloadContent: () => void reloads++,
      classroom: { markViews: () => void views++ },
    };
    server = http.createServer(
      (req, res) => void handlePdfImport(req, res, new URL(req.url!, 'http://x'), ctx),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (p: string, body: string | Buffer, type = 'application/json') =>
    fetch(`${base}/api/import/pdf/${p}`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const start = async (title: string, pages: number) =>
    ((await (await post('start', JSON.stringify({ title, pages }))).json()) as { upload: string })
      .upload;
  const written = () => (fs.existsSync(coursesDir) ? fs.readdirSync(coursesDir) : []);
  const staged = () => {
    const dir = path.join(path.dirname(coursesDir), '.imports');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('saves a valid import, reloads the content and updates the console; nothing is left staged', async () => {
    const upload = await start('Demo', 2);
    expect(
      (await post(`page?upload=${upload}&n=1`, Buffer.from(PNG_B64, 'base64'), 'image/png')).status,
    ).toBe(200);
    expect((await post(`page?upload=${upload}&n=2`, JPEG, 'image/jpeg')).status).toBe(200);
    const res = await post(`finish?upload=${upload}`, '');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ course: 'demo-2', file: 'deck.md', slides: 2 });
    expect(written()).toEqual(['demo-2']);
    expect(fs.readFileSync(path.join(coursesDir, 'demo-2', 'deck.md'), 'utf8')).toContain(
      'images/page-002.jpg',
    );
    expect([reloads, views]).toEqual([1, 1]);
    expect(staged()).toEqual([]);
  });

  it('answers 4xx with a clear message and writes nothing', async () => {
    const before = written();
    let res = await post('start', '{"title": "Bad", "pages": [');
    expect([res.status, await res.text()]).toEqual([400, 'the body is not valid JSON']);
    res = await post('start', JSON.stringify({ title: 'Bad', pages: 1 }), 'text/plain');
    expect(res.status).toBe(415);
    // A refused page ends its import: the upload is dropped, nothing is left staged.
    let upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=1`, Buffer.from('GIF89a not a png'), 'image/png');
    expect([res.status, await res.text()]).toEqual([
      400,
      'page 1: the data is not a PNG image; nothing was imported',
    ]);
    expect((await post(`finish?upload=${upload}`, '')).status).toBe(404);
    upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=1`, Buffer.from(PNG_B64, 'base64'), 'image/gif');
    expect(res.status).toBe(415);
    upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=3`, Buffer.from(PNG_B64, 'base64'), 'image/png');
    expect(res.status).toBe(400);
    res = await post(
      `page?upload=not-an-upload-id&n=1`,
      Buffer.from(PNG_B64, 'base64'),
      'image/png',
    );
    expect(res.status).toBe(404);
    upload = await start('Half', 2);
    expect(
      (await post(`page?upload=${upload}&n=2`, Buffer.from(PNG_B64, 'base64'), 'image/png')).status,
    ).toBe(200);
    res = await post(`finish?upload=${upload}`, '');
    expect([res.status, await res.text()]).toEqual([400, 'pages not received: 1']);
    expect(written()).toEqual(before);
    expect(staged()).toEqual([upload]);
    // Two imports at once at most.
    const other = await start('Other', 1);
    expect((await post('start', JSON.stringify({ title: 'Third', pages: 1 }))).status).toBe(503);
    for (const u of [upload, other])
      expect((await post(`page?upload=${u}&n=1`, Buffer.from('x'), 'image/png')).status).toBe(400);
    expect(staged()).toEqual([]);
    expect(reloads).toBe(1);
  });

  it('refuses a page over the limit without reading it', async () => {
    const upload = await start('Big', 1);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/import/pdf/page?upload=${upload}&n=1`, {
        method: 'POST',
        headers: {
          'Content-Type': 'image/png',
          'Content-Length': String(IMPORT_LIMITS.pageBytes + 1),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.from(PNG_B64, 'base64'));
    });
    expect(status).toBe(413);
  });

  it('stops a page that grows past the limit (no Content-Length) and keeps none of it', async () => {
    const upload = await start('Growing', 1);
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request(`${base}/api/import/pdf/page?upload=${upload}&n=1`, {
        method: 'POST',
        headers: { 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      req.on('error', (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code}`));
      let sent = 0;
      const pump = () => {
        while (sent <= IMPORT_LIMITS.pageBytes + chunk.length && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    // Either the 413 arrives first, or the server has already closed the connection.
    expect(outcome).toMatch(/^(413|error: (ECONNRESET|EPIPE))$/);
    const dir = path.join(path.dirname(coursesDir), '.imports', upload);
    await expect.poll(() => fs.existsSync(dir)).toBe(false);
  });
});
