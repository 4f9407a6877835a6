/**
 * The floor beside each class size: floor-server.mjs (bare `ws`, no application work) driven by the
 * same bench phones in the same processes, through the same steps as Muster: everyone joins, the
 * question is pushed ROUNDS times, and — once every phone holds it — everyone answers; "last answer
 * to console" is the last answer sent to the control socket hearing the count. A true lower bound.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { cpuMark, cpuPerPhone, joinRoom, now, pct, round, sleep, withTimeout } from './lib';
import type { Worker } from './lib';
import { stop, track } from './procs';

export async function runFloor(N: number, workers: Worker[], rounds: number) {
  const proc = track(
    spawn(process.execPath, [path.join(import.meta.dirname, 'floor-server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  try {
    const line = await withTimeout(
      new Promise<string>((r) => readline.createInterface({ input: proc.stdout! }).once('line', r)),
      30_000,
      'floor start',
    );
    const port = (JSON.parse(line) as { port: number }).port;
    const url = `ws://127.0.0.1:${port}/`;
    const control = new WebSocket(`ws://127.0.0.1:${port}/control`, { perMessageDeflate: false });
    await new Promise((r) => control.once('open', r));
    const reply = () =>
      new Promise<{ done?: number; armed?: boolean; answered?: number; at: number }>((r) =>
        control.once('message', (d) => r({ ...JSON.parse(String(d)), at: now() })),
      );

    const { allJoinedMs, halfJoinedMs, joinCpu, joinListenOverflows } = await joinRoom(
      proc.pid!,
      workers,
      N,
      url,
      '000000',
    );

    const push: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await sleep(200);
      await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' })));
      const sentAt = now();
      const done = reply();
      control.send(
        JSON.stringify({
          round: r,
          q: {
            prompt: 'Which shift do you usually work?',
            options: ['Days', 'Evenings', 'Nights', 'Rotating'],
          },
        }),
      );
      await done;
      const times = await Promise.all(
        workers.map((w) => w.call<{ questionAts: number[] }>({ cmd: 'questionTimes' })),
      );
      for (const t of times.flatMap((x) => x.questionAts)) push.push(t - sentAt);
    }

    await sleep(300);
    const armed = reply();
    control.send(JSON.stringify({ expect: N }));
    await armed;
    const cpuAnswers = cpuMark(proc.pid!, workers);
    const counted = withTimeout(reply(), 60_000, 'floor counts every answer');
    const answers = await Promise.all(
      workers.map((w) =>
        w.call<{ sentAts: number[]; ackAts: number[] }>({
          cmd: 'answer',
          options: ['Days', 'Evenings', 'Nights', 'Rotating'],
        }),
      ),
    );
    const countedAt = (await counted).at;
    const answerCpu = cpuPerPhone(cpuAnswers, cpuMark(proc.pid!, workers), N);
    const lastSent = Math.max(...answers.flatMap((a) => a.sentAts));
    const acks = answers.flatMap((a) => a.ackAts.map((ack, i) => ack - a.sentAts[i]));
    control.close();
    await Promise.all(workers.map((w) => w.call({ cmd: 'closeAll' })));
    return {
      allJoinedMs,
      halfJoinedMs,
      joinListenOverflows,
      pushLatencyMs: {
        p50: pct(push, 50),
        p99: pct(push, 99),
        max: pct(push, 100),
        samples: push.length,
      },
      answerAckMs: { p50: pct(acks, 50), p99: pct(acks, 99) },
      lastAnswerToConsoleMs: round(countedAt - lastSent),
      cpuMsPerPhone: { join: joinCpu, answer: answerCpu },
    };
  } finally {
    await stop(proc);
  }
}
