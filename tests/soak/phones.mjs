/* global setInterval, clearInterval */
// Simulated phones for the soak (tests/soak/soak.ts): each joins the class, answers every question
// after a moment's thought, sleeps and wakes on its own schedule, and behaves like the real trainee
// page: its token resumes after every reconnect; an answer not acknowledged is sent again with
// the same id; a socket is replaced when it closes. Runs in its own process (inside the phones'
// network namespace when there is one); the config comes as JSON in argv[2]; it reports JSON lines
// on stdout and stops on "stop" on stdin.
//
// Sleeps: "clean" closes the socket (a phone whose page went into the back/forward cache); "frozen"
// stops answering pings and sending while the socket stays open (a phone in a pocket), so the
// server's heartbeat has to notice. A phone wakes only once the server has let go of its old
// socket, and then resumes. Every close the phone did not cause is counted as unexplained.
import WebSocket from 'ws';
import net from 'node:net';
import readline from 'node:readline';
import { Duplex } from 'node:stream';

const cfg = JSON.parse(process.argv[2]);
const started = Date.now();
const out = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);

let seed = cfg.seed >>> 0 || 1;
const random = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
};
const between = (a, b) => a + random() * (b - a);

/**
 * The venue Wi-Fi, where the kernel has no `tc netem`: every chunk each way is held back by the
 * one-way delay ± jitter, in order (a TCP stream never reorders), and a lost segment (cfg.link
 * lossPercent, per chunk and direction) costs what TCP pays for it: a retransmission timeout of
 * 200–400 ms, holding back everything behind it. The TCP connection itself is real, from the
 * phone's own address to the laptop; the shared rate is the kernel's (tbf on the veth).
 */
function linkedSocket(opts, link) {
  const real = net.connect({
    host: opts.host,
    port: Number(opts.port),
    localAddress: opts.localAddress,
  });
  const lag = () =>
    link.delayMs +
    (random() * 2 - 1) * link.jitterMs +
    (random() * 100 < link.lossPercent ? between(200, 400) : 0);
  // One FIFO per direction, drained by one timer: chunks leave in the order they came.
  const queue = () => {
    const items = [];
    let last = 0;
    let timer = null;
    const pump = () => {
      timer = null;
      while (items.length && items[0].at <= Date.now()) items.shift().fn();
      if (items.length) timer = setTimeout(pump, items[0].at - Date.now());
    };
    return (fn) => {
      last = Math.max(last, Date.now() + lag());
      items.push({ at: last, fn });
      if (!timer) timer = setTimeout(pump, Math.max(0, items[0].at - Date.now()));
    };
  };
  const later = { out: queue(), in: queue() };
  const s = new Duplex({
    write(chunk, _enc, cb) {
      later.out(() => !real.destroyed && real.write(chunk));
      cb();
    },
    final(cb) {
      later.out(() => real.end());
      cb();
    },
    read() {},
    destroy(err, cb) {
      real.destroy();
      cb(err);
    },
  });
  real.on('connect', () => later.in(() => s.emit('connect')));
  real.on('data', (d) => later.in(() => s.push(d)));
  real.on('end', () => later.in(() => s.push(null)));
  real.on('close', () => later.in(() => s.destroy()));
  real.on('error', (e) => later.in(() => s.destroy(e)));
  s.setNoDelay = (v) => (real.setNoDelay(v), s);
  s.setTimeout = (ms, cb) => (real.setTimeout(ms, cb), s);
  s.setKeepAlive = (...a) => (real.setKeepAlive(...a), s);
  s.ref = () => s;
  s.unref = () => s;
  return s;
}

let seq = 0;
const newId = () =>
  `s${cfg.offset}x${(seq++).toString(36)}${Math.floor(random() * 1e9).toString(36)}`;

function answerFor(q) {
  if (q.type === 'single' || q.type === 'poll')
    return q.options[Math.floor(random() * q.options.length)];
  if (q.type === 'truefalse') return random() < 0.7;
  if (q.type === 'multi') return [q.options[0]];
  if (q.type === 'numeric') return Math.round(between(1, 50));
  return ['trust', 'safety', 'indicators', 'evidence', 'victim first'][Math.floor(random() * 5)];
}

class Phone {
  constructor(i) {
    this.i = i;
    this.officerId = `SOAK-${String(cfg.offset + i).padStart(4, '0')}`;
    this.localAddress = cfg.localAddresses ? cfg.localAddresses[i] : undefined;
    this.token = null;
    this.ws = null;
    this.welcomed = false;
    this.state = 'awake'; // awake | clean-sleep | frozen
    this.expectingClose = false;
    this.pending = new Map(); // msgId → { runId, value, sentAt }
    this.answered = new Set(); // runIds answered (acked or pending)
    this.acked = []; // { msgId, runId, ms }
    this.refused = 0;
    this.sleeps = [];
    this.unexplained = [];
    this.reconnects = 0;
    this.planSleeps();
  }

  planSleeps() {
    if (random() >= cfg.sleep.share) return;
    const count = 1 + Math.floor(random() * cfg.sleep.max);
    const window = cfg.durationMs * 0.75;
    let at = cfg.durationMs * 0.1 + random() * (window / count);
    for (let k = 0; k < count && at < cfg.durationMs * 0.8; k++) {
      const ms = between(cfg.sleep.minMs, cfg.sleep.maxMs);
      const kind = random() < 0.5 ? 'clean' : 'frozen';
      this.sleeps.push({ at, ms, kind, done: false });
      at += ms + cfg.sleep.maxMs + random() * (window / count);
    }
    for (const s of this.sleeps) setTimeout(() => this.sleep(s), s.at).unref();
  }

  connect() {
    const ws = new WebSocket(cfg.url, {
      localAddress: this.localAddress,
      autoPong: false,
      perMessageDeflate: false,
      handshakeTimeout: 15000,
      ...(cfg.link
        ? {
            createConnection: (opts) =>
              linkedSocket({ ...opts, localAddress: this.localAddress }, cfg.link),
          }
        : {}),
    });
    this.ws = ws;
    this.welcomed = false;
    ws.on('ping', (d) => {
      // A frozen phone answers nothing: the server's heartbeat is what notices.
      if (this.state !== 'frozen' && ws.readyState === WebSocket.OPEN) ws.pong(d);
    });
    ws.on('open', () => {
      if (this.token) ws.send(JSON.stringify({ t: 'resume', token: this.token }));
      else
        ws.send(
          JSON.stringify({
            t: 'join',
            name: `Soak Phone ${cfg.offset + this.i}`,
            officerId: this.officerId,
            agency: 'Soak PD',
            roomCode: cfg.roomCode,
          }),
        );
    });
    ws.on('message', (d) => {
      if (this.state === 'frozen' || this.ws !== ws) return;
      let m;
      try {
        m = JSON.parse(String(d));
      } catch {
        return;
      }
      this.receive(m);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      const expected = this.expectingClose || this.state !== 'awake' || stopping;
      this.expectingClose = false;
      if (!expected) {
        this.unexplained.push({ atMs: Date.now() - started, code });
        out({ t: 'unexplained', officerId: this.officerId, code, atMs: Date.now() - started });
      }
      if (this.state === 'frozen') this.onFrozenClosed?.();
      if (this.state === 'awake' && !stopping) {
        this.reconnects++;
        setTimeout(() => this.connect(), between(200, 1500)).unref();
      }
    });
  }

  receive(m) {
    if (m.t === 'welcome') {
      this.token = m.token;
      this.welcomed = true;
      // Everything not yet acknowledged goes again, with its id.
      for (const [id, p] of this.pending)
        this.send({ t: 'answer', id, runId: p.runId, value: p.value }, p);
      return;
    }
    if (m.t === 'view') {
      this.view = m;
      const q = m.question;
      if (q && q.open && !this.answered.has(q.runId)) {
        this.answered.add(q.runId);
        const runId = q.runId;
        setTimeout(() => this.answer(runId, q.q), between(cfg.thinkMs[0], cfg.thinkMs[1])).unref();
      }
      return;
    }
    if (m.t === 'ack') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.acked.push({ msgId: m.id, runId: p.runId, ms: Date.now() - p.sentAt });
      return;
    }
    if (m.t === 'error' && m.id && this.pending.has(m.id)) {
      // 'closed': the question closed while this phone slept; 'server', 'rate': sent again later.
      if (m.code === 'closed' || m.code === 'invalid') {
        this.pending.delete(m.id);
        this.refused++;
      } else setTimeout(() => this.resend(m.id), between(1500, 3000)).unref();
    }
  }

  answer(runId, q) {
    if (stopping) return;
    const id = newId();
    const p = { runId, value: answerFor(q), sentAt: Date.now() };
    this.pending.set(id, p);
    if (this.state === 'awake' && this.welcomed)
      this.send({ t: 'answer', id, runId, value: p.value }, p);
  }

  resend(id) {
    const p = this.pending.get(id);
    if (p && this.state === 'awake' && this.welcomed)
      this.send({ t: 'answer', id, runId: p.runId, value: p.value }, p);
  }

  send(m, p) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    // Ack time is counted from the last send: what the phone waited for once it was online.
    if (p) p.sentAt = Date.now();
    this.ws.send(JSON.stringify(m));
  }

  sleep(s) {
    if (stopping || this.state !== 'awake') return;
    this.state = s.kind === 'clean' ? 'clean-sleep' : 'frozen';
    out({
      t: 'sleep',
      officerId: this.officerId,
      kind: s.kind,
      ms: Math.round(s.ms),
      atMs: Date.now() - started,
    });
    let closed = !this.ws;
    if (s.kind === 'clean') {
      this.expectingClose = true;
      this.ws?.close(1001, 'page hidden');
      closed = true;
    } else this.onFrozenClosed = () => (closed = true);
    const wake = () => {
      // A frozen phone wakes once the server has closed its old socket (as a real one finds it dead).
      if (!closed) return void setTimeout(wake, 500).unref();
      this.onFrozenClosed = null;
      s.done = true;
      this.state = 'awake';
      out({ t: 'wake', officerId: this.officerId, atMs: Date.now() - started });
      if (!stopping) this.connect();
    };
    setTimeout(wake, s.ms).unref();
  }

  summary() {
    return {
      officerId: this.officerId,
      sleeps: this.sleeps.filter((s) => s.done).length,
      unexplained: this.unexplained,
      acked: this.acked,
      pending: this.pending.size,
      refused: this.refused,
      reconnects: this.reconnects,
      awake: this.state === 'awake' && this.welcomed,
    };
  }
}

let stopping = false;
const phones = Array.from({ length: cfg.count }, (_, i) => new Phone(i));
// Join over a couple of seconds, as a room does.
phones.forEach((p, i) => setTimeout(() => p.connect(), (i * cfg.joinSpreadMs) / cfg.count).unref());

const status = () => ({
  t: 'status',
  joined: phones.filter((p) => p.token).length,
  awake: phones.filter((p) => p.state === 'awake' && p.welcomed).length,
  sleepsLeft: phones.reduce((n, p) => n + p.sleeps.filter((s) => !s.done).length, 0),
});
const timer = setInterval(() => out(status()), 1000);

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  out({ t: 'summary', phones: phones.map((p) => p.summary()) });
  for (const p of phones) p.ws?.close(1000, 'soak over');
  setTimeout(() => process.exit(0), 500);
});
out({ t: 'ready', count: cfg.count });
