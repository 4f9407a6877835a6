// The durability promise, tested the hard way: the server is killed (SIGKILL, no chance to tidy up)
// at random moments while phones keep answering, then started again on the same data folder. Every
// answer a phone was told "received" must be in the records, and no resend may count twice.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';

const CYCLES = 8;
const PHONES = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(
  dataDir: string,
): Promise<{ proc: ChildProcess; consolePort: number; lanPort: number; token: string }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, '../soak/server.ts'), dataDir, '30000'],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return { proc, ...(JSON.parse(line) as { consolePort: number; lanPort: number; token: string }) };
}

interface PhoneState {
  officerId: string;
  /** The token the phone made for its join, sent again with the join until a welcome arrives. */
  joinToken: string;
  token: string | null;
  /** Answers not yet acknowledged: sent again, same id, after a reconnect. */
  pending: Map<string, string>;
  acked: Set<string>;
}

describe('kill -9 at random moments', () => {
  it(`${CYCLES} kills during answer bursts: every acknowledged answer is stored, none twice`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-kill-'));
    const phones: PhoneState[] = Array.from({ length: PHONES }, (_, i) => ({
      officerId: `K${i}`,
      joinToken: `killphone${i}`.padEnd(32, 'x'),
      token: null,
      pending: new Map(),
      acked: new Set(),
    }));
    let seq = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let room = '';
    const values = ['Days', 'Evenings', 'Nights', 'Rotating'];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await startServer(dataDir);
      const sockets: WebSocket[] = [];
      try {
        // The instructor: the class resumes after each restart; the poll is opened once.
        const con = new WebSocket(
          `ws://127.0.0.1:${server.consolePort}/ws/instructor?role=console&token=${server.token}`,
        );
        sockets.push(con);
        const results = new Map<string, boolean>();
        type View = {
          session: {
            phase: string;
            join: { roomCode: string };
            slide: { question: unknown } | null;
          } | null;
        };
        const seen: { view: View | null } = { view: null };
        con.on('message', (d) => {
          const m = JSON.parse(String(d)) as { t: string; id?: string; ok?: boolean };
          if (m.t === 'console') seen.view = m as unknown as View;
          if (m.t === 'result') results.set(m.id!, !!m.ok);
        });
        await new Promise((r) => con.once('open', r));
        const cmd = async (c: object) => {
          const id = `killcmd${seq++}x`;
          con.send(JSON.stringify({ t: 'cmd', id, cmd: c }));
          while (!results.has(id)) await sleep(5);
          return results.get(id);
        };
        while (!seen.view) await sleep(5);
        if (!seen.view.session) {
          expect(
            await cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } }),
          ).toBe(true);
          expect(await cmd({ type: 'goto', index: 2 })).toBe(true);
          expect(await cmd({ type: 'openQuestion' })).toBe(true);
        }
        while (!seen.view.session?.join.roomCode) await sleep(5);
        room = seen.view.session.join.roomCode;
        // The phones: join or resume, resend what is pending, then keep changing their answer.
        for (const p of phones) {
          const ws = new WebSocket(`ws://127.0.0.1:${server.lanPort}/ws/trainee`);
          sockets.push(ws);
          let runId = '';
          const send = (id: string, value: string) =>
            ws.readyState === WebSocket.OPEN &&
            ws.send(JSON.stringify({ t: 'answer', id, runId, value }));
          ws.on('open', () =>
            ws.send(
              JSON.stringify(
                p.token
                  ? { t: 'resume', token: p.token }
                  : {
                      t: 'join',
                      name: `Kill ${p.officerId}`,
                      officerId: p.officerId,
                      agency: 'PD',
                      roomCode: room,
                      token: p.joinToken,
                    },
              ),
            ),
          );
          ws.on('error', () => undefined);
          ws.on('message', (d) => {
            const m = JSON.parse(String(d)) as {
              t: string;
              token?: string;
              id?: string;
              question?: { runId: string; open: boolean } | null;
            };
            if (m.t === 'welcome') p.token = m.token!;
            if (m.t === 'view' && m.question?.open && !runId) {
              runId = m.question.runId;
              for (const [id, value] of p.pending) send(id, value);
              const burst = () => {
                if (ws.readyState !== WebSocket.OPEN) return;
                const id = `k${p.officerId}x${(seq++).toString(36)}abc`;
                const value = values[Math.floor(random() * values.length)];
                p.pending.set(id, value);
                send(id, value);
                setTimeout(burst, 5 + random() * 40);
              };
              burst();
            }
            if (m.t === 'ack' && m.id && p.pending.has(m.id)) {
              p.pending.delete(m.id);
              p.acked.add(m.id);
            }
          });
        }
        // Killed mid-burst, at a random moment.
        await sleep(300 + random() * 1200);
      } finally {
        server.proc.kill('SIGKILL');
        await new Promise((r) => server.proc.once('exit', r));
        for (const ws of sockets) ws.terminate();
      }
    }
    const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
    const stored = new Set(db.prepare(`SELECT msg_id FROM answer_log`).pluck().all() as string[]);
    const rows = db
      .prepare(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT trainee_id || '/' || msg_id) AS d FROM answer_log`,
      )
      .get() as { n: number; d: number };
    const responses = db.prepare(`SELECT COUNT(*) AS n FROM responses`).get() as { n: number };
    db.close();
    const acked = phones.flatMap((p) => [...p.acked]);
    const lost = acked.filter((id) => !stored.has(id));
    expect(acked.length).toBeGreaterThan(CYCLES * PHONES);
    expect(lost).toEqual([]);
    expect(rows.n).toBe(rows.d);
    // One response per trainee for the one question, whatever was resent.
    expect(responses.n).toBe(PHONES);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 480_000);
});
