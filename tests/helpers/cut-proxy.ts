/**
 * A TCP proxy on 127.0.0.1 that can cut the link: between a console's pusher and the records
 * server, it forwards bytes both ways until told to cut (now, or once the client has sent a given
 * number of bytes), then destroys every connection; `holdAfter` instead stops forwarding what the
 * clients send from then on (a request hangs half sent, as on a link gone quiet); `refuse` makes it
 * drop new ones at once (the server is "away"), `accept` lets them through again.
 */
import net from 'node:net';

export interface CutProxy {
  port: number;
  /** Bytes the clients sent through so far. */
  readonly sent: number;
  connections: number;
  /** Cuts every connection now. */
  cut(): void;
  /** Cuts every connection once the clients have sent `bytes` more bytes. */
  cutAfter(bytes: number): Promise<void>;
  /** Forwards nothing more from the clients once they have sent `bytes` more bytes (until cut). */
  holdAfter(bytes: number): Promise<void>;
  refuse(): void;
  accept(): void;
  close(): Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  const sockets = new Set<net.Socket>();
  let sent = 0;
  let refusing = false;
  let cutAt: { at: number; done: () => void } | null = null;
  let holdAt: { at: number; done: () => void } | null = null;
  let holding = false;
  const cutAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const proxy = {
    port: 0,
    connections: 0,
    get sent() {
      return sent;
    },
    cut() {
      holding = false;
      cutAll();
    },
    cutAfter(bytes: number) {
      return new Promise<void>((resolve) => (cutAt = { at: sent + bytes, done: resolve }));
    },
    holdAfter(bytes: number) {
      return new Promise<void>((resolve) => (holdAt = { at: sent + bytes, done: resolve }));
    },
    refuse() {
      refusing = true;
      cutAll();
    },
    accept() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    proxy.connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (d: Buffer) => {
      if (holding) return;
      sent += d.length;
      if (cutAt && sent >= cutAt.at) {
        const c = cutAt;
        cutAt = null;
        cutAll();
        c.done();
        return;
      }
      if (holdAt && sent >= holdAt.at) {
        // What came before the mark goes on; the rest of this chunk, and all after it, never does.
        const h = holdAt;
        holdAt = null;
        holding = true;
        upstream.write(d.subarray(0, d.length - (sent - h.at)));
        h.done();
        return;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}
