import WebSocket from 'ws';
import type { InstructorCommand } from '../../shared/protocol';
import { applyTraineeChanges, withTrainees } from '../../shared/console-delta';
import type { ConsoleTrainees, ConsoleViewWire, TraineeRows } from '../../shared/console-delta';

type Msg = { t: string; [k: string]: unknown };

/**
 * A WebSocket that keeps every message it received and can wait for one that matches. On a
 * console socket, the trainee list's changes (`console-trainees`) are folded into each `console`
 * view as the console page does, so a kept view holds `session.trainees`.
 */
export class Client {
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  private readonly rows: TraineeRows = new Map();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      let m = JSON.parse(String(d)) as Msg;
      if (m.t === 'console-trainees')
        applyTraineeChanges(this.rows, m as unknown as ConsoleTrainees);
      if (m.t === 'console')
        m = withTrainees(m as unknown as ConsoleViewWire, this.rows) as unknown as Msg;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const c = new Client(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(m: object | string): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  /** Resolves with the first message (already received or future) that matches. */
  next<T extends Msg = Msg>(pred: (m: Msg) => boolean, timeoutMs = 5000, since = 0): Promise<T> {
    const found = this.messages.slice(since).find(pred);
    if (found) return Promise.resolve(found as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching message in ${timeoutMs} ms; last: ${JSON.stringify(this.messages.at(-1))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  /** Waits for the first matching message that arrives after now. */
  nextNew<T extends Msg = Msg>(pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<T> {
    return this.next<T>(pred, timeoutMs, this.messages.length);
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (this.ws.readyState === WebSocket.CLOSED) return r();
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}

let seq = 0;
export const msgId = () => `m${Date.now().toString(36)}${(seq++).toString(36)}xyz`;

/** The instructor's console socket with helpers for commands. */
export async function openConsole(
  base: string,
  token: string,
): Promise<Client & { cmd(c: InstructorCommand): Promise<Msg> }> {
  const c = await Client.open(
    `${base.replace('http', 'ws')}/ws/instructor?role=console&token=${token}`,
  );
  return Object.assign(c, {
    cmd(cmd: InstructorCommand) {
      const id = msgId();
      const p = c.next((m) => m.t === 'result' && m.id === id);
      c.send({ t: 'cmd', id, cmd });
      return p;
    },
  });
}

export async function joinTrainee(
  lanUrl: string,
  roomCode: string,
  who: { name: string; officerId: string; agency?: string },
): Promise<Client & { token: string }> {
  const c = await Client.open(`${lanUrl.replace('http', 'ws')}/ws/trainee`);
  c.send({
    t: 'join',
    name: who.name,
    officerId: who.officerId,
    agency: who.agency ?? 'Test PD',
    roomCode,
  });
  const w = await c.next<{ t: 'welcome'; token: string }>(
    (m) => m.t === 'welcome' || m.t === 'error',
  );
  if (w.t !== 'welcome') throw new Error(`join failed: ${JSON.stringify(w)}`);
  return Object.assign(c, { token: w.token });
}
