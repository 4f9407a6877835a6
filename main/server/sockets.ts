/**
 * Socket liveness and limits: a heartbeat that keeps every healthy socket for the whole class and
 * closes the ones that stopped answering, a message rate per socket, and a cap on sockets per
 * address on the room's network.
 */
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** The default heartbeat: a ping every 30 s; a socket that misses two in a row is closed. */
export const HEARTBEAT_MS = 30_000;
/** Pings a socket may leave unanswered before it is closed. */
export const MISSED_PINGS = 2;

/**
 * Pings every socket the server accepted every `intervalMs`. A pong — or any message — shows the
 * socket is alive; one that misses {@link MISSED_PINGS} pings in a row is terminated (a phone that
 * left the Wi-Fi without a close). Sockets are tracked when accepted (`track`), since a server with
 * `noServer` never emits `connection` for them; `track` also takes the socket's message handler,
 * so every message both counts as a sign of life and is handled by one listener (with two, Node
 * copies the listener list on every message: 12 ms of the main thread in a class of 5,000
 * answering at once).
 */
export function heartbeat(
  wss: WebSocketServer,
  intervalMs: number,
): {
  track(ws: WebSocket, onMessage: (data: RawData, isBinary: boolean) => void): void;
  stop(): void;
} {
  // Each socket's count of pings missed, in an object of its own: a message resets it with one
  // property write (a WeakMap set on every message of a class answering at once cost more).
  const missed = new WeakMap<WebSocket, { n: number }>();
  const counter = (ws: WebSocket) => {
    let m = missed.get(ws);
    if (!m) missed.set(ws, (m = { n: 0 }));
    return m;
  };
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      const m = counter(ws);
      if (m.n >= MISSED_PINGS) {
        ws.terminate();
        continue;
      }
      m.n++;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, intervalMs);
  timer.unref();
  return {
    track(ws, onMessage) {
      const m = counter(ws);
      m.n = 0;
      ws.on('pong', () => {
        m.n = 0;
      });
      ws.on('message', (data, isBinary) => {
        m.n = 0;
        onMessage(data, isBinary);
      });
    },
    stop: () => clearInterval(timer),
  };
}

/** Messages a socket may send per second, on average, before it is told to slow down. */
export const RATE_PER_SECOND = 30;
/**
 * A burst a socket may send at once: a phone that took a whole self-paced test offline sends every
 * answer and its hand-in the moment it reconnects, and none of that should be turned away.
 */
export const RATE_BURST = 120;

/** A token bucket: RATE_BURST at once, refilled at RATE_PER_SECOND. */
export function rateLimiter(now: () => number = Date.now): () => boolean {
  let tokens = RATE_BURST;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(RATE_BURST, tokens + ((t - last) / 1000) * RATE_PER_SECOND);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** Sockets one address may hold open on the room's listener (a phone with a few tabs is far below it). */
export const SOCKETS_PER_ADDRESS = 16;

const isLoopback = (a: string) =>
  a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.');

/**
 * Counts open sockets per peer address. Loopback is not capped: it is this computer itself (the
 * instructor trying the join page, the tests and the benchmark's simulated phones).
 */
export class AddressCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for `address`; false when it already holds the most it may. */
  take(address: string): boolean {
    if (isLoopback(address)) return true;
    const n = this.open.get(address) ?? 0;
    if (n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    if (isLoopback(address)) return;
    const n = (this.open.get(address) ?? 1) - 1;
    if (n <= 0) this.open.delete(address);
    else this.open.set(address, n);
  }
}
