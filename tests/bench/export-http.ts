/**
 * The export benchmark's HTTP part (tests/bench/export.ts): the big session's workbook downloaded
 * from a real server while a live class answers on it, with the workbook built on the main thread
 * (as before the export thread) and in the export thread; what the main event loop and the
 * trainee's acks felt meanwhile.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { AnswerValue } from '../../shared/question';
import { exportPlacement } from '../../main/server/records-api';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { Client } from '../helpers/clients';

interface HttpRun {
  wallMs: number;
  /** monitorEventLoopDelay's max and p99 while the export ran. */
  stallMs: number;
  p99Ms: number;
  /** The longest gap between ticks of a 1 ms setInterval, and when it began (ms after the request). */
  probeGapMs: number;
  probeGapAtMs: number;
  /** Answers acknowledged while the export ran, and the slowest round trip. */
  acks: number;
  ackMaxMs: number;
  /** Answers never acknowledged (within 30 s, or the socket closed): the trainee is joined again for the next run. */
  lost: number;
  status: number;
  bytes: number;
}

const ms = (ns: number) => Math.round(ns / 1e5) / 10;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Downloads the session workbook over HTTP while `trainee` answers every 20 ms; what the main thread felt meanwhile. */
async function httpExport(
  app: TestApp,
  sessionId: string,
  trainee: Client,
  runId: string,
  values: AnswerValue[],
): Promise<HttpRun> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let probeGapMs = 0;
  let probeGapAt = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    if (now - last > probeGapMs) [probeGapMs, probeGapAt] = [now - last, last];
    last = now;
  }, 1);
  let exporting = true;
  let lost = 0;
  const acks: number[] = [];
  const answering = (async () => {
    for (let i = 0; exporting; i++) {
      const id = msgId();
      const t0 = performance.now();
      trainee.send({ t: 'answer', id, runId, value: values[i % values.length] });
      const acked = await trainee
        .nextNew((m) => m.t === 'ack' && m.id === id, 30_000)
        .then(
          () => true,
          () => false,
        );
      if (!acked) {
        lost++;
        process.stderr.write(
          `bench: answer ${id} not acknowledged (socket ${trainee.ws.readyState === WebSocket.OPEN ? 'open' : 'closed'})\n`,
        );
        break;
      }
      acks.push(performance.now() - t0);
      await sleep(20);
    }
  })();
  h.enable();
  const t0 = performance.now();
  const res = await fetch(`${app.consoleBase}/api/sessions/${sessionId}/export.xlsx`, {
    headers: { 'X-Muster-Token': app.token },
  });
  const body = Buffer.from(await res.arrayBuffer());
  const wallMs = performance.now() - t0;
  h.disable();
  clearInterval(probe);
  exporting = false;
  await answering;
  return {
    wallMs: Math.round(wallMs),
    stallMs: ms(h.max),
    p99Ms: ms(h.percentile(99)),
    probeGapMs: r1(probeGapMs),
    probeGapAtMs: Math.round(probeGapAt - t0),
    acks: acks.length,
    ackMaxMs: r1(Math.max(0, ...acks)),
    lost,
    status: res.status,
    bytes: body.length,
  };
}

function summary(runs: HttpRun[]) {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  // The longest stall as either instrument saw it (the histogram can miss one that began just before it was enabled).
  const stalls = runs.map((r) => Math.max(r.stallMs, r.probeGapMs));
  return {
    wallMs: {
      best: sorted(runs.map((r) => r.wallMs))[0],
      median: median(runs.map((r) => r.wallMs)),
    },
    longestStallMs: { max: Math.max(...stalls), median: median(stalls) },
    slowestAckMs: Math.max(...runs.map((r) => r.ackMaxMs)),
    acks: runs.reduce((n, r) => n + r.acks, 0),
    lost: runs.reduce((n, r) => n + r.lost, 0),
    runs,
  };
}

/** The big session's workbook over HTTP from a real server with a live class, on the main thread and then in the export thread. */
export async function overHttp(
  appDir: string,
  sessionId: string,
  o: { repeat: number; step: (what: string) => void },
) {
  const { repeat: REPEAT, step } = o;
  const app = await startTestApp({ dataDir: appDir });
  try {
    const con = await openConsole(app.consoleBase, app.token);
    const ok = (r: { [k: string]: unknown }) => {
      if (r.ok !== true) throw new Error(`console command failed: ${JSON.stringify(r)}`);
    };
    ok(await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } }));
    const s = app.classroom.engine.session!;
    const poll = s.deck.slides.findIndex((x) => x.question?.type === 'single');
    const q = s.deck.slides[poll].question!;
    if (q.type !== 'single') throw new Error('the demo deck has no single-choice poll');
    ok(await con.cmd({ type: 'goto', index: poll }));
    let joined = 0;
    const join = () =>
      joinTrainee(app.lanUrl, s.roomCode, { name: 'Bench Trainee', officerId: `B-${++joined}` });
    let trainee = await join();
    ok(await con.cmd({ type: 'openQuestion' }));
    const runId = app.classroom.engine.run!.runId;
    const each = async (thread: boolean) => {
      exportPlacement.thread = thread;
      const runs: HttpRun[] = [];
      for (let i = 0; i < REPEAT; i++) {
        if (trainee.ws.readyState !== WebSocket.OPEN) trainee = await join();
        runs.push(await httpExport(app, sessionId, trainee, runId, q.options));
        if (runs.at(-1)!.status !== 200)
          throw new Error(`export over HTTP: ${runs.at(-1)!.status}`);
        await sleep(200);
      }
      return summary(runs);
    };
    // The export thread first, so the garbage of the main-thread runs is not collected during its runs.
    step('exporting the session workbook over HTTP in the export thread (after)');
    const exportThread = await each(true);
    step('exporting the session workbook over HTTP on the main thread (before)');
    const mainThread = await each(false);
    await trainee.close();
    await con.close();
    return { mainThread, exportThread };
  } finally {
    exportPlacement.thread = true;
    await app.stop();
  }
}
