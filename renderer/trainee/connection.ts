/**
 * The phone's link to the class: the socket (link.ts), the state and its rules (state.ts, a pure
 * reducer), the outbox (outbox.ts) and what the phone keeps between page loads (storage.ts), put
 * together. This file only carries out what the reducer decides: it sends, stores, and times
 * resends — an item not acknowledged within RESEND_MS on a live socket goes again with its id.
 */
import { newId, newToken } from '../ui/ids';
import type { AnswerValue } from '../../shared/question';
import { SocketLink } from './link';
import type { OutboxItem } from './outbox';
import { wire } from './outbox';
import type { ConnState, Effect, Event, JoinDetails, State } from './state';
import { initialState, reduce, stored } from './state';
import type { KeyValue } from './storage';
import { STORAGE_KEY, load, save } from './storage';

export type { ConnState, JoinDetails, PendingAnswer } from './state';

/** An unacknowledged item is sent again (same id) after this long on a live socket. */
const RESEND_MS = 8_000;

/** localStorage that never throws: private modes and captive-portal browsers can refuse it. */
const kv: KeyValue = {
  getItem: (k) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  setItem: (k, v) => localStorage.setItem(k, v),
  removeItem: (k) => {
    try {
      localStorage.removeItem(k);
    } catch {
      // nothing to remove
    }
  },
};

export class TraineeConnection {
  private s: State;
  private readonly link: SocketLink;
  private readonly sentAt = new Map<string, number>();
  private resendTimer: number | undefined;
  private readonly listeners = new Set<(s: ConnState) => void>();

  constructor(url: string) {
    this.s = initialState(load(kv));
    this.link = new SocketLink(url, {
      open: () => this.dispatch({ on: 'open' }),
      message: (m) =>
        this.dispatch({ on: 'server', m: m as Extract<Event, { on: 'server' }>['m'] }),
      down: () => {
        window.clearTimeout(this.resendTimer);
        this.dispatch({ on: 'down' });
      },
      wanted: () => !!this.s.token || !!this.s.joinRequest,
      beat: () => this.resendStale(),
    });
    // Another tab of this phone gave answers: both send them with the same ids (counted once).
    window.addEventListener('storage', (e) => {
      if (e.key === STORAGE_KEY) this.dispatch({ on: 'outboxElsewhere', outbox: load(kv).outbox });
    });
    if (this.s.token || this.s.joinRequest) this.link.connect();
  }

  get state(): ConnState {
    return this.s.ui;
  }

  subscribe(fn: (s: ConnState) => void): () => void {
    this.listeners.add(fn);
    fn(this.s.ui);
    return () => this.listeners.delete(fn);
  }

  join(details: JoinDetails): void {
    this.dispatch({ on: 'join', details: { ...details, token: newToken() } });
  }

  answer(runId: string, value: AnswerValue): void {
    this.give({ kind: 'answer', id: newId(), runId, value });
  }

  /** Hands the assessment in; sent after any answers still waiting, so the server stores those first. */
  submit(assessmentId: string): void {
    this.give({ kind: 'submit', id: newId(), assessmentId });
  }

  /** A question for the Q&A board; kept on the phone until the server stored it. */
  ask(text: string, anonymous: boolean): void {
    this.give({ kind: 'ask', id: newId(), text, anonymous });
  }

  vote(qaId: string): void {
    this.give({ kind: 'vote', id: newId(), qaId });
  }

  /** The nickname for the game's leaderboard ('' = the automatic one); kept and sent after each welcome. */
  setNickname(nickname: string): void {
    this.dispatch({ on: 'nickname', nickname, id: newId() });
  }

  dismissNotice(): void {
    this.dispatch({ on: 'dismissNotice' });
  }

  private give(item: OutboxItem): void {
    this.dispatch({ on: 'give', item });
  }

  private dispatch(e: Event): void {
    const { s, fx } = reduce(this.s, e);
    this.s = s;
    for (const f of fx) this.run(f);
    for (const fn of this.listeners) fn(this.s.ui);
  }

  private run(f: Effect): void {
    switch (f.do) {
      case 'send':
        if (!this.link.isOpen) return;
        this.link.send(f.m);
        if (f.id) {
          this.sentAt.set(f.id, Date.now());
          this.armResend(RESEND_MS);
        }
        return;
      case 'persist':
        save(kv, stored(this.s));
        for (const id of this.sentAt.keys())
          if (!this.s.outbox.some((x) => x.id === id)) this.sentAt.delete(id);
        return;
      case 'retry':
        // Not stored just now (or too fast): sent again shortly, with the same id.
        this.sentAt.delete(f.id);
        this.armResend(1500 + Math.random() * 1500);
        return;
      case 'reconnect':
        return this.link.drop();
      case 'connect':
        return this.link.restart();
      case 'settled':
        return this.link.settled();
    }
  }

  private armResend(ms: number): void {
    window.clearTimeout(this.resendTimer);
    if (!this.s.outbox.length) return;
    this.resendTimer = window.setTimeout(() => this.resendStale(), ms);
  }

  /** Sends again, with their ids, the items not acknowledged within RESEND_MS (the nickname has its own rule). */
  private resendStale(): void {
    if (!this.s.welcomed || !this.link.isOpen) return;
    const now = Date.now();
    for (const x of this.s.outbox)
      if (x.kind !== 'nickname' && now - (this.sentAt.get(x.id) ?? 0) >= RESEND_MS) {
        this.link.send(wire(x));
        this.sentAt.set(x.id, now);
      }
    this.armResend(RESEND_MS);
  }
}
