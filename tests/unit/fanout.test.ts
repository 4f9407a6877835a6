// Fan-out over real sockets: a broadcast is framed once and written to every open socket through
// ws's own frame sink, and each phone gets exactly the message, at every frame size ws's framing
// distinguishes (a one-byte, a two-byte and an eight-byte length), in order with what was sent
// before and after it by ws itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { broadcast, send } from '../../main/server/fanout';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

async function room(n: number) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  open.push(wss);
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  const server: WebSocket[] = [];
  wss.on('connection', (s) => server.push(s));
  const got: string[][] = [];
  const clients = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      got.push([]);
      const c = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
      open.push(c);
      c.on('message', (data, isBinary) => {
        expect(isBinary).toBe(false);
        got[i].push(String(data));
      });
      return new Promise<WebSocket>((r) => c.once('open', () => r(c)));
    }),
  );
  await vi.waitFor(() => expect(server.length).toBe(n));
  return { server, clients, got };
}

describe('broadcast', () => {
  it('frames once and writes the same frame to every open socket, without ws.send, at every length', async () => {
    const { server, got } = await room(5);
    const sends = server.map((s) => vi.spyOn(s, 'send'));
    const messages = [
      { t: 'view', n: 1 },
      { t: 'view', text: 'x'.repeat(300) },
      { t: 'view', text: 'y'.repeat(70_000) },
    ];
    for (const m of messages) broadcast(server, m);
    await vi.waitFor(() => expect(got.every((g) => g.length === 3)).toBe(true));
    for (const g of got) expect(g.map((x) => JSON.parse(x))).toEqual(messages);
    for (const s of sends) expect(s).not.toHaveBeenCalled();
  });

  it('keeps order with messages ws sends itself, and skips a socket that is closing', async () => {
    const { server, got } = await room(3);
    server[2].close();
    send(server[0], { t: 'ack', id: 'a' });
    broadcast(server, { t: 'view', k: 1 });
    send(server[0], { t: 'ack', id: 'b' });
    broadcast(server, { t: 'view', k: 2 });
    await vi.waitFor(() => expect(got[0].length).toBe(4));
    await vi.waitFor(() => expect(got[1].length).toBe(2));
    expect(got[0].map((x) => JSON.parse(x))).toEqual([
      { t: 'ack', id: 'a' },
      { t: 'view', k: 1 },
      { t: 'ack', id: 'b' },
      { t: 'view', k: 2 },
    ]);
    expect(got[1].map((x) => JSON.parse(x).k)).toEqual([1, 2]);
    expect(got[2]).toEqual([]);
  });

  it('falls back to ws.send for a socket whose sender is busy with a fragmented message', async () => {
    const { server, got } = await room(2);
    // A fragment begun (fin: false) on one socket: a frame written beside it would break it.
    server[0].send('part one, ', { fin: false });
    const spy = vi.spyOn(server[0], 'send');
    broadcast(server, { t: 'view', k: 3 });
    expect(spy).toHaveBeenCalledTimes(1);
    server[0].send('part two', { fin: true });
    await vi.waitFor(() => expect(got[1].length).toBe(1));
    expect(JSON.parse(got[1][0])).toEqual({ t: 'view', k: 3 });
  });
});

describe('send', () => {
  it('writes each message whole, as one write to the socket, without ws.send, at every length', async () => {
    const { server, got } = await room(1);
    const s = server[0];
    const wsSend = vi.spyOn(s, 'send');
    const socket = (s as unknown as { _socket: { write(chunk: unknown): boolean } })._socket;
    const writes = vi.spyOn(socket, 'write');
    const messages = [
      { t: 'ack', id: 'a1', of: 'answer' },
      { t: 'view', text: 'x'.repeat(300) },
      { t: 'view', text: 'y'.repeat(70_000) },
    ];
    for (const m of messages) send(s, m);
    await vi.waitFor(() => expect(got[0].length).toBe(3));
    expect(got[0].map((x) => JSON.parse(x))).toEqual(messages);
    expect(wsSend).not.toHaveBeenCalled();
    // ws's own send writes a header and a body: two writes a message.
    expect(writes).toHaveBeenCalledTimes(messages.length);
    for (const [chunk] of writes.mock.calls) expect(Buffer.isBuffer(chunk)).toBe(true);
  });

  it('falls back to ws.send beside a fragmented message, and sends nothing to a closed socket', async () => {
    const { server, got } = await room(2);
    server[0].send('part one, ', { fin: false });
    const spy = vi.spyOn(server[0], 'send');
    send(server[0], { t: 'ack', id: 'after the fragment' });
    expect(spy).toHaveBeenCalledTimes(1);
    // ws's own send, which knows how to go on with the fragment (a frame written beside it would break it).
    expect(spy.mock.calls[0][0]).toBe(JSON.stringify({ t: 'ack', id: 'after the fragment' }));
    await vi.waitFor(() => expect(got[0].length).toBe(1));
    expect(got[0][0]).toBe('part one, {"t":"ack","id":"after the fragment"}');
    server[1].close();
    const closed = vi.spyOn(server[1], 'send');
    send(server[1], { t: 'ack', id: 'never' });
    expect(closed).not.toHaveBeenCalled();
    expect(got[1]).toEqual([]);
  });
});
