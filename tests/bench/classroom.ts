/**
 * The classroom load benchmark: `npm run bench -- --trainees 500 [--procs 4] [--rounds 5]`.
 * Starts the real `muster serve` in its own process, simulates trainees in separate processes over
 * real WebSockets on 127.0.0.1, and measures what people feel:
 * - all joined: from the first connect to the last "welcome";
 * - question push: from the console's "Open question" send to each phone's receipt (p50, p99);
 * - last answer to console: from the last answer sent to the console view counting every answer;
 * - server RSS; answers lost (sent but not in the database after the run).
 * Beside it, the machine's floor: a bare `ws` broadcast to the same number of sockets.
 * Prints one JSON object. Bounded: every wait has a time limit; traffic stays on loopback.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import WebSocket from 'ws';

const ROOT = path.resolve(import.meta.dirname, '../..');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const step = (what: string) => process.stderr.write(`bench: ${what}\n`);

const { values } = parseArgs({
  options: {
    trainees: { type: 'string', default: '500' },
    procs: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
  },
});
const N = Number(values.trainees);
const P = Math.min(Number(values.procs), N);
const ROUNDS = Number(values.rounds);
if (!(N > 0 && N <= 2000)) throw new Error('--trainees: 1 to 2000');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
}
const round = (x: number) => Math.round(x * 10) / 10;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

// ------------------------------------------------------------------ workers
interface Worker {
  proc: ChildProcess;
  call<T>(msg: object): Promise<T>;
}
let seq = 0;
function startWorker(): Promise<Worker> {
  const proc = fork(path.join(import.meta.dirname, 'worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();
  return new Promise((resolve) => {
    proc.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.ready) resolve(worker);
      else if (m.id !== undefined) pending.get(m.id)?.(m as { ok: boolean });
    });
    const worker: Worker = {
      proc,
      call<T>(msg: object) {
        const id = seq++;
        proc.send({ ...msg, id });
        return withTimeout(
          new Promise<T>((res, rej) => pending.set(id, (r) => (r.ok ? res(r.result as T) : rej(new Error(r.error))))),
          60_000,
          JSON.stringify(msg).slice(0, 40),
        );
      },
    };
  });
}

function share(i: number): { from: number; count: number } {
  const base = Math.floor(N / P);
  const extra = i < N % P ? 1 : 0;
  return { from: i * base + Math.min(i, N % P), count: base + extra };
}

// ------------------------------------------------------------------ the real server
async function startServer(dataDir: string, contentDir?: string) {
  const args = ['serve', '--json', '--no-open', '--port', '0', '--data', dataDir, ...(contentDir ? ['--content', contentDir] : [])];
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/muster.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await withTimeout(
    new Promise<string>((resolve) => readline.createInterface({ input: proc.stdout! }).once('line', resolve)),
    30_000,
    'server start',
  );
  const urls = JSON.parse(line) as { console: string; join: string };
  const consoleUrl = new URL(urls.console);
  const lanPort = new URL(urls.join).port;
  return { proc, token: consoleUrl.searchParams.get('token')!, consolePort: consoleUrl.port, traineeUrl: `ws://127.0.0.1:${lanPort}/ws/trainee` };
}

interface ConsoleMsg {
  t: string;
  id?: string;
  ok?: boolean;
  error?: string;
  session?: { slide: { question: unknown } | null; slideIndex: number; trainees: unknown[]; results: { answered: number } | null; runId: string | null; assessment?: { submitted: number } | null } | null;
}

function consoleClient(url: string) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const listeners = new Set<(m: ConsoleMsg, at: number) => void>();
  let last: ConsoleMsg | null = null;
  ws.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as ConsoleMsg;
    if (m.t === 'console') last = m;
    for (const l of listeners) l(m, at);
  });
  const until = (pred: (m: ConsoleMsg) => boolean, what: string) =>
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
      60_000,
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

function rssOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: round(kb('VmRSS') / 1024), peakRssMb: round(kb('VmHWM') / 1024) };
}

/**
 * Everyone answers an open word-cloud question at once. While answers arrive the projector must
 * update at least 5 times a second (no gap over 200 ms), and show the final count soon after the last.
 */
async function wordCloud(server: { consolePort: string; token: string }, con: ReturnType<typeof consoleClient>, workers: Worker[], spreadMs = 0) {
  const deck = (await (await fetch(`http://127.0.0.1:${server.consolePort}/api/decks/demo/01-welcome.md?token=${server.token}`)).json()) as { slides: { question: { type: string } | null }[] };
  const index = deck.slides.findIndex((sl) => sl.question?.type === 'text');
  await con.cmd({ type: 'closeQuestion' }).done;
  await con.cmd({ type: 'goto', index }).done;
  const proj = new WebSocket(`ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`, { perMessageDeflate: false });
  const updates: { at: number; answered: number }[] = [];
  proj.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as { t: string; results?: { answered: number } | null };
    if (m.t === 'projector' && m.results) updates.push({ at, answered: m.results.answered });
  });
  await new Promise((r) => proj.once('open', r));
  await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' })));
  await con.cmd({ type: 'openQuestion' }).done;
  await Promise.all(workers.map((w) => w.call({ cmd: 'questionTimes' })));
  const words = ['victim-centred', 'indicators', 'safety', 'task force', 'evidence', 'trust', 'questions', 'patrol', 'resources', 'labour'];
  const sent = await Promise.all(workers.map((w) => w.call<{ sentAts: number[] }>({ cmd: 'answer', options: words, spreadMs })));
  const firstSent = Math.min(...sent.flatMap((a) => a.sentAts));
  const lastSent = Math.max(...sent.flatMap((a) => a.sentAts));
  const deadline = Date.now() + 5000;
  while (!updates.some((u) => u.answered === N) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const final = updates.find((u) => u.answered === N);
  const during = updates.filter((u) => u.at >= firstSent && (!final || u.at <= final.at));
  // From the first answer sent to each update in turn: the longest the room waited for news.
  const times = [firstSent, ...during.map((u) => u.at)];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  proj.close();
  const windowMs = (final?.at ?? NaN) - firstSent;
  return {
    answers: N,
    answersSpreadOverMs: spreadMs,
    answeringWindowMs: round(windowMs),
    projectorUpdatesWhileAnswering: during.length,
    projectorUpdatesPerSecond: round((during.length / windowMs) * 1000),
    maxGapBetweenUpdatesMs: gaps.length ? round(Math.max(...gaps)) : null,
    finalShownAfterLastAnswerMs: round((final?.at ?? NaN) - lastSent),
  };
}

/**
 * A self-paced test: the instructor starts it (click → every phone has it), then every phone sends
 * all its answers and its hand-in at once (a class that took it offline, reconnecting together).
 */
async function selfPaced(con: ReturnType<typeof consoleClient>, workers: Worker[], dataDir: string) {
  await con.cmd({ type: 'closeQuestion' }).done;
  const open = con.cmd({ type: 'openAssessment', key: 'check' });
  await open.done;
  const times = await Promise.all(workers.map((w) => w.call<{ assessmentAts: number[] }>({ cmd: 'assessmentTimes' })));
  const push = times.flatMap((t) => t.assessmentAts.map((at) => at - open.sentAt));
  const allIn = con.until((m) => m.t === 'console' && m.session?.assessment?.submitted === N, 'console counts every hand-in');
  const values = [true, 'Correct answers only', ['Check-in and check-out times', 'Your answers'], 6, true];
  const took = await Promise.all(
    workers.map((w) => w.call<{ answersSent: number; submitsSent: number; ackMs: number[]; lastSubmitAt: number; errors: number }>({ cmd: 'takeAssessment', values })),
  );
  const consoleAt = await allIn.catch(() => NaN);
  const acks = took.flatMap((t) => t.ackMs);
  const sent = took.reduce((n, t) => n + t.answersSent, 0);
  await con.cmd({ type: 'closeAssessment' }).done;
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const stored = (db.prepare(`SELECT COUNT(*) AS n FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id IS NOT NULL`).get() as { n: number }).n;
  const handedIn = (db.prepare(`SELECT COUNT(*) AS n FROM assessment_submissions`).get() as { n: number }).n;
  db.close();
  return {
    questions: values.length,
    pushToPhonesMs: { p50: pct(push, 50), p99: pct(push, 99), max: pct(push, 100) },
    answersSent: sent,
    answersStored: stored,
    answersLost: sent - stored,
    handInsStored: handedIn,
    ackMs: { p50: pct(acks, 50), p99: pct(acks, 99), max: pct(acks, 100) },
    lastHandInToConsoleMs: round(consoleAt - Math.max(...took.map((t) => t.lastSubmitAt))),
    errors: took.reduce((n, t) => n + t.errors, 0),
  };
}

/** Console "next"/"prev" to the projector's receipt of the new slide, over real sockets. */
async function measureSlideChanges(server: { consolePort: string; token: string }, con: ReturnType<typeof consoleClient>, changes = 60) {
  const proj = new WebSocket(`ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`, { perMessageDeflate: false });
  let waiting: { index: number; resolve: (at: number) => void } | null = null;
  proj.on('message', (d) => {
    const at = now();
    const m = JSON.parse(String(d)) as { t: string; slide?: { index: number } };
    if (waiting && m.t === 'projector' && m.slide?.index === waiting.index) {
      waiting.resolve(at);
      waiting = null;
    }
  });
  await new Promise((r) => proj.once('open', r));
  const start = con.last()?.session?.slideIndex ?? 0;
  const latencies: number[] = [];
  for (let i = 0; i < changes; i++) {
    const forward = i % 2 === 0;
    const index = forward ? start + 1 : start;
    const seen = withTimeout(new Promise<number>((resolve) => (waiting = { index, resolve })), 10_000, 'projector slide');
    const c = con.cmd({ type: forward ? 'next' : 'prev' });
    latencies.push((await seen) - c.sentAt);
    await c.done;
  }
  proj.close();
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), samples: latencies.length };
}

/**
 * A 300-slide deck: how long the server takes to start with it (loading and rendering all content),
 * and from "Start session" to the projector holding the first slide.
 */
async function bigDeck() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-deck-'));
  const course = path.join(dir, 'big');
  fs.mkdirSync(course);
  fs.writeFileSync(path.join(course, 'course.yaml'), 'id: big\ntitle: Big course\nmodules:\n  - file: big.md\n    title: Big deck\n    minutes: 300\n');
  const slides = Array.from({ length: 300 }, (_, i) =>
    i % 10 === 9
      ? `<!-- id: q-${i} -->\n\`\`\`question\nid: big-q-${i}\ntype: single\nprompt: "Question ${i}?"\noptions: ["A", "B", "C", "D"]\ncorrect: "B"\n\`\`\`\n\nNotes:\nAsk it.`
      : `<!-- id: s-${i} -->\n# Slide ${i + 1}\n\n- A point about **topic ${i}**\n- Another point, with a [link](https://example.org)\n- A third point\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNotes:\nSay something about slide ${i + 1}.`,
  );
  fs.writeFileSync(path.join(course, 'big.md'), `---\ntitle: Big deck\n---\n${slides.join('\n---\n')}\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-big-'));
  const spawned = now();
  const server = await startServer(dataDir, dir);
  const serverReadyMs = round(now() - spawned);
  const con = consoleClient(`ws://127.0.0.1:${server.consolePort}/ws/instructor?role=console&token=${server.token}`);
  const proj = new WebSocket(`ws://127.0.0.1:${server.consolePort}/ws/instructor?role=projector&token=${server.token}`, { perMessageDeflate: false });
  await Promise.all([con.opened, new Promise((r) => proj.once('open', r))]);
  const first = withTimeout(
    new Promise<number>((resolve) =>
      proj.on('message', (d) => {
        const m = JSON.parse(String(d)) as { t: string; slide?: { id: string } };
        if (m.t === 'projector' && m.slide?.id === 's-0') resolve(now());
      }),
    ),
    10_000,
    'first slide of the big deck',
  );
  const c = con.cmd({ type: 'startSession', deck: { course: 'big', file: 'big.md' } });
  const firstSlideMs = round((await first) - c.sentAt);
  const slideCount = (await (await fetch(`http://127.0.0.1:${server.consolePort}/api/decks/big/big.md?token=${server.token}`)).json()) as { slides: unknown[] };
  proj.close();
  con.ws.close();
  server.proc.kill('SIGTERM');
  await new Promise((r) => server.proc.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { slides: slideCount.slides.length, serverReadyMs, firstSlideMs };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-'));
  const server = await startServer(dataDir);
  const con = consoleClient(`ws://127.0.0.1:${server.consolePort}/ws/instructor?role=console&token=${server.token}`);
  await con.opened;
  await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } }).done;
  // Step to the first slide with a question.
  for (let i = 0; i < 10 && !con.last()?.session?.slide?.question; i++) {
    await con.cmd({ type: 'next' }).done;
    await con.until((m) => m.t === 'console' && m.session?.slideIndex === i + 1, 'slide change');
  }
  const roomCode = await (async () => {
    const res = await fetch(`http://127.0.0.1:${server.consolePort}/api/sessions?token=${server.token}`);
    return ((await res.json()) as { room_code: string }[])[0].room_code;
  })();

  step('started session; starting workers');
  const workers = await Promise.all(Array.from({ length: P }, () => startWorker()));

  step(`joining ${server.traineeUrl} room ${roomCode}`);
  // 1. Everyone joins at once.
  const t0 = now();
  const joins = await Promise.all(workers.map((w, i) => w.call<{ welcomeAts: number[] }>({ cmd: 'join', url: server.traineeUrl, roomCode, ...share(i) })));
  const allJoinedMs = round(Math.max(...joins.flatMap((j) => j.welcomeAts)) - t0);
  await con.until((m) => m.t === 'console' && m.session?.trainees.length === N, 'console sees everyone');

  step('changing slides');
  const slideChange = await measureSlideChanges(server, con);

  step('pushing questions');
  // 2. Question push, several rounds: open, (close), open again.
  const pushLatencies: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) await con.cmd({ type: 'closeQuestion' }).done;
    await new Promise((res) => setTimeout(res, 200));
    await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' }).catch(() => undefined)));
    const open = con.cmd({ type: 'openQuestion' });
    await open.done;
    const times = await Promise.all(workers.map((w) => w.call<{ questionAts: number[] }>({ cmd: 'questionTimes' })));
    for (const t of times.flatMap((x) => x.questionAts)) pushLatencies.push(t - open.sentAt);
  }

  step('answering');
  // 3. Everyone answers at once; when does the console count the last one?
  const seen = con.until((m) => m.t === 'console' && m.session?.results?.answered === N, 'console counts all answers');
  const answers = await Promise.all(workers.map((w) => w.call<{ sentAts: number[]; ackAts: number[]; errors: number }>({ cmd: 'answer', options: ['Days', 'Evenings', 'Nights', 'Rotating'] })));
  const consoleAllAt = await seen.catch(() => NaN);
  const lastSent = Math.max(...answers.flatMap((a) => a.sentAts));
  const ackLatencies = answers.flatMap((a) => a.ackAts.map((ack, i) => (ack ? ack - a.sentAts[i] : NaN))).filter((x) => !Number.isNaN(x));
  const mem = rssOf(server.proc.pid!);
  const runId = (con.last()?.session?.runId as string) ?? '';

  step('word cloud');
  // All at once (the worst burst), then spread over 3 s as a class really types.
  const cloud = { burst: await wordCloud(server, con, workers), spread3s: await wordCloud(server, con, workers, 3000) };

  step('self-paced test');
  const test = await selfPaced(con, workers, dataDir);

  step('stopping server');
  // 4. Stop the server, then count what the database holds.
  con.ws.close();
  server.proc.kill('SIGTERM');
  await new Promise((r) => server.proc.once('exit', r));
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const stored = (db.prepare('SELECT COUNT(*) AS n FROM responses WHERE run_id = ?').get(runId) as { n: number }).n;
  db.close();

  step('measuring the floor');
  // 5. The floor: a bare ws broadcast to the same number of sockets from the same processes.
  const floorProc = spawn(process.execPath, [path.join(import.meta.dirname, 'floor-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const floorPort = (JSON.parse(await new Promise<string>((r) => readline.createInterface({ input: floorProc.stdout! }).once('line', r))) as { port: number }).port;
  await Promise.all(workers.map((w, i) => w.call({ cmd: 'floorOpen', url: `ws://127.0.0.1:${floorPort}/`, count: share(i).count })));
  const control = new WebSocket(`ws://127.0.0.1:${floorPort}/control`, { perMessageDeflate: false });
  await new Promise((r) => control.once('open', r));
  const floorSent: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await new Promise((res) => setTimeout(res, 200));
    floorSent.push(now());
    control.send(JSON.stringify({ round: r, q: { prompt: 'Which shift do you usually work?', options: ['Days', 'Evenings', 'Nights', 'Rotating'] } }));
    await new Promise((res) => control.once('message', res));
  }
  const floorTimes = await Promise.all(workers.map((w) => w.call<{ times: number[][] }>({ cmd: 'floorTimes', rounds: ROUNDS })));
  const floorLatencies = floorTimes.flatMap((f) => f.times.flatMap((ts) => ts.map((t, r) => t - floorSent[r])));
  control.close();
  floorProc.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.call({ cmd: 'exit' }).catch(() => undefined)));
  fs.rmSync(dataDir, { recursive: true, force: true });

  step('loading a 300-slide deck');
  const deck300 = await bigDeck();

  const out = {
    trainees: N,
    processes: P,
    rounds: ROUNDS,
    allJoinedMs,
    pushLatencyMs: { p50: pct(pushLatencies, 50), p99: pct(pushLatencies, 99), max: pct(pushLatencies, 100), samples: pushLatencies.length },
    floorBroadcastMs: { p50: pct(floorLatencies, 50), p99: pct(floorLatencies, 99), max: pct(floorLatencies, 100), samples: floorLatencies.length },
    answerAckMs: { p50: pct(ackLatencies, 50), p99: pct(ackLatencies, 99) },
    lastAnswerToConsoleMs: round(consoleAllAt - lastSent),
    slideChangeToProjectorMs: slideChange,
    wordCloud: cloud,
    selfPacedTest: test,
    deck300,
    serverRssMb: mem.rssMb,
    serverPeakRssMb: mem.peakRssMb,
    answersSent: N,
    answersAcked: ackLatencies.length,
    answersStored: stored,
    answersLost: N - stored,
    answerErrors: answers.reduce((n, a) => n + a.errors, 0),
    targets: { allJoinedMs: 2000, pushP99Ms: 50, lastAnswerToConsoleMs: 250, answersLost: 0, slideChangeP99Ms: 50, deck300FirstSlideMs: 1000, wordCloudMaxGapMs: 200, wordCloudFinalMs: 250 },
  };
  console.log(JSON.stringify(out, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
