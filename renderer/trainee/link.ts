/**
 * The phone's socket to the class, kept alive through what phones do in a classroom: sleep, app
 * switches, reloads, Wi-Fi drops and hand-overs. It knows nothing of the class — it opens, says
 * when it is up and down, passes messages on, and replaces a socket that has gone quiet:
 *
 * - A socket can look open and be dead (iOS after an app switch, a Wi-Fi hand-over): the link pings
 *   when the page wakes (`pageshow` — iOS Safari returns from the back/forward cache without a
 *   `visibilitychange` —, `visibilitychange`, `online`, Chrome's `resume`, a network change) and on
 *   a heartbeat, and replaces a socket that stays silent.
 * - A socket stuck connecting (a dead Wi-Fi) is given up after a while; reconnects back off.
 */
export interface LinkHandlers {
  /** A new socket is open: say who this phone is. */
  open(): void;
  message(data: unknown): void;
  /** The socket is gone (closed, dead or replaced); a new one will follow. */
  down(): void;
  /** The link is about to retry; nothing to do when there is nobody to connect as. */
  wanted(): boolean;
  /** A heartbeat on a live socket (the glue sends what has waited too long). */
  beat(): void;
}

/** Application ping while the socket is open. */
const HEARTBEAT_MS = 10_000;
/** Nothing heard for this long (a pong answers every ping): the socket is dead. */
const SILENCE_MS = 25_000;
/** After a wake-up, a ping must be answered this fast or the socket is replaced. */
const PROBE_MS = 4_000;
/** From `new WebSocket` to the server's answer to our join or resume. */
const HANDSHAKE_MS = 8_000;
const MAX_BACKOFF_MS = 5_000;

export class SocketLink {
  private ws: WebSocket | null = null;
  private retry = 0;
  private retryTimer: number | undefined;
  private handshakeTimer: number | undefined;
  private heartbeat: number | undefined;
  private probeTimer: number | undefined;
  private lastHeard = 0;

  constructor(
    private readonly url: string,
    private readonly h: LinkHandlers,
  ) {
    window.addEventListener('pageshow', (e) => this.wake(e.persisted));
    // Into the back/forward cache: close cleanly (the console sees the phone leave), reopen on pageshow.
    window.addEventListener('pagehide', (e) => {
      if (e.persisted) this.drop();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.wake(false);
    });
    document.addEventListener('resume', () => this.wake(false));
    window.addEventListener('online', () => this.wake(true));
    window.addEventListener('offline', () => this.drop());
    (navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.(
      'change',
      () => this.wake(false),
    );
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(m: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  /** The join or resume was answered: the handshake is over, the backoff starts again from the start. */
  settled(): void {
    window.clearTimeout(this.handshakeTimer);
    this.retry = 0;
  }

  /** Opens a socket now unless one is open or opening. */
  connect(): void {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.h.wanted()) return;
    if (
      this.ws &&
      (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
    )
      return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      return this.later();
    }
    this.ws = ws;
    window.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = window.setTimeout(() => {
      if (this.ws === ws) this.drop();
    }, HANDSHAKE_MS);
    ws.onopen = () => {
      this.lastHeard = Date.now();
      this.h.open();
      window.clearInterval(this.heartbeat);
      this.heartbeat = window.setInterval(() => {
        if (this.ws !== ws) return;
        if (Date.now() - this.lastHeard > SILENCE_MS) return this.drop();
        this.send({ t: 'ping' });
        this.h.beat();
      }, HEARTBEAT_MS);
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let m: unknown;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      this.h.message(m);
    };
    ws.onclose = () => {
      if (this.ws === ws) this.drop();
    };
  }

  /** Forgets the current socket (closing it if it still can), reports it down, retries later. */
  drop(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close();
      } catch {
        // already gone
      }
    }
    window.clearInterval(this.heartbeat);
    window.clearTimeout(this.handshakeTimer);
    window.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.h.down();
    this.later();
  }

  /** Starts over at once (a join asked for, the network back). */
  restart(): void {
    this.retry = 0;
    this.connect();
  }

  private later(): void {
    if (!this.h.wanted() || this.retryTimer !== undefined) return;
    const delay = Math.min(MAX_BACKOFF_MS, 400 * 2 ** this.retry++) * (0.5 + Math.random() / 2);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  /** The page is back (unfrozen, visible, from the back/forward cache, network up): make sure the link is. */
  private wake(urgent: boolean): void {
    if (!this.h.wanted()) return;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING)
      this.restart();
    else if (ws.readyState === WebSocket.OPEN) this.probe();
    else if (urgent) {
      // Stuck connecting from before the network came back: start over now.
      this.drop();
      this.restart();
    }
  }

  /** Pings; a socket that does not answer within PROBE_MS is replaced. */
  private probe(): void {
    if (this.probeTimer !== undefined) return;
    const ws = this.ws;
    const asked = Date.now();
    this.send({ t: 'ping' });
    this.probeTimer = window.setTimeout(() => {
      this.probeTimer = undefined;
      if (this.ws === ws && this.lastHeard < asked) this.drop();
    }, PROBE_MS);
  }
}
