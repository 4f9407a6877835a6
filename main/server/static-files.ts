/** The built pages and their assets (out/renderer), served to both listeners. */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { decode, fail } from './guard';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function serveFile(res: http.ServerResponse, file: string, head: boolean): void {
  fs.readFile(file, (err, data) => {
    if (err) return fail(res, 404, 'not found');
    if (res.destroyed) return;
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Cache-Control': file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(head ? undefined : data);
  });
}

/**
 * Serves /assets/… from the build folder, refusing anything that leaves it. Source maps only where
 * `maps` is set (the instructor's own listener): the room's network gets the code, not its sources.
 */
export function serveAsset(res: http.ServerResponse, staticDir: string, pathname: string, head: boolean, maps: boolean): void {
  const rel = decode(pathname);
  if (rel === null || rel.includes('\0')) return fail(res, 400, 'malformed URL');
  if (!maps && rel.endsWith('.map')) return fail(res, 404, 'not found');
  const root = path.resolve(staticDir, 'assets');
  const file = path.resolve(staticDir, rel.replace(/^\/+/, ''));
  if (!file.startsWith(root + path.sep)) return fail(res, 404, 'not found');
  serveFile(res, file, head);
}
