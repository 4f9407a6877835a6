/** What the classroom benchmarks share: timing, bench worker processes, the real server, a console socket. */
import { execFileSync, fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { stop, track } from './procs';
import { applyTraineeChanges } from '../../shared/console-delta';
import type { ConsoleTrainees, TraineeRows } from '../../shared/console-delta';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** CLOCK_MONOTONIC in ms: the same clock in every process on the machine. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const step = (what: string) => process.stderr.write(`bench: ${what}\n`);
export const round = (x: number) => Math.round(x * 10) / 10;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
}

export function median(xs: number[]): number {
  return pct(xs, 50);
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

// ------------------------------------------------------------------ workers (simulated phones)
export interface Worker {
  proc: ChildProcess;
  call<T>(msg: object): Promise<T>;
}
let seq = 0;
export function startWorker(): Promise<Worker> {
  const proc = track(
    fork(path.join(import.meta.dirname, 'worker.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const pending = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();
  return new Promise((resolve) => {
    proc.on(
      'message',
      (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
        if (m.ready) resolve(worker);
        else if (m.id !== undefined) pending.get(m.id)?.(m as { ok: boolean });
      },
    );
    const worker: Worker = {
      proc,
      call<T>(msg: object) {
        const id = seq++;
        proc.send({ ...msg, id });
        return withTimeout(
          new Promise<T>((res, rej) =>
            pending.set(id, (r) => (r.ok ? res(r.result as T) : rej(new Error(r.error)))),
          ),
          120_000,
          JSON.stringify(msg).slice(0, 40),
        );
      },
    };
  });
}

/** Worker i's share of n phones. */
export function share(n: number, workers: number, i: number): { from: number; count: number } {
  const base = Math.floor(n / workers);
  const extra = i < n % workers ? 1 : 0;
  return { from: i * base + Math.min(i, n % workers), count: base + extra };
}

// ------------------------------------------------------------------ the real server
export interface Server {
  proc: ChildProcess;
  token: string;
  consolePort: string;
  lanPort: string;
  traineeUrl: string;
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, contentDir?: string): Promise<Server> {
  const args = [
    'serve',
    '--json',
    '--no-open',
    '--port',
    '0',
    '--data',
    dataDir,
    ...(contentDir ? ['--content', contentDir] : []),
  ];
  // BENCH_SERVER_NODE_ARGS: Node options for the server alone (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
  // to see where a join's time goes).
  const proc = track(
    spawn(
      process.execPath,
      [
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        path.join(ROOT, 'bin/muster.js'),
        ...args,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  );
  const line = await withTimeout(
    new Promise<string>((resolve) =>
      readline.createInterface({ input: proc.stdout! }).once('line', resolve),
    ),
    30_000,
    'server start',
  );
  const urls = JSON.parse(line) as { console: string; join: string };
  const consoleUrl = new URL(urls.console);
  const lanPort = new URL(urls.join).port;
  return {
    proc,
    token: consoleUrl.searchParams.get('token')!,
    consolePort: consoleUrl.port,
    lanPort,
    traineeUrl: `ws://127.0.0.1:${lanPort}/ws/trainee`,
    stop: () => stop(proc),
  };
}

/** Clock ticks per second of /proc's CPU times. */
let ticks = 0;
function ticksPerSecond(): number {
  if (!ticks) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** CPU time (user + system, ms) a process or one of its threads has used so far; NaN when gone. */
function cpuOf(file: string): number {
  try {
    const st = fs.readFileSync(file, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** The ids of a process's threads now (empty where /proc cannot be read). */
export function threadIds(pid: number): Set<string> {
  try {
    return new Set(fs.readdirSync(`/proc/${pid}/task`));
  } catch {
    return new Set();
  }
}

/**
 * CPU used so far: the server (all threads; its main thread alone; the threads in `writer`) and
 * the phones' processes. The rest of the server's CPU is V8's helper threads (the optimising
 * compiler, the garbage collector's parallel and concurrent work) and libuv's. /proc counts in
 * clock ticks (10 ms on Linux): what a thread used between two marks is known to about a tick
 * (the writer's share of 500 answers is about one).
 */
export interface CpuMark {
  server: number;
  serverMain: number;
  serverWriter: number;
  phones: number;
}
export function cpuMark(serverPid: number, workers: Worker[], writer = new Set<string>()): CpuMark {
  return {
    server: cpuOf(`/proc/${serverPid}/stat`),
    serverMain: cpuOf(`/proc/${serverPid}/task/${serverPid}/stat`),
    serverWriter: [...writer].reduce(
      (n, tid) => n + cpuOf(`/proc/${serverPid}/task/${tid}/stat`),
      0,
    ),
    phones: workers.reduce((n, w) => n + cpuOf(`/proc/${w.proc.pid}/stat`), 0),
  };
}

/**
 * CPU ms per phone between two marks. On this 2-core machine the phones' processes and the server
 * share the cores, so what the server spends per phone is what a wall-clock figure cannot separate
 * from the phones' own cost (and it varies far less from run to run).
 */
export function cpuPerPhone(a: CpuMark, b: CpuMark, n: number) {
  const per = (k: keyof CpuMark) => Math.round(((b[k] - a[k]) / n) * 1000) / 1000;
  return {
    server: per('server'),
    serverMain: per('serverMain'),
    serverWriter: per('serverWriter'),
    phones: per('phones'),
  };
}

/**
 * Connections the kernel has turned away so far because a listen queue was full (TcpExt
 * ListenOverflows in /proc/net/netstat: the whole machine, where only the bench runs); null where
 * there is no such file. A phone turned away sends its connection again a second later (TCP's
 * first retransmission), so at 5,000 phones joining at once these are the tail of "all joined",
 * for Muster and the floor alike.
 */
function listenOverflows(): number | null {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = lines[i].trim().split(/\s+/);
      if (names[0] !== 'TcpExt:') continue;
      const at = names.indexOf('ListenOverflows');
      return at > 0 ? Number(lines[i + 1].trim().split(/\s+/)[at]) : null;
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * The room joins: every phone of the workers' shares (N in all) opens its socket and joins at once,
 * the same for Muster and the floor. The last welcome and the median one from the start, the CPU
 * per phone of the server (`serverPid`) and the phones, and the connections the kernel turned away.
 */
export async function joinRoom(
  serverPid: number,
  workers: Worker[],
  N: number,
  url: string,
  roomCode: string,
  writer?: Set<string>,
) {
  const cpu = cpuMark(serverPid, workers, writer);
  const overflows = listenOverflows();
  const t0 = now();
  const joins = await Promise.all(
    workers.map((w, i) =>
      w.call<{ welcomeAts: number[] }>({
        cmd: 'join',
        url,
        roomCode,
        ...share(N, workers.length, i),
      }),
    ),
  );
  const welcomes = joins.flatMap((j) => j.welcomeAts);
  const joinCpu = cpuPerPhone(cpu, cpuMark(serverPid, workers, writer), N);
  const after = listenOverflows();
  return {
    allJoinedMs: round(Math.max(...welcomes) - t0),
    halfJoinedMs: round(median(welcomes) - t0),
    joinCpu,
    joinListenOverflows: overflows === null || after === null ? null : after - overflows,
  };
}

export function rssOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: round(kb('VmRSS') / 1024), peakRssMb: round(kb('VmHWM') / 1024) };
}

// ------------------------------------------------------------------ the console socket
export interface ConsoleMsg {
  t: string;
  id?: string;
  ok?: boolean;
  error?: string;
  session?: {
    id: string;
    slide: { question: unknown } | null;
    slideIndex: number;
    trainees: unknown[];
    results: { answered: number } | null;
    runId: string | null;
    assessment?: { submitted: number } | null;
  } | null;
}

/**
 * The console's socket. The trainee list arrives as changes (`console-trainees`) beside the
 * views; as the console page does, they are folded into each view's `session.trainees`.
 */
export function consoleClient(url: string) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const listeners = new Set<(m: ConsoleMsg, at: number) => void>();
  const rows: TraineeRows = new Map();
  let last: ConsoleMsg | null = null;
  ws.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as ConsoleMsg;
    if (m.t === 'console-trainees') {
      applyTraineeChanges(rows, m as unknown as ConsoleTrainees);
      return;
    }
    if (m.t === 'console') {
      if (m.session && !m.session.trainees) m.session.trainees = [...rows.values()];
      last = m;
    }
    for (const l of listeners) l(m, at);
  });
  const until = (pred: (m: ConsoleMsg) => boolean, what: string, ms = 120_000) =>
    withTimeout(
      new Promise<number>((resolve) => {
        if (last && pred(last)) return resolve(now());
        const l = (m: ConsoleMsg, at: number) => {
          if (pred(m)) {
            listeners.delete(l);
            resolve(at);
          }
        };
        listeners.add(l);
      }),
      ms,
      what,
    );
  const cmd = (c: object) => {
    const id = `bench${seq++}cmd`;
    const done = until((m) => m.t === 'result' && m.id === id, JSON.stringify(c));
    const sentAt = now();
    ws.send(JSON.stringify({ t: 'cmd', id, cmd: c }));
    return { sentAt, done };
  };
  return { ws, cmd, until, opened: new Promise((r) => ws.once('open', r)), last: () => last };
}
export type ConsoleClient = ReturnType<typeof consoleClient>;
