/**
 * Every byte from the network is hostile. These are the guards every request and every socket
 * message passes through: a request line that cannot be parsed is a 400, an exception in a handler
 * is answered and logged — never thrown out of the listener, where it would end the class.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Log } from '../log';

export type { Log } from '../log';

export function fail(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(message);
}

/**
 * The request's path and query, or null when the request target is not an origin-form path
 * (`/…`): an absolute URL, `*`, a protocol-relative `//host`, control characters or bytes a URL
 * cannot hold.
 */
export function requestUrl(raw: string | undefined): URL | null {
  if (!raw || raw[0] !== '/' || raw.startsWith('//') || raw.length > 8192) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\uffff]/.test(raw)) return null;
  try {
    const url = new URL(raw, 'http://muster.invalid');
    return url.host === 'muster.invalid' ? url : null;
  } catch {
    return null;
  }
}

/** decodeURIComponent that answers null for a malformed percent-encoding instead of throwing. */
export function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Wraps a request handler (sync or async) in one error boundary: a malformed URL (URIError) is a
 * 400; anything else thrown is logged and answered 500; the listener never sees an exception.
 */
export function guarded(
  log: Log,
  label: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const failed = (req: http.IncomingMessage, res: http.ServerResponse, e: unknown) => {
    if (e instanceof URIError) return fail(res, 400, 'malformed URL');
    log(`${label}: ${req.method} ${String(req.url).slice(0, 200)} failed`, e);
    fail(res, 500, 'something went wrong on this computer; the class is not affected');
  };
  return (req, res) => {
    try {
      const p = handler(req, res);
      if (p) p.catch((e: unknown) => failed(req, res, e));
    } catch (e) {
      failed(req, res, e);
    }
  };
}

/** Refuses an upgrade request on the raw socket (before any WebSocket exists) and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

/**
 * Hardens a listener against slow or malformed clients: bounded time for headers and whole
 * requests, bounded header count, and a 400 for anything Node's parser refuses.
 */
export function hardenListener(
  server: http.Server,
  o: { requestTimeoutMs: number; headersTimeoutMs?: number; log?: Log },
): void {
  server.headersTimeout = o.headersTimeoutMs ?? 10_000;
  server.requestTimeout = o.requestTimeoutMs;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.maxRequestsPerSocket = 1000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const [status, reason] = clientErrorReply(err.code);
    if (status === 0) return void socket.destroy();
    o.log?.(
      `refused a request the HTTP parser could not read (${err.code ?? err.message}): ${status}`,
    );
    refuseUpgrade(socket, status, reason);
  });
}

/**
 * The reply to a request Node's parser gave up on. A timeout is 408, not 400: a browser that
 * opened a connection ahead of need (or kept one alive) and sends its request just as the server
 * times that idle connection out reads the reply as the answer to its request — a 408 on a reused
 * connection makes Chromium, Firefox and Safari send the request again on a new one, a 400 ends
 * the phone's page reload with an error. A reset peer gets nothing (nobody is listening).
 */
export function clientErrorReply(code: string | undefined): [status: number, reason: string] {
  if (code === 'ECONNRESET') return [0, ''];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout'];
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large'];
  return [400, 'Bad Request'];
}

/** A socket message handler that never throws: an exception is logged and the sender told. */
export function guardedMessage(
  log: Log,
  label: string,
  handler: () => void,
  reply: (message: string) => void,
): void {
  try {
    handler();
  } catch (e) {
    log(`${label}: a message handler failed`, e);
    try {
      reply('something went wrong on the instructor’s computer; try again');
    } catch {
      // the socket is gone
    }
  }
}
