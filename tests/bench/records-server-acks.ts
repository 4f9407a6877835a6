/**
 * The records server benchmark's answer acks (tests/bench/records-server.ts): a class on a real
 * `muster serve`, its phones simulated in worker processes (worker.mjs), answer acknowledgements
 * timed per round, with or without the pusher sending a backlog to the records server.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { CREDENTIAL_FILE } from '../../main/records/push/credential';
import { officers, recordClass } from '../helpers/class-records';
import { pct, step } from './records-server-measure';

const ROOT = path.resolve(import.meta.dirname, '../..');

function startWorker(): Promise<{ proc: ChildProcess; call<T>(m: object): Promise<T> }> {
  const proc = fork(path.join(import.meta.dirname, 'worker.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();
  let id = 0;
  return new Promise((resolve) => {
    const w = {
      proc,
      call<T>(m: object) {
        const k = id++;
        proc.send({ ...m, id: k });
        return new Promise<T>((res, rej) =>
          pending.set(k, (r) => (r.ok ? res(r.result as T) : rej(new Error(r.error)))),
        );
      },
    };
    proc.on('message', (m: { ready?: boolean; id?: number; ok: boolean }) =>
      m.ready ? resolve(w) : pending.get(m.id!)?.(m),
    );
  });
}

/** `o.trainees` phones answer `o.rounds` questions. */
export async function classAcks(
  credential: string | null,
  o: { trainees: number; rounds: number },
): Promise<{
  p50: number;
  p99: number;
  max: number;
  p99ByRound: number[];
  samples: number;
  pushedDuringClass: number;
}> {
  const { trainees: CLASS, rounds: ROUNDS } = o;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-acks-'));
  // A backlog: yesterday's class day, not yet sent (with the pusher) or already sent (without).
  const backlog = new Records(path.join(dataDir, 'muster.sqlite'));
  recordClass(backlog, {
    id: 'YESTERDAY',
    start: Date.UTC(2025, 5, 1, 13),
    officers: officers(300, 'Y'),
    questions: 40,
    batch: 2000,
  });
  const waitingBefore = replicationState(backlog.db).waiting;
  backlog.close();
  if (credential)
    fs.writeFileSync(path.join(dataDir, CREDENTIAL_FILE), credential, { mode: 0o600 });
  step('starting muster serve');
  const proc = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin/muster.js'),
      'serve',
      '--json',
      '--no-open',
      '--port',
      '0',
      '--data',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = JSON.parse(
    await new Promise<string>((r) =>
      readline.createInterface({ input: proc.stdout! }).once('line', r),
    ),
  ) as { console: string; join: string };
  const c = new URL(urls.console);
  const con = new WebSocket(
    `ws://127.0.0.1:${c.port}/ws/instructor?role=console&token=${c.searchParams.get('token')}`,
    { perMessageDeflate: false },
  );
  type View = { session?: { slide?: { question?: unknown } } | null };
  const seen: { last: View | null } = { last: null };
  const results = new Map<string, () => void>();
  con.on('message', (d) => {
    const m = JSON.parse(String(d)) as { t: string; id?: string };
    if (m.t === 'console') seen.last = m as View;
    if (m.t === 'result' && m.id) results.get(m.id)?.();
  });
  await new Promise((r) => con.once('open', r));
  let n = 0;
  const cmd = (x: object) =>
    new Promise<void>((resolve) => {
      const id = `benchcmd${n++}`;
      results.set(id, resolve);
      con.send(JSON.stringify({ t: 'cmd', id, cmd: x }));
    });
  await cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
  for (let i = 0; i < 10 && !seen.last?.session?.slide?.question; i++) {
    await cmd({ type: 'next' });
    await new Promise((r) => setTimeout(r, 50));
  }
  const roomCode = (
    (await (
      await fetch(`http://127.0.0.1:${c.port}/api/sessions?token=${c.searchParams.get('token')}`)
    ).json()) as { room_code: string }[]
  )[0].room_code;
  step('joining the class');
  const workers = await Promise.all([0, 1, 2].map(() => startWorker()));
  const per = Math.ceil(CLASS / workers.length);
  await Promise.all(
    workers.map((w, i) =>
      w.call({
        cmd: 'join',
        url: `ws://127.0.0.1:${new URL(urls.join).port}/ws/trainee`,
        roomCode,
        from: i * per,
        count: Math.min(per, CLASS - i * per),
      }),
    ),
  );
  const acks: number[] = [];
  const perRound: number[] = [];
  step('asking questions');
  for (let r = 0; r < ROUNDS; r++) {
    await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' }).catch(() => undefined)));
    await cmd({ type: 'openQuestion' });
    if (process.env.BENCH_DEBUG) step(`round ${r}: question open`);
    await Promise.all(workers.map((w) => w.call({ cmd: 'questionTimes' })));
    if (process.env.BENCH_DEBUG) step(`round ${r}: phones have it`);
    const a = await Promise.all(
      workers.map((w) =>
        w.call<{ sentAts: number[]; ackAts: number[] }>({
          cmd: 'answer',
          options: ['Days', 'Evenings', 'Nights', 'Rotating'],
          spreadMs: 1000,
        }),
      ),
    );
    const roundAcks: number[] = [];
    for (const x of a) x.ackAts.forEach((ack, i) => ack && roundAcks.push(ack - x.sentAts[i]));
    acks.push(...roundAcks);
    perRound.push(pct(roundAcks, 99));
    await cmd({ type: 'closeQuestion' });
    // Between questions the pusher may send (it pauses while one is open).
    await new Promise((res) => setTimeout(res, 1500));
  }
  con.close();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  // A worker leaves without answering "exit".
  for (const w of workers) w.proc.kill('SIGTERM');
  const after = new Records(path.join(dataDir, 'muster.sqlite'));
  const waitingAfter = replicationState(after.db);
  after.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    p50: pct(acks, 50),
    p99: pct(acks, 99),
    max: pct(acks, 100),
    p99ByRound: perRound,
    samples: acks.length,
    pushedDuringClass: credential ? waitingAfter.acked : 0,
    ...(credential ? { backlogAtStart: waitingBefore } : {}),
  };
}
