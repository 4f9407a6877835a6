/**
 * Request bodies, read with their size checked while they stream in: a body past its limit is
 * refused at the first byte over, never buffered whole first.
 */
import fs from 'node:fs';
import type http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MusterError } from '../../shared/errors';

/** The error a body over its limit fails with (code `body-too-large`, HTTP 413); each route words its own reply. */
const tooLarge = (limit: number) =>
  new MusterError('body-too-large', `the body is larger than ${limit} bytes`);

/**
 * Reads a small request body, refusing (without buffering further) anything over `limit` bytes:
 * it rejects with a `body-too-large` {@link MusterError}.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return reject(tooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (e) reject(e);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        return finish(tooLarge(limit));
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (e) => finish(e));
    req.once('aborted', () => finish(new Error('the upload was aborted')));
  });
}

/**
 * Streams a request body into `file`, counting bytes as they pass: past `limit` the stream stops
 * with a `body-too-large` {@link MusterError} and the partial file is removed. Memory stays at one chunk whatever
 * the client sends. Resolves with the number of bytes written.
 */
export async function bodyToFile(
  req: http.IncomingMessage,
  file: string,
  limit: number,
): Promise<number> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) return cb(tooLarge(limit));
      cb(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return size;
  } catch (e) {
    await fs.promises.rm(file, { force: true });
    throw e;
  }
}

/** Answers a refused upload and closes the connection, without reading what the client still sends. */
export function refuseBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  if (!res.headersSent) {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      Connection: 'close',
    });
    res.end(body);
  }
  res.once('finish', () => req.destroy());
}
