/**
 * Fan-out: what goes out to the sockets. One serialisation per audience — the same bytes to every
 * phone — and nothing sent to a socket that is not open.
 */
import type { WebSocket } from 'ws';

/** Sends one message to one socket, if it is open. */
export function send(ws: WebSocket, m: object): void {
  if (ws.readyState === 1) ws.send(JSON.stringify(m));
}

/** Serialises once, sends the same bytes to every open socket. */
export function broadcast(sockets: Iterable<WebSocket>, m: object): void {
  let buf: Buffer | null = null;
  for (const ws of sockets) {
    if (ws.readyState !== 1) continue;
    buf ??= Buffer.from(JSON.stringify(m));
    ws.send(buf, { binary: false });
  }
}
