// Ad-hoc: N phones join a server started with --cpu-prof (MUSTER_NODE_ARGS), for profiling. Not part of npm run bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { consoleClient, now, round, share, startWorker, ROOT } from './lib';
import { runMain, stop, track } from './procs';

runMain(async () => {
  const N = Number(process.argv[2] ?? 5000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-prof-'));
  const proc = track(spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/i16prof', path.join(ROOT, 'bin/muster.js'), 'serve', '--json', '--no-open', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const urls = JSON.parse(await new Promise<string>((r) => readline.createInterface({ input: proc.stdout! }).once('line', r))) as { console: string; join: string };
  const cu = new URL(urls.console);
  const con = consoleClient(`ws://127.0.0.1:${cu.port}/ws/instructor?role=console&token=${cu.searchParams.get('token')}`);
  await con.opened;
  await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } }).done;
  const roomCode = ((await (await fetch(`http://127.0.0.1:${cu.port}/api/sessions?token=${cu.searchParams.get('token')}`)).json()) as { room_code: string }[])[0].room_code;
  const workers = await Promise.all(Array.from({ length: 4 }, () => startWorker()));
  const t0 = now();
  const joins = await Promise.all(workers.map((w, i) => w.call<{ welcomeAts: number[] }>({ cmd: 'join', url: `ws://127.0.0.1:${new URL(urls.join).port}/ws/trainee`, roomCode, ...share(N, 4, i) })));
  console.log('all joined', round(Math.max(...joins.flatMap((j) => j.welcomeAts)) - t0));
  await con.until((m) => m.t === 'console' && m.session?.trainees.length === N, 'console sees everyone');
  for (let i = 0; i < 10 && !con.last()?.session?.slide?.question; i++) await con.cmd({ type: 'next' }).done;
  await con.cmd({ type: 'openQuestion' }).done;
  await Promise.all(workers.map((w) => w.call({ cmd: 'questionTimes' })));
  await new Promise((r) => setTimeout(r, 300));
  const seen = con.until((m) => m.t === 'console' && m.session?.results?.answered === N, 'console counts all answers');
  const answers = await Promise.all(workers.map((w) => w.call<{ sentAts: number[]; ackAts: number[] }>({ cmd: 'answer', options: ['Days', 'Evenings', 'Nights', 'Rotating'] })));
  const at = await seen;
  const lastSent = Math.max(...answers.flatMap((a) => a.sentAts));
  const firstSent = Math.min(...answers.flatMap((a) => a.sentAts));
  console.log('answers sent over', round(lastSent - firstSent), 'last answer → console', round(at - lastSent), 'last ack', round(Math.max(...answers.flatMap((a) => a.ackAts)) - lastSent));
  await Promise.all(workers.map((w) => w.call({ cmd: 'exit' }).catch(() => undefined)));
  await stop(proc, 'SIGINT');
});
