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

/**
 * Runs `fn`, which sends several messages to one socket, so that they leave in one write to the
 * network rather than one each: a phone that joins gets its welcome and the class's view at once,
 * and a room joining together is 2,000 such pairs. (ws keeps its socket as `_socket`; without it
 * the messages simply go one by one.)
 */
export function together(ws: WebSocket, fn: () => void): void {
  const socket = (ws as unknown as { _socket?: { cork?(): void; uncork?(): void } | null })._socket;
  socket?.cork?.();
  try {
    fn();
  } finally {
    socket?.uncork?.();
  }
}
