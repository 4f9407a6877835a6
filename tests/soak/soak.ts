/**
 * A class day, compressed: the real server in its own process, hundreds of simulated phones in
 * other processes (behind emulated venue Wi-Fi when the machine allows it, see netns.ts), an
 * instructor asking a question every so often, phones sleeping and waking. It reports what a room
 * would feel: sockets closed that nobody closed, attendance intervals per phone against what the
 * phone did, answer-to-ack times, answers lost, and the server's memory over time.
 *
 * `npm run soak` runs the full one (tests/soak/run.ts); tests/integration/soak.test.ts runs a
 * two-minute one inside `npm test`. Bounded: every wait has a limit, every process is stopped.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { VENUE_WIFI, phoneNetwork } from './netns';
import type { WifiSpec } from './netns';

export interface SoakOptions {
  phones: number;
  durationMs: number;
  heartbeatMs: number;
  /** A question opens this often, stays open `openMs`, then results are shown. */
  questionEveryMs: number;
  openMs: number;
  /** Share of phones that sleep, how many times at most, and for how long. */
  sleep: { share: number; max: number; minMs: number; maxMs: number };
  /** How long a phone takes to answer, from the question arriving. */
  thinkMs: [number, number];
  seed: number;
  /** The emulated Wi-Fi; null for plain loopback. */
  wifi: WifiSpec | null;
  phonesPerProcess: number;
  log: (line: string) => void;
}

export const SOAK_DEFAULTS: SoakOptions = {
  phones: 300,
  durationMs: 30 * 60_000,
  heartbeatMs: 30_000,
  questionEveryMs: 60_000,
  openMs: 35_000,
  sleep: { share: 0.3, max: 2, minMs: 60_000, maxMs: 150_000 },
  thinkMs: [1000, 20_000],
  seed: 1,
  wifi: VENUE_WIFI,
  phonesPerProcess: 150,
  log: (l) => process.stderr.write(`soak: ${l}\n`),
};

interface PhoneSummary {
  officerId: string;
  sleeps: number;
  unexplained: { atMs: number; code: number }[];
  acked: { msgId: string; runId: string; ms: number }[];
  pending: number;
  refused: number;
  reconnects: number;
  awake: boolean;
}

export interface SoakReport {
  network: string;
  phones: number;
  minutes: number;
  heartbeatMs: number;
  questions: number;
  sleeps: { phones: number; total: number; clean: number; frozen: number };
  /** Sockets closed that neither the phone nor the test closed: must be 0. */
  unexplainedCloses: number;
  unexplained: string[];
  /** Phones whose attendance intervals differ from 1 + their sleeps: must be none. */
  attendanceMismatches: string[];
  attendanceIntervals: { phones: number; total: number; expected: number };
  answers: { acked: number; lost: number; refusedAfterClose: number; unacknowledgedAtEnd: number };
  ackMs: { p50: number; p99: number; max: number };
  rssMb: { start: number; end: number; peak: number; trendMbPerHour: number; samples: number };
  instructorErrors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`soak: timed out waiting for ${what}`);
    await sleep(100);
  }
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

function lines(proc: ChildProcess, on: (m: Record<string, unknown>) => void): void {
  readline.createInterface({ input: proc.stdout! }).on('line', (l) => {
    try {
      on(JSON.parse(l) as Record<string, unknown>);
    } catch {
      // not a report line
    }
  });
}

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const o: SoakOptions = {
    ...SOAK_DEFAULTS,
    ...partial,
    sleep: { ...SOAK_DEFAULTS.sleep, ...partial.sleep },
  };
  const log = o.log;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-soak-'));
  const net = o.wifi
    ? phoneNetwork(o.phones, o.wifi)
    : {
        exec: [],
        serverHost: '127.0.0.1',
        phoneAddresses: undefined,
        description: 'loopback, no emulated Wi-Fi (asked for)',
        link: null,
        cleanup: () => undefined,
      };
  log(`network: ${net.description}`);
  const procs: ChildProcess[] = [];
  const instructorCloses: string[] = [];
  const sockets: WebSocket[] = [];
  let server: ChildProcess | null = null;
  let ending = false;
  try {
    // ---------------------------------------------------------------- the server
    server = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'server.ts'),
        dataDir,
        String(o.heartbeatMs),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    procs.push(server);
    const ready = await Promise.race([
      new Promise<{ consolePort: number; lanPort: number; token: string; pid: number }>((resolve) =>
        lines(server!, (m) => m.consolePort && resolve(m as never)),
      ),
      sleep(60_000).then(() => {
        throw new Error('soak: the server did not start');
      }),
    ]);
    const consoleUrl = `ws://127.0.0.1:${ready.consolePort}/ws/instructor?token=${ready.token}`;

    // ---------------------------------------------------------------- the instructor
    const con = new WebSocket(`${consoleUrl}&role=console`, { perMessageDeflate: false });
    const projector = new WebSocket(`${consoleUrl}&role=projector`, { perMessageDeflate: false });
    for (const [name, ws] of [
      ['console', con],
      ['projector', projector],
    ] as const) {
      sockets.push(ws);
      ws.on('close', (code) => {
        if (!ending) instructorCloses.push(`${name} closed (${code})`);
      });
    }
    await Promise.all([con, projector].map((ws) => new Promise((r) => ws.once('open', r))));
    let lastView: { session?: { roomCode?: string; join?: { roomCode: string } } | null } | null =
      null;
    const results = new Map<string, { ok: boolean; error?: string }>();
    con.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string; id?: string; ok?: boolean; error?: string };
      if (m.t === 'console') lastView = m as never;
      if (m.t === 'result' && m.id) results.set(m.id, { ok: !!m.ok, error: m.error });
    });
    let cmdSeq = 0;
    const instructorErrors: string[] = [];
    const cmd = async (c: object) => {
      const id = `soakcmd${cmdSeq++}`;
      con.send(JSON.stringify({ t: 'cmd', id, cmd: c }));
      await until(() => results.has(id), 30_000, `the result of ${JSON.stringify(c)}`);
      const r = results.get(id)!;
      if (!r.ok) instructorErrors.push(`${JSON.stringify(c)}: ${r.error}`);
      return r;
    };
    await cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    await until(() => !!lastView?.session?.join?.roomCode, 10_000, 'the room code');
    const roomCode = lastView!.session!.join!.roomCode;
    const deck = (await (
      await fetch(
        `http://127.0.0.1:${ready.consolePort}/api/decks/demo/01-welcome.md?token=${ready.token}`,
      )
    ).json()) as { slides: { question: unknown }[] };
    const questionSlides = deck.slides.map((s, i) => (s.question ? i : -1)).filter((i) => i >= 0);

    // ---------------------------------------------------------------- the phones
    const workers = Math.ceil(o.phones / o.phonesPerProcess);
    const status = new Map<number, { joined: number; awake: number; sleepsLeft: number }>();
    const summaries: PhoneSummary[] = [];
    const sleepEvents: { kind: string }[] = [];
    for (let w = 0; w < workers; w++) {
      const offset = w * o.phonesPerProcess;
      const count = Math.min(o.phonesPerProcess, o.phones - offset);
      const cfg = {
        url: `ws://${net.serverHost}:${ready.lanPort}/ws/trainee`,
        roomCode,
        offset,
        count,
        localAddresses: net.phoneAddresses?.slice(offset, offset + count),
        link: net.link,
        durationMs: o.durationMs,
        sleep: o.sleep,
        thinkMs: o.thinkMs,
        joinSpreadMs: Math.min(10_000, o.phones * 10),
        seed: o.seed * 1000 + w + 1,
      };
      const [cmd0, ...args] = [
        ...net.exec,
        process.execPath,
        path.join(import.meta.dirname, 'phones.mjs'),
        JSON.stringify(cfg),
      ];
      const p = spawn(cmd0, args, {
        stdio: ['pipe', 'pipe', 'inherit'],
        cwd: path.resolve(import.meta.dirname, '../..'),
      });
      procs.push(p);
      lines(p, (m) => {
        if (m.t === 'status') status.set(w, m as never);
        else if (m.t === 'summary') summaries.push(...(m.phones as PhoneSummary[]));
        else if (m.t === 'sleep') sleepEvents.push(m as never);
        else if (m.t === 'unexplained') log(`unexplained close: ${JSON.stringify(m)}`);
      });
    }
    const total = (k: 'joined' | 'awake' | 'sleepsLeft') =>
      [...status.values()].reduce((n, s) => n + s[k], 0);
    await until(() => total('joined') === o.phones, 120_000, `all ${o.phones} phones to join`);
    const startedAt = Date.now();
    log(`${o.phones} phones joined; running for ${Math.round(o.durationMs / 60_000)} min`);

    // ---------------------------------------------------------------- the class
    const rss: { x: number; y: number }[] = [{ x: 0, y: rssMb(ready.pid) }];
    const sampler = setInterval(
      () => rss.push({ x: (Date.now() - startedAt) / 3_600_000, y: rssMb(ready.pid) }),
      5000,
    );
    let questions = 0;
    while (Date.now() - startedAt < o.durationMs) {
      const periodStart = Date.now();
      const slide = questionSlides[questions % questionSlides.length];
      await cmd({ type: 'goto', index: slide });
      await cmd({ type: 'openQuestion' });
      questions++;
      await sleep(Math.max(0, o.openMs - (Date.now() - periodStart)));
      await cmd({ type: 'closeQuestion' });
      await cmd({ type: 'showResults' });
      if (questions % 5 === 0)
        log(
          `${Math.round((Date.now() - startedAt) / 1000)} s: ${questions} questions; ${total('awake')} phones awake; server RSS ${rssMb(ready.pid).toFixed(0)} MB`,
        );
      await sleep(Math.max(0, o.questionEveryMs - (Date.now() - periodStart)));
    }
    // Every phone back from its sleeps before the class ends (their attendance must add up).
    await until(
      () => total('sleepsLeft') === 0 && total('awake') === o.phones,
      5 * 60_000 + o.sleep.maxMs,
      'every phone to wake',
    );
    await sleep(2000);
    clearInterval(sampler);
    rss.push({ x: (Date.now() - startedAt) / 3_600_000, y: rssMb(ready.pid) });
    const peak =
      Number(
        /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${ready.pid}/status`, 'utf8'))?.[1] ?? 0,
      ) / 1024;
    ending = true;
    await cmd({ type: 'endSession' });
    for (const p of procs.slice(1)) p.stdin!.write('stop\n');
    await until(() => summaries.length === o.phones, 30_000, 'the phones’ summaries');
    for (const ws of sockets) ws.close();

    // ---------------------------------------------------------------- what the records say
    server.stdin!.end();
    await new Promise((r) => server!.once('exit', r));
    const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
    const joins = new Map(
      (
        db
          .prepare(
            `SELECT t.officer_id AS id, COUNT(*) AS n FROM attendance a JOIN trainees t ON t.id = a.trainee_id WHERE a.event = 'join' GROUP BY t.officer_id`,
          )
          .all() as { id: string; n: number }[]
      ).map((r) => [r.id, r.n]),
    );
    const stored = new Set(db.prepare(`SELECT msg_id FROM answer_log`).pluck().all() as string[]);
    db.close();

    const acked = summaries.flatMap((s) => s.acked);
    const ack = acked.map((a) => a.ms);
    const mismatches = summaries
      .filter((s) => (joins.get(s.officerId) ?? 0) !== 1 + s.sleeps)
      .map((s) => `${s.officerId}: ${joins.get(s.officerId) ?? 0} intervals, slept ${s.sleeps}×`);
    const unexplained = [
      ...summaries.flatMap((s) =>
        s.unexplained.map(
          (u) => `${s.officerId} closed (${u.code}) at ${Math.round(u.atMs / 1000)} s`,
        ),
      ),
      ...instructorCloses,
    ];
    const half = rss.filter((p) => p.x >= rss[rss.length - 1].x / 2);
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      network: net.description,
      phones: o.phones,
      minutes: r1((Date.now() - startedAt) / 60_000),
      heartbeatMs: o.heartbeatMs,
      questions,
      sleeps: {
        phones: summaries.filter((s) => s.sleeps > 0).length,
        total: summaries.reduce((n, s) => n + s.sleeps, 0),
        clean: sleepEvents.filter((e) => e.kind === 'clean').length,
        frozen: sleepEvents.filter((e) => e.kind === 'frozen').length,
      },
      unexplainedCloses: unexplained.length,
      unexplained: unexplained.slice(0, 20),
      attendanceMismatches: mismatches.slice(0, 20),
      attendanceIntervals: {
        phones: summaries.length,
        total: [...joins.values()].reduce((a, b) => a + b, 0),
        expected: summaries.reduce((n, s) => n + 1 + s.sleeps, 0),
      },
      answers: {
        acked: acked.length,
        lost: acked.filter((a) => !stored.has(a.msgId)).length,
        refusedAfterClose: summaries.reduce((n, s) => n + s.refused, 0),
        unacknowledgedAtEnd: summaries.reduce((n, s) => n + s.pending, 0),
      },
      ackMs: { p50: pct(ack, 50), p99: pct(ack, 99), max: Math.max(...ack) },
      rssMb: {
        start: r1(rss[0].y),
        end: r1(rss[rss.length - 1].y),
        peak: r1(peak),
        trendMbPerHour: r1(slope(half)),
        samples: rss.length,
      },
      instructorErrors,
    };
  } finally {
    ending = true;
    for (const ws of sockets) ws.terminate();
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    net.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
