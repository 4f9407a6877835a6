/**
 * Hostile uploads against the real `muster serve` in its own process: a 120 MB "PDF page", a 120 MB
 * JSON body, an XLSX roster that unpacks to 200 MB (honest and lying about it), a roster past the
 * size limit. Prints the server's RSS before and after each (and its peak), and proves the class
 * still works afterwards (a phone joins and its answer is acknowledged). `npm run bench` runs it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { strToU8, zipSync } from 'fflate';
import WebSocket from 'ws';
import { runMain, stop, tempDir, track } from './procs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rss(pid: number): { rss: number; peak: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
  return { rss: Math.round(kb('VmRSS')), peak: Math.round(kb('VmHWM')) };
}

/** Streams `total` bytes of `fill` as the body; resolves with the status (or how the connection ended). */
function upload(
  port: number,
  p: string,
  type: string,
  token: string,
  total: number,
  first = Buffer.alloc(0),
): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: p,
      method: 'POST',
      headers: { 'Content-Type': type, 'X-Muster-Token': token, 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('error', (e) => resolve(`connection ${(e as NodeJS.ErrnoException).code}`));
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    let sent = 0;
    if (first.length) {
      req.write(first);
      sent += first.length;
    }
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

async function main() {
  const dataDir = tempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-uploads-')));
  const proc = track(
    spawn(
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
    ),
  );
  try {
    const line = await new Promise<string>((resolve) =>
      readline.createInterface({ input: proc.stdout! }).once('line', resolve),
    );
    const urls = JSON.parse(line) as { console: string; join: string };
    const consoleUrl = new URL(urls.console);
    const port = Number(consoleUrl.port);
    const token = consoleUrl.searchParams.get('token')!;
    const lanPort = new URL(urls.join).port;
    const pid = proc.pid!;

    // A class is running, with a phone in it.
    const con = new WebSocket(`ws://127.0.0.1:${port}/ws/instructor?role=console&token=${token}`);
    const results = new Map<string, boolean>();
    let room = '';
    con.on('message', (d) => {
      const m = JSON.parse(String(d)) as {
        t: string;
        id?: string;
        ok?: boolean;
        session?: { join?: { roomCode: string } };
      };
      if (m.t === 'result' && m.id) results.set(m.id, !!m.ok);
      if (m.t === 'console' && m.session?.join) room = m.session.join.roomCode;
    });
    await new Promise((r) => con.once('open', r));
    let n = 0;
    const cmd = async (c: object) => {
      const id = `bench${n++}upload`;
      con.send(JSON.stringify({ t: 'cmd', id, cmd: c }));
      while (!results.has(id)) await sleep(10);
      return results.get(id);
    };
    await cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    while (!room) await sleep(10);
    await sleep(2000);
    const base = rss(pid);
    const rows: { upload: string; answer: string; rssAfterMb: number; peakMb: number }[] = [];
    const settle = async () => {
      if (typeof global.gc === 'function') global.gc();
      await sleep(3000);
      return rss(pid);
    };

    // 1. One "page" of 120 MB: refused at 8 MB, streamed to disk, never held in memory.
    const start = (await (
      await fetch(`http://127.0.0.1:${port}/api/import/pdf/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token },
        body: JSON.stringify({ title: 'Huge', pages: 1 }),
      })
    ).json()) as { upload: string };
    let r = await upload(
      port,
      `/api/import/pdf/page?upload=${start.upload}&n=1`,
      'image/png',
      token,
      120 * 1024 * 1024,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    let m = await settle();
    rows.push({ upload: '120 MB PDF page', answer: r, rssAfterMb: m.rss, peakMb: m.peak });
    // 2. A 120 MB JSON body where 4 KB are expected.
    r = await upload(port, '/api/import/pdf/start', 'application/json', token, 120 * 1024 * 1024);
    m = await settle();
    rows.push({ upload: '120 MB JSON body', answer: r, rssAfterMb: m.rss, peakMb: m.peak });
    // 3. An XLSX roster that unpacks to 200 MB (a 200 KB "zip bomb"), then the same lying about its sizes.
    const bomb = Buffer.from(
      zipSync(
        {
          '[Content_Types].xml': strToU8('<Types/>'),
          'xl/worksheets/sheet1.xml': new Uint8Array(200 * 1024 * 1024),
        },
        { level: 9 },
      ),
    );
    const post = async (body: Buffer) =>
      String(
        (
          await fetch(`http://127.0.0.1:${port}/api/roster/preview?name=bomb`, {
            method: 'POST',
            headers: { 'Content-Type': XLSX_TYPE, 'X-Muster-Token': token },
            body: new Uint8Array(body),
          })
        ).status,
      );
    r = await post(bomb);
    m = await settle();
    rows.push({
      upload: `XLSX zip bomb (${Math.round(bomb.length / 1024)} KB → 200 MB)`,
      answer: r,
      rssAfterMb: m.rss,
      peakMb: m.peak,
    });
    const liar = Buffer.from(bomb);
    for (const [sig, at, nameAt] of [
      [0x02014b50, 24, 46],
      [0x04034b50, 22, 30],
    ])
      for (let i = liar.length - 4; i >= 0; i--)
        if (
          liar.readUInt32LE(i) === sig &&
          liar.toString('latin1', i + nameAt, i + nameAt + 24) === 'xl/worksheets/sheet1.xml'
        ) {
          liar.writeUInt32LE(1024, i + at);
          break;
        }
    r = await post(liar);
    m = await settle();
    rows.push({
      upload: 'the same zip bomb, lying about its size',
      answer: r,
      rssAfterMb: m.rss,
      peakMb: m.peak,
    });
    // 4. A roster past its 5 MB limit.
    r = await upload(port, '/api/roster/preview?name=big', 'text/csv', token, 50 * 1024 * 1024);
    m = await settle();
    rows.push({ upload: '50 MB roster CSV', answer: r, rssAfterMb: m.rss, peakMb: m.peak });

    // The class still works: a phone joins and its answer is acknowledged.
    await cmd({ type: 'goto', index: 2 });
    await cmd({ type: 'openQuestion' });
    const phone = new WebSocket(`ws://127.0.0.1:${lanPort}/ws/trainee`);
    const acked = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      phone.on('open', () =>
        phone.send(
          JSON.stringify({
            t: 'join',
            name: 'After Uploads',
            officerId: 'UP1',
            agency: 'PD',
            roomCode: room,
          }),
        ),
      );
      phone.on('message', (d) => {
        const msg = JSON.parse(String(d)) as {
          t: string;
          question?: { runId: string; open: boolean } | null;
        };
        if (msg.t === 'view' && msg.question?.open)
          phone.send(
            JSON.stringify({
              t: 'answer',
              id: 'after-uploads-1',
              runId: msg.question.runId,
              value: 'Days',
            }),
          );
        if (msg.t === 'ack') {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    phone.close();
    con.close();
    const end = rss(pid);
    console.log(
      JSON.stringify(
        {
          hostileUploads: {
            rssBeforeMb: base.rss,
            rssAfterAllMb: end.rss,
            grewMb: end.rss - base.rss,
            peakMb: end.peak,
            target: 'RSS back within 50 MB of where it was; the class still works',
            uploads: rows,
            classStillWorks: acked,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await stop(proc);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

runMain(main);
