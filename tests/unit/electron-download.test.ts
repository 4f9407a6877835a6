import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToFile } from '../../main/electron/download';

const TOKEN = 'per-launch-secret';
const WORKBOOK = Buffer.from('PK\u0003\u0004 pretend workbook bytes');

let server: http.Server;
let base: string;
let dir: string;
const seen: { url?: string; token?: string }[] = [];

beforeAll(async () => {
  // A real node:http server shaped like the app's loopback listener: token header or 401.
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, token: req.headers['x-muster-token']?.toString() });
    if (req.headers['x-muster-token'] !== TOKEN) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      return res.end('this page needs the console link');
    }
    if (req.url === '/api/export.xlsx') {
      res.writeHead(200, { 'Content-Length': WORKBOOK.length });
      return res.end(WORKBOOK);
    }
    if (req.url === '/api/big') {
      res.writeHead(200);
      return res.end(Buffer.alloc(2048));
    }
    if (req.url === '/api/elsewhere') {
      res.writeHead(302, { Location: 'https://example.com/' });
      return res.end();
    }
    res.writeHead(404);
    res.end('no such session');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-download-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('downloadToFile: saving an export from the local server', () => {
  it('writes the bytes to the chosen file, sending the token as a header and not in the URL', async () => {
    const dest = path.join(dir, 'class.xlsx');
    expect(await downloadToFile(`${base}/api/export.xlsx`, TOKEN, dest)).toBe(WORKBOOK.length);
    expect(fs.readFileSync(dest)).toEqual(WORKBOOK);
    expect(seen.at(-1)).toEqual({ url: '/api/export.xlsx', token: TOKEN });
    expect(fs.readdirSync(dir)).toEqual(['class.xlsx']);
  });

  it('replaces an existing file the user chose to overwrite', async () => {
    const dest = path.join(dir, 'old.xlsx');
    fs.writeFileSync(dest, 'old contents');
    await downloadToFile(`${base}/api/export.xlsx`, TOKEN, dest);
    expect(fs.readFileSync(dest)).toEqual(WORKBOOK);
  });

  it('reports the server’s reason and leaves an existing file untouched when refused', async () => {
    const dest = path.join(dir, 'keep.xlsx');
    fs.writeFileSync(dest, 'last week’s export');
    await expect(downloadToFile(`${base}/api/missing.xlsx`, TOKEN, dest)).rejects.toThrow(
      /404: no such session/,
    );
    await expect(downloadToFile(`${base}/api/export.xlsx`, 'wrong', dest)).rejects.toThrow(/401/);
    expect(fs.readFileSync(dest, 'utf8')).toBe('last week’s export');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses a response larger than the limit and writes nothing', async () => {
    const dest = path.join(dir, 'big.bin');
    await expect(downloadToFile(`${base}/api/big`, TOKEN, dest, 1024)).rejects.toThrow(/too large/);
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('does not follow a redirect away from the app', async () => {
    const dest = path.join(dir, 'redirected');
    await expect(downloadToFile(`${base}/api/elsewhere`, TOKEN, dest)).rejects.toThrow();
    expect(fs.existsSync(dest)).toBe(false);
  });
});
