/**
 * The classroom load benchmark:
 * `npm run bench [-- --trainees 500,2000,5000] [--procs 4] [--rounds 5] [--runs 1] [--classes 1]`.
 * For each class size, starts the real `muster serve` in its own process, simulates trainees in
 * separate processes over real WebSockets on 127.0.0.1, and measures what people feel:
 * - all joined: from the first connect to the last "welcome";
 * - question push: from the console's "Open question" send to each phone's receipt (p50, p99);
 * - last answer to console: from the last answer sent to the console view counting every answer
 *   (phones answer only once every phone has the question);
 * - server RSS idle (started, session open, nobody joined: what it holds once it has been quiet for
 *   10 s, with what it held 1 s after the session opened beside it) and peak; answers lost.
 * Beside each, the machine's floor (floor.ts): a bare `ws` server with the same phones, the same
 * processes and no application work. The first size also runs the word cloud, the self-paced test
 * and slide changes; then a 300-slide deck and the trainee page on a weak signal (page.ts).
 * With `--runs N`, each timed figure is the median of the N runs (the runs' own figures beside it in
 * the JSON); CPU and memory come from the run whose all-joined time is the median.
 * With `--classes K`, each run's server takes K − 1 more classes of the same size after its first,
 * as it would later in a day, and their join, answer and CPU figures are printed beside the first
 * class's. The targets are read from the first class: a fresh server, the room's worst case.
 * Prints one JSON object, then the issue's targets as a table. Every wait has a time limit; every
 * process it starts is ended on success or failure (procs.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  consoleClient,
  cpuMark,
  cpuPerPhone,
  joinRoom,
  median,
  pct,
  round,
  rssOf,
  sleep,
  startServer,
  startWorker,
  step,
  threadIds,
} from './lib';
import type { ConsoleClient, Worker } from './lib';
import { runFloor } from './floor';
import { firstLoad, timeToInteractive } from './page';
import { runMain, tempDir } from './procs';
import { bigDeck, measureSlideChanges, selfPaced, wordCloud } from './scenarios';
import { printTargets } from './targets';

const { values } = parseArgs({
  options: {
    trainees: { type: 'string', default: '500,2000,5000' },
    procs: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '1' },
    classes: { type: 'string', default: '1' },
    'page-runs': { type: 'string', default: '5' },
  },
});
const SIZES = values.trainees.split(',').map(Number);
if (!SIZES.every((n) => Number.isInteger(n) && n > 0 && n <= 5000))
  throw new Error('--trainees: sizes from 1 to 5000, comma-separated');
const PROCS = Number(values.procs);
const ROUNDS = Number(values.rounds);
const RUNS = Math.max(1, Number(values.runs));
const CLASSES = Math.max(1, Number(values.classes));

/** The listen backlog the kernel really gave a port (ss: Send-Q of a listening socket). */
function listenBacklog(port: string): number | null {
  try {
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      .trim()
      .split('\n')[0];
    return Number(line.split(/\s+/)[2]) || null;
  } catch {
    return null;
  }
}

type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * One class of N phones against Muster: a fresh server, as at the start of a day (and, when `full`,
 * the other scenarios). With `--classes K`, K − 1 more classes of N follow on the same server, as
 * later in that day; their figures are printed beside the first class's (`nextClasses`), which are
 * the ones the targets are read from.
 */
async function musterRun(N: number, workers: Worker[], full: boolean) {
  const dataDir = tempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-')));
  const server = await startServer(dataDir);
  // The threads a server has before its first class; the records' writer thread comes with the class.
  const startupThreads = threadIds(server.proc.pid!);
  const con = consoleClient(
    `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=console&token=${server.token}`,
  );
  await con.opened;
  const first = await runClass(server, con, N, workers, {
    startupThreads,
    dataDir,
    first: true,
    full,
  });
  // The first class's memory: the targets' (a later class starts from what this one left).
  const mem = rssOf(server.proc.pid!);
  const backlog = listenBacklog(server.lanPort);
  const later: ClassResult[] = [];
  for (let c = 1; c < CLASSES; c++) {
    await con.cmd({ type: 'endSession' }).done;
    await Promise.all(workers.map((w) => w.call({ cmd: 'closeAll' })));
    // A pause, as between two classes, while the server stores the phones' leaves.
    await sleep(3000);
    step(`${N} phones: class ${c + 1} on the same server`);
    later.push(
      await runClass(server, con, N, workers, {
        startupThreads,
        dataDir,
        first: false,
        full: false,
      }),
    );
  }
  con.ws.close();
  await server.stop();
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  const lost = (c: ClassResult) =>
    N -
    (
      db.prepare('SELECT COUNT(*) AS n FROM responses WHERE run_id = ?').get(c.runId) as {
        n: number;
      }
    ).n;
  const answersLost = lost(first);
  const nextClasses = later.map((c) => ({
    allJoinedMs: c.allJoinedMs,
    joinListenOverflows: c.joinListenOverflows,
    lastAnswerToConsoleMs: c.lastAnswerToConsoleMs,
    pushP99Ms: pct(c.push, 99),
    cpuMsPerPhone: c.cpuMsPerPhone,
    answersLost: lost(c),
  }));
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await Promise.all(workers.map((w) => w.call({ cmd: 'closeAll' })));
  const { push, pushRoundsMax, acks, idle, ...rest } = first;
  return {
    ...rest,
    pushLatencyMs: {
      p50: pct(push, 50),
      p99: pct(push, 99),
      max: pct(push, 100),
      samples: push.length,
      roundsMax: pushRoundsMax,
    },
    answerAckMs: { p50: pct(acks, 50), p99: pct(acks, 99) },
    answersSent: N,
    answersAcked: acks.length,
    answersStored: N - answersLost,
    answersLost,
    serverIdleRssMb: idle?.rssMb ?? NaN,
    serverIdleRssAt1sMb: idle?.at1s.rssMb ?? NaN,
    serverRssMb: mem.rssMb,
    serverPeakRssMb: mem.peakRssMb,
    lanListenBacklog: backlog,
    ...(nextClasses.length ? { nextClasses } : {}),
  };
}

type ClassResult = Awaited<ReturnType<typeof runClass>>;

/**
 * A class on a running server: the session opens on the demo deck's first question, N phones
 * join, the question is pushed {@link ROUNDS} times, and every phone answers once. The server's
 * `first` class also reads its idle memory first; `full` adds the slide changes, the word cloud
 * and the self-paced test. `startupThreads`: the server's threads before its first class.
 */
async function runClass(
  server: Server,
  con: ConsoleClient,
  N: number,
  workers: Worker[],
  o: { startupThreads: Set<string>; dataDir: string; first: boolean; full: boolean },
) {
  const { startupThreads, dataDir, full } = o;
  const before = con.last()?.session?.id;
  await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } }).done;
  // The console's last view is the new session's before its slide is looked at (after a first
  // class it would still be that class's, on its question).
  await con.until(
    (m) => m.t === 'console' && !!m.session && m.session.id !== before,
    'the new session',
  );
  for (let i = 0; i < 10 && !con.last()?.session?.slide?.question; i++) {
    await con.cmd({ type: 'next' }).done;
    await con.until((m) => m.t === 'console' && m.session?.slideIndex === i + 1, 'slide change');
  }
  // The newest session first.
  const roomCode = (
    (await (
      await fetch(`http://127.0.0.1:${server.consolePort}/api/sessions?token=${server.token}`)
    ).json()) as { room_code: string }[]
  )[0].room_code;
  // Idle is what the server holds while the room waits for phones. Within seconds of going quiet
  // V8 gives back the young generation that starting and the slide changes grew (~8 MB): the
  // figure is read after 10 s of quiet, as a class waiting for its phones is, and the reading
  // 1 s after the session opened is printed beside it.
  let idle: (ReturnType<typeof rssOf> & { at1s: ReturnType<typeof rssOf> }) | null = null;
  if (o.first) {
    await sleep(1000);
    const at1s = rssOf(server.proc.pid!);
    await sleep(9000);
    idle = { ...rssOf(server.proc.pid!), at1s };
  }

  const writer = new Set(
    [...threadIds(server.proc.pid!)].filter((tid) => !startupThreads.has(tid)),
  );

  step(`${N} phones join (threads started with the class: ${writer.size})`);
  const { allJoinedMs, halfJoinedMs, joinCpu, joinListenOverflows } = await joinRoom(
    server.proc.pid!,
    workers,
    N,
    server.traineeUrl,
    roomCode,
    writer,
  );
  await con.until(
    (m) => m.t === 'console' && m.session?.trainees.length === N,
    'console sees everyone',
  );

  const slideChange = full ? await measureSlideChanges(server, con) : null;
  step(`${N} phones: question pushes`);
  const push: number[] = [];
  /** The last phone's wait in each round: one slow round makes the p99. */
  const pushRoundsMax: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) await con.cmd({ type: 'closeQuestion' }).done;
    await sleep(200);
    await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' })));
    const open = con.cmd({ type: 'openQuestion' });
    await open.done;
    const times = await Promise.all(
      workers.map((w) => w.call<{ questionAts: number[] }>({ cmd: 'questionTimes' })),
    );
    const round = times.flatMap((x) => x.questionAts).map((t) => t - open.sentAt);
    push.push(...round);
    pushRoundsMax.push(round.length ? pct(round, 100) : NaN);
  }

  step(`${N} phones answer`);
  // A quiet moment first, as in class between the push and the answers.
  await sleep(300);
  const cpuAnswers = cpuMark(server.proc.pid!, workers, writer);
  const seen = con.until(
    (m) => m.t === 'console' && m.session?.results?.answered === N,
    'console counts all answers',
  );
  const answers = await Promise.all(
    workers.map((w) =>
      w.call<{ sentAts: number[]; ackAts: number[]; errors: number }>({
        cmd: 'answer',
        options: ['Days', 'Evenings', 'Nights', 'Rotating'],
      }),
    ),
  );
  const consoleAllAt = await seen.catch(() => NaN);
  const answerCpu = cpuPerPhone(cpuAnswers, cpuMark(server.proc.pid!, workers, writer), N);
  const lastSent = Math.max(...answers.flatMap((a) => a.sentAts));
  const acks = answers
    .flatMap((a) => a.ackAts.map((ack, i) => (ack ? ack - a.sentAts[i] : NaN)))
    .filter((x) => !Number.isNaN(x));
  const runId = con.last()?.session?.runId ?? '';

  const extra = full
    ? {
        wordCloud: {
          burst: await wordCloud(server, con, workers, N),
          spread3s: await wordCloud(server, con, workers, N, 3000),
        },
        selfPacedTest: await selfPaced(con, workers, N, dataDir),
      }
    : {};
  return {
    allJoinedMs,
    halfJoinedMs,
    joinListenOverflows,
    push,
    pushRoundsMax,
    acks,
    lastAnswerToConsoleMs: round(consoleAllAt - lastSent),
    cpuMsPerPhone: { join: joinCpu, answer: answerCpu },
    answerErrors: answers.reduce((n, a) => n + a.errors, 0),
    runId,
    idle,
    ...(slideChange ? { slideChangeToProjectorMs: slideChange } : {}),
    ...extra,
  };
}

type MusterResult = Awaited<ReturnType<typeof musterRun>>;
type FloorResult = Awaited<ReturnType<typeof runFloor>>;

/**
 * Several runs as one: the median of each timed figure across the runs (all joined, last answer →
 * console, push p99), each with its runs beside it; the rest (CPU, memory, acks) from the run whose
 * all-joined time is the median, so those figures come from one run.
 */
function medianRun<
  T extends {
    allJoinedMs: number;
    lastAnswerToConsoleMs: number;
    pushLatencyMs: { p99: number };
  },
>(
  runs: T[],
): T & {
  allJoinedRunsMs?: number[];
  lastAnswerToConsoleRunsMs?: number[];
  pushP99RunsMs?: number[];
} {
  const sorted = [...runs].sort((a, b) => a.allJoinedMs - b.allJoinedMs);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  const each = (f: (r: T) => number) => runs.map(f);
  return runs.length > 1
    ? {
        ...mid,
        allJoinedMs: median(each((r) => r.allJoinedMs)),
        allJoinedRunsMs: each((r) => r.allJoinedMs),
        lastAnswerToConsoleMs: median(each((r) => r.lastAnswerToConsoleMs)),
        lastAnswerToConsoleRunsMs: each((r) => r.lastAnswerToConsoleMs),
        pushLatencyMs: { ...mid.pushLatencyMs, p99: median(each((r) => r.pushLatencyMs.p99)) },
        pushP99RunsMs: each((r) => r.pushLatencyMs.p99),
      }
    : mid;
}

async function main() {
  const maxN = Math.max(...SIZES);
  const workers = await Promise.all(
    Array.from({ length: Math.min(PROCS, maxN) }, () => startWorker()),
  );
  // The simulated phones' own code (ws, JSON) is compiled by V8 as it runs: a first class through
  // fresh worker processes costs them up to twice the CPU of a later one, on the cores the server
  // shares. Muster's first run would pay that and the floor (always run after it) never would, so
  // one class of the largest size goes through the floor first, unmeasured.
  step(`warming up the simulated phones: ${maxN} through the floor (not measured)`);
  await runFloor(maxN, workers, 1);
  const sizes: { trainees: number; muster: MusterResult; floor: FloorResult }[] = [];
  for (const [k, N] of SIZES.entries()) {
    const musterRuns: MusterResult[] = [];
    const floorRuns: FloorResult[] = [];
    for (let r = 0; r < RUNS; r++) {
      musterRuns.push(await musterRun(N, workers, k === 0 && r === 0));
      step(`${N} phones: the floor`);
      floorRuns.push(await runFloor(N, workers, ROUNDS));
    }
    sizes.push({ trainees: N, muster: medianRun(musterRuns), floor: medianRun(floorRuns) });
  }
  await Promise.all(workers.map((w) => w.call({ cmd: 'exit' }).catch(() => undefined)));

  step('loading a 300-slide deck');
  const deck300 = await bigDeck();

  step('the trainee page on a weak signal');
  const dataDir = tempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-page-')));
  const server = await startServer(dataDir);
  const origin = `http://127.0.0.1:${server.lanPort}`;
  const load = await firstLoad(origin, '/join/');
  const tti = await timeToInteractive(`${origin}/join/?room=123456`, Number(values['page-runs']));
  await server.stop();
  const page = {
    firstLoadKB: load.totalKB,
    files: load.files,
    interactiveMs: tti.ms,
    interactiveRunsMs: tti.runsMs,
    chromiumWireKB: tti.wireKB,
    network: '400 ms RTT, 400 kbit/s',
    floorInteractiveMs: tti.floorMs,
  };

  const out = {
    processes: workers.length,
    rounds: ROUNDS,
    runs: RUNS,
    loadAverage: os.loadavg().map(round),
    sizes,
    deck300,
    traineePage: page,
  };
  console.log(JSON.stringify(out, null, 2));
  printTargets(out);
}

runMain(main);
