/**
 * The built pages and their assets (out/renderer), served to both listeners.
 *
 * The build writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text file worth
 * compressing (scripts/compress.mjs); here the copy the browser accepts is chosen by its
 * Accept-Encoding, so a phone on the room's radio downloads a third of the bytes and the server
 * compresses nothing while the class runs. Assets under /assets/ carry a content hash in their
 * name: cached for a year, immutable. The pages themselves are revalidated on every load (ETag,
 * 304), so a new build is picked up at once.
 *
 * Headers from the network are hostile like everything else: Accept-Encoding and If-None-Match
 * are parsed defensively (length-capped, never throwing); anything odd means "identity" or "no match".
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { decode, fail } from './guard';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The file types the build precompresses (scripts/compress.mjs keeps the same list). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json']);

export type Encoding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Exclude<Encoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };

/**
 * The encodings a request accepts, best first among those we have (br, then gzip), per RFC 9110
 * §12.5.3: `q=0` refuses one, `*` stands for any not named. Malformed or oversized headers accept
 * only identity.
 */
export function acceptedEncodings(header: string | string[] | undefined): Encoding[] {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 512) return ['identity'];
  const q = new Map<string, number>();
  for (const part of raw.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!/^[a-z0-9*-]{1,32}$/.test(coding)) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9](?:\.[0-9]{0,3})?)\s*$/i.exec(p);
      if (m) weight = Math.min(1, Number(m[1]));
    }
    q.set(coding, weight);
  }
  const weight = (c: string) =>
    q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  const out: Encoding[] = (['br', 'gzip'] as const).filter((c) => weight(c) > 0);
  return [...out, 'identity'];
}

/** True when If-None-Match names this ETag (or `*`); malformed headers match nothing. */
export function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (typeof header !== 'string' || header.length > 2048) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

function stat(file: string): Promise<fs.Stats | null> {
  return fs.promises.stat(file).then(
    (s) => (s.isFile() ? s : null),
    () => null,
  );
}

/**
 * Serves one built file: the precompressed copy the request accepts, else the file itself.
 * `immutable` for content-hashed assets; otherwise revalidated (no-cache with an ETag).
 */
export function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  head: boolean,
  immutable = false,
): void {
  void sendFile(req, res, file, head, immutable).catch(() => fail(res, 404, 'not found'));
}

async function sendFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  head: boolean,
  immutable: boolean,
): Promise<void> {
  const ext = path.extname(file);
  const original = await stat(file);
  if (!original) return fail(res, 404, 'not found');
  let encoding: Encoding = 'identity';
  let chosen = file;
  let size = original.size;
  if (COMPRESSIBLE.has(ext)) {
    for (const e of acceptedEncodings(req.headers['accept-encoding'])) {
      if (e === 'identity') break;
      const s = await stat(file + SUFFIX[e]);
      if (s) {
        encoding = e;
        chosen = file + SUFFIX[e];
        size = s.size;
        break;
      }
    }
  }
  // One ETag per file version and encoding (the bytes differ, so must the validator).
  const etag = `"${original.size.toString(36)}-${Math.floor(original.mtimeMs).toString(36)}${encoding === 'identity' ? '' : `-${encoding}`}"`;
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': MIME[ext] ?? 'application/octet-stream',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: etag,
    ...(COMPRESSIBLE.has(ext) ? { Vary: 'Accept-Encoding' } : {}),
  };
  if (res.destroyed) return;
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = size;
  if (head) {
    res.writeHead(200, headers);
    return void res.end();
  }
  const data = await fs.promises.readFile(chosen);
  if (res.destroyed) return;
  headers['Content-Length'] = data.length;
  res.writeHead(200, headers);
  res.end(data);
}

/**
 * Serves /assets/… from the build folder, refusing anything that leaves it. Source maps only where
 * `maps` is set (the instructor's own listener): the room's network gets the code, not its sources.
 * The compressed copies are not addressable themselves: they are chosen by Accept-Encoding.
 */
export function serveAsset(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  staticDir: string,
  pathname: string,
  head: boolean,
  maps: boolean,
): void {
  const rel = decode(pathname);
  if (rel === null || rel.includes('\0')) return fail(res, 400, 'malformed URL');
  if (!maps && rel.endsWith('.map')) return fail(res, 404, 'not found');
  if (rel.endsWith('.br') || rel.endsWith('.gz')) return fail(res, 404, 'not found');
  const root = path.resolve(staticDir, 'assets');
  const file = path.resolve(staticDir, rel.replace(/^\/+/, ''));
  if (!file.startsWith(root + path.sep)) return fail(res, 404, 'not found');
  serveFile(req, res, file, head, true);
}
