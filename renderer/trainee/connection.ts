/**
 * The phone's link to the class. It survives what phones do in a classroom: sleep, app switches,
 * reloads, Wi-Fi drops. Identity is a random token kept in localStorage (never the name); answers
 * wait in localStorage until the server says it stored them, and are resent with the same message
 * id, so a resend never counts twice.
 */
import type { ServerToTrainee, TraineeView, TraineeWelcome } from '../../shared/protocol';
import type { AnswerValue } from '../../shared/question';
import { newId } from '../ui/ids';

export interface PendingAnswer {
  id: string;
  runId: string;
  value: AnswerValue;
}

export interface ConnState {
  online: boolean;
  joined: TraineeWelcome['trainee'] | null;
  view: TraineeView | null;
  /** The stored answer for the current question, as the server confirmed it. */
  confirmed: { runId: string; value: AnswerValue } | null;
  pending: PendingAnswer[];
  error: string | null;
  needsJoin: boolean;
}

const KEY_TOKEN = 'muster.token';
const KEY_PENDING = 'muster.pending';
const HEARTBEAT_MS = 10_000;
const SILENCE_MS = 25_000;

function load<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}

export class TraineeConnection {
  private ws: WebSocket | null = null;
  private retry = 0;
  private retryTimer: number | undefined;
  private heartbeat: number | undefined;
  private lastHeard = 0;
  private joinRequest: { name: string; officerId: string; agency: string; roomCode: string } | null = null;
  private listeners = new Set<(s: ConnState) => void>();
  state: ConnState;

  constructor(private readonly url: string) {
    this.state = {
      online: false,
      joined: null,
      view: null,
      confirmed: null,
      pending: load<PendingAnswer[]>(KEY_PENDING, []),
      error: null,
      needsJoin: !localStorage.getItem(KEY_TOKEN),
    };
    // iOS Safari returns from the back/forward cache with `pageshow` and no `visibilitychange`.
    window.addEventListener('pageshow', () => this.wake());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.wake());
    window.addEventListener('online', () => this.wake());
    window.addEventListener('offline', () => this.ws?.close());
    if (!this.state.needsJoin) this.connect();
  }

  subscribe(fn: (s: ConnState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ConnState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  join(details: { name: string; officerId: string; agency: string; roomCode: string }): void {
    this.joinRequest = details;
    this.set({ error: null });
    if (this.ws?.readyState === WebSocket.OPEN) this.send({ t: 'join', ...details });
    else this.connect();
  }

  answer(runId: string, value: AnswerValue): void {
    // A new answer to the same question replaces one not yet sent.
    const pending = [...this.state.pending.filter((p) => p.runId !== runId), { id: newId(), runId, value }];
    this.savePending(pending);
    if (this.ws?.readyState === WebSocket.OPEN) this.send({ t: 'answer', ...pending[pending.length - 1] });
  }

  private savePending(pending: PendingAnswer[]): void {
    localStorage.setItem(KEY_PENDING, JSON.stringify(pending));
    this.set({ pending });
  }

  private wake(): void {
    if (this.state.needsJoin && !this.joinRequest) return;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) {
      this.retry = 0;
      this.connect();
    } else if (this.ws.readyState === WebSocket.OPEN) this.send({ t: 'ping' });
  }

  private connect(): void {
    window.clearTimeout(this.retryTimer);
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.lastHeard = Date.now();
      this.set({ online: true });
      const token = localStorage.getItem(KEY_TOKEN);
      if (token) this.send({ t: 'resume', token });
      else if (this.joinRequest) this.send({ t: 'join', ...this.joinRequest });
      window.clearInterval(this.heartbeat);
      this.heartbeat = window.setInterval(() => {
        // A socket can die without a close event (iOS, Wi-Fi hand-over): silence means reconnect.
        if (Date.now() - this.lastHeard > SILENCE_MS) ws.close();
        else this.send({ t: 'ping' });
      }, HEARTBEAT_MS);
    };
    ws.onmessage = (e) => {
      this.lastHeard = Date.now();
      this.receive(JSON.parse(String(e.data)) as ServerToTrainee | { t: 'pong' });
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      window.clearInterval(this.heartbeat);
      this.set({ online: false });
      const delay = Math.min(5000, 400 * 2 ** this.retry++) * (0.5 + Math.random() / 2);
      this.retryTimer = window.setTimeout(() => this.connect(), delay);
    };
  }

  private send(m: object): void {
    this.ws?.send(JSON.stringify(m));
  }

  private receive(m: ServerToTrainee | { t: 'pong' }): void {
    switch (m.t) {
      case 'pong':
        return;
      case 'welcome':
        localStorage.setItem(KEY_TOKEN, m.token);
        this.joinRequest = null;
        this.set({ joined: m.trainee, confirmed: m.answer, needsJoin: false, error: null });
        // Everything answered while offline goes out now, with its original id.
        for (const p of this.state.pending) this.send({ t: 'answer', ...p });
        return;
      case 'view': {
        const confirmed = this.state.confirmed && m.question?.runId === this.state.confirmed.runId ? this.state.confirmed : null;
        this.set({ view: m, confirmed });
        return;
      }
      case 'ack': {
        const sent = this.state.pending.find((p) => p.id === m.id);
        this.savePending(this.state.pending.filter((p) => p.id !== m.id));
        if (sent) this.set({ confirmed: { runId: sent.runId, value: sent.value } });
        return;
      }
      case 'error':
        if (m.id) this.savePending(this.state.pending.filter((p) => p.id !== m.id));
        if (m.code === 'not-found' || (m.code === 'room' && !this.state.joined)) {
          // The token is unknown here (a new class): ask for the details again.
          localStorage.removeItem(KEY_TOKEN);
          this.set({ needsJoin: true, joined: null, error: m.message });
          return;
        }
        this.set({ error: m.message });
        return;
    }
  }
}
