/**
 * Fan-out: what goes out to the sockets. One serialisation per audience — the same bytes to every
 * phone — and nothing sent to a socket that is not open.
 */
import * as wsLib from 'ws';
import type { WebSocket } from 'ws';

/**
 * What ws does with a frame once it has built it (its Sender's `sendFrame`), and the state in which
 * its sends are written at once: no compression, no fragment or Blob pending. Not in ws's type
 * declarations; when it is missing (another ws), `send` and `broadcast` fall back to ws's `send`.
 */
interface FrameSink {
  _sender?: { sendFrame?(list: Buffer[]): void; _state?: number; _firstFragment?: boolean };
}

/** ws's frame builder: a public static of its Sender (`Sender.frame`, exported by ws). */
const frameOf = (
  wsLib as unknown as {
    Sender?: {
      frame?(
        data: Buffer,
        o: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean },
      ): Buffer[];
    };
  }
).Sender?.frame;

/** The socket's ws Sender while it writes at once (no compression, no fragment or Blob pending); else null. */
function directSender(ws: WebSocket): Required<FrameSink>['_sender'] | null {
  const sender = (ws as unknown as FrameSink)._sender;
  return frameOf && sender?.sendFrame && sender._state === 0 && sender._firstFragment
    ? sender
    : null;
}

/** One text message as the one buffer ws would have written in two pieces (header, body). */
const textFrame = (buf: Buffer): Buffer[] => [
  Buffer.concat(frameOf!(buf, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false })),
];

/**
 * Sends one message to one socket, if it is open, as one write (see {@link broadcast}): a class
 * answering at once is thousands of acknowledgements, and ws's own `send` writes each as a header
 * and a body (cork, writev), the costliest part of an answer on the main thread.
 */
export function send(ws: WebSocket, m: object): void {
  if (ws.readyState !== 1) return;
  const sender = directSender(ws);
  if (sender) sender.sendFrame!(textFrame(Buffer.from(JSON.stringify(m))));
  else ws.send(JSON.stringify(m));
}

/**
 * Serialises once, frames once, and writes the same frame to every open socket. A room's push is
 * thousands of sends of one message: ws would build the frame again for each and write its header
 * and body as two pieces (cork, writev). Its own frame builder (`Sender.frame`, made public for
 * exactly this) builds it once, and each socket gets it as one write through its Sender's
 * `sendFrame`, where ws's own `send` ends. Only while that Sender writes at once (our sockets never
 * compress, fragment or send Blobs); otherwise, and with a ws that lacks either, `send` as usual.
 */
export function broadcast(sockets: Iterable<WebSocket>, m: object): void {
  let buf: Buffer | null = null;
  let frame: Buffer[] | null = null;
  for (const ws of sockets) {
    if (ws.readyState !== 1) continue;
    buf ??= Buffer.from(JSON.stringify(m));
    const sender = directSender(ws);
    if (sender) sender.sendFrame!((frame ??= textFrame(buf)));
    else ws.send(buf, { binary: false });
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
