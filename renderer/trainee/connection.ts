/**
 * The phone's link to the class. It survives what phones do in a classroom: sleep, app switches,
 * reloads, Wi-Fi drops and hand-overs.
 *
 * - Identity is a random token kept in localStorage (never the name); every new socket resumes it.
 * - Answers wait in localStorage until the server says it stored them (`ack`), and are resent with
 *   the same message id after every reconnect, so a resend never counts twice. "Answer received" is
 *   shown only for an acknowledged answer.
 * - The last view is kept too, so a phone reloaded while the class is out of reach still shows the
 *   question and the answer waiting on it.
 * - A socket can look open and be dead (iOS after an app switch, Wi-Fi hand-over): the phone pings
 *   when it wakes (`pageshow`, `visibilitychange`, `online`, `resume`, a network change) and on a
 *   heartbeat, and replaces a socket that stays silent.
 */
import type { ServerToTrainee, TraineeGame, TraineeView, TraineeWelcome } from '../../shared/protocol';
import type { AnswerValue } from '../../shared/question';
import { newId } from '../ui/ids';

export interface PendingAnswer {
  id: string;
  runId: string;
  value: AnswerValue;
}

export interface ConnState {
  /** The socket is open and the server knows this phone (its welcome arrived). */
  online: boolean;
  joined: TraineeWelcome['trainee'] | null;
  view: TraineeView | null;
  /** The stored answer for the current question, as the server confirmed it. */
  confirmed: { runId: string; value: AnswerValue } | null;
  /** Answers not yet acknowledged by the server, oldest first. */
  pending: PendingAnswer[];
  error: string | null;
  /** Something the trainee should know about an answer (e.g. it arrived after the question closed). */
  notice: string | null;
  needsJoin: boolean;
  /** A join was asked for and is waiting for the server (which may be out of reach). */
  joining: boolean;
  /** Q&A questions sent but not yet confirmed stored; resent with their ids after a reconnect. */
  asking: { id: string; text: string; anonymous: boolean }[];
  /** How many of this phone's questions the server has stored. */
  asked: number;
  /** Board questions this phone has voted for (one vote each; the server enforces it too). */
  voted: string[];
  /** This trainee's stored answers to the assessment in the view (runId → value), as the server confirmed them. */
  mine: { assessmentId: string; answers: Record<string, AnswerValue> } | null;
  /** A hand-in waiting for the server's ack; sent again, with its id, after a reconnect. */
  submitting: { id: string; assessmentId: string } | null;
  /** Assessments this trainee has handed in, as the server confirmed it. */
  submitted: string[];
  /** The optional game, while it is on: this phone's own points and rank (nobody else's). */
  game: TraineeGame | null;
  /** A nickname sent and not yet confirmed, and the server's reason when it refused one. */
  nickname: { saving: boolean; error: string | null };
  /**
   * The officer ID this phone joined with is already in the class on another phone: the
   * instructor is asked to confirm; this is what the phone is told while it waits.
   */
  claim: string | null;
  /** Something about this trainee's identity the server said (another phone asked to join as them). */
  identityNotice: string | null;
}

export interface JoinDetails {
  name: string;
  officerId: string;
  agency: string;
  roomCode: string;
}

const KEY_TOKEN = 'muster.token';
const KEY_PENDING = 'muster.pending';
const KEY_CACHE = 'muster.view';
const KEY_VOTED = 'muster.voted';
const KEY_SUBMIT = 'muster.submit';
/** The nickname this phone chose for the game's leaderboard (kept across classes; never the name). */
const KEY_NICKNAME = 'muster.nickname';

/** Application ping while the socket is open. */
const HEARTBEAT_MS = 10_000;
/** Nothing heard for this long (a pong answers every ping): the socket is dead. */
const SILENCE_MS = 25_000;
/** After a wake-up, a ping must be answered this fast or the socket is replaced. */
const PROBE_MS = 4_000;
/** From `new WebSocket` to the server's welcome; a phone on a dead Wi-Fi can hang in CONNECTING. */
const HANDSHAKE_MS = 8_000;
/** An unacknowledged answer is sent again (same id) after this long on a live socket. */
const RESEND_MS = 8_000;
const MAX_BACKOFF_MS = 5_000;

/** localStorage that never throws: private modes and captive-portal browsers can refuse writes. */
const store = {
  get<T>(key: string, fallback: T): T {
    try {
      const v = localStorage.getItem(key);
      return v ? (JSON.parse(v) as T) : fallback;
    } catch {
      return fallback;
    }
  },
  raw(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: unknown): void {
    try {
      localStorage.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
    } catch {
      // Kept in memory only: still resent on reconnect, just not across a reload.
    }
  },
  remove(key: string): void {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to do
    }
  },
};

interface Cache {
  joined: ConnState['joined'];
  view: ConnState['view'];
  confirmed: ConnState['confirmed'];
  mine?: ConnState['mine'];
  submitted?: ConnState['submitted'];
}

export class TraineeConnection {
  private ws: WebSocket | null = null;
  /** The server has welcomed this phone on the current socket. */
  private welcomed = false;
  private retry = 0;
  private retryTimer: number | undefined;
  private handshakeTimer: number | undefined;
  private heartbeat: number | undefined;
  private probeTimer: number | undefined;
  private resendTimer: number | undefined;
  private lastHeard = 0;
  private readonly sentAt = new Map<string, number>();
  private token: string | null;
  private joinRequest: JoinDetails | null = null;
  /** The id of the nickname message waiting for its answer; whether this socket has sent the stored one. */
  private nicknameId: string | null = null;
  private nicknameSent = false;
  private listeners = new Set<(s: ConnState) => void>();
  state: ConnState;

  constructor(private readonly url: string) {
    this.token = store.raw(KEY_TOKEN);
    const cache = this.token ? store.get<Partial<Cache>>(KEY_CACHE, {}) : {};
    this.state = {
      online: false,
      joined: cache.joined ?? null,
      view: cache.view ?? null,
      confirmed: cache.confirmed ?? null,
      pending: this.token ? store.get<PendingAnswer[]>(KEY_PENDING, []) : [],
      error: null,
      notice: null,
      needsJoin: !this.token,
      joining: false,
      asking: [],
      asked: 0,
      voted: store.get<string[]>(KEY_VOTED, []),
      mine: cache.mine ?? null,
      submitting: this.token ? store.get<ConnState['submitting']>(KEY_SUBMIT, null) : null,
      submitted: cache.submitted ?? [],
      game: null,
      nickname: { saving: false, error: null },
      claim: null,
      identityNotice: null,
    };
    // iOS Safari returns from the back/forward cache with `pageshow` and no `visibilitychange`.
    window.addEventListener('pageshow', (e) => this.wake(e.persisted));
    // Into the back/forward cache: close cleanly (the console sees the phone leave), reopen on pageshow.
    window.addEventListener('pagehide', (e) => {
      if (e.persisted) this.drop();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.wake(false);
    });
    // Chrome's page lifecycle: a frozen page ran no timers and may hold a dead socket.
    document.addEventListener('resume', () => this.wake(false));
    window.addEventListener('online', () => this.wake(true));
    window.addEventListener('offline', () => this.drop());
    (navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.('change', () => this.wake(false));
    // Another tab of this phone changed the queue (both resend with the same ids: no double count).
    window.addEventListener('storage', (e) => {
      if (e.key === KEY_PENDING) this.set({ pending: store.get<PendingAnswer[]>(KEY_PENDING, []) });
    });
    if (this.token) this.connect();
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

  private saveCache(): void {
    const { joined, view, confirmed, mine, submitted } = this.state;
    store.set(KEY_CACHE, { joined, view, confirmed, mine, submitted } satisfies Cache);
  }

  join(details: JoinDetails): void {
    this.joinRequest = details;
    this.set({ error: null, joining: true });
    if (this.ws?.readyState === WebSocket.OPEN) this.send({ t: 'join', ...details });
    else {
      this.retry = 0;
      this.connect();
    }
  }

  /** Sends a question to the Q&A board; kept until the server confirms it stored it. */
  ask(text: string, anonymous: boolean): void {
    const q = { id: newId(), text, anonymous };
    this.set({ asking: [...this.state.asking, q] });
    if (this.isLive()) this.send({ t: 'ask', ...q });
  }

  vote(qaId: string): void {
    if (this.state.voted.includes(qaId)) return;
    const voted = [...this.state.voted, qaId];
    store.set(KEY_VOTED, voted);
    this.set({ voted });
    if (this.isLive()) this.send({ t: 'vote', qaId, id: newId() });
  }

  /** The trainee has read the identity notice. */
  dismissNotice(): void {
    this.set({ identityNotice: null });
  }

  /** The nickname for the game's leaderboard ('' = the automatic one); kept on the phone and sent after each welcome. */
  setNickname(nickname: string): void {
    store.set(KEY_NICKNAME, nickname);
    this.nicknameSent = false;
    this.sendNickname();
  }

  /** Sends the stored nickname once per socket, while the game is on (with it off, nothing game-related is sent). */
  private sendNickname(): void {
    const nickname = store.raw(KEY_NICKNAME);
    if (this.nicknameSent || nickname === null || !this.isLive() || !this.state.view?.game) return;
    this.nicknameSent = true;
    this.nicknameId = newId();
    this.set({ nickname: { saving: true, error: null } });
    this.send({ t: 'nickname', id: this.nicknameId, nickname });
  }

  answer(runId: string, value: AnswerValue): void {
    // A new answer to the same question replaces one not yet acknowledged.
    const p: PendingAnswer = { id: newId(), runId, value };
    this.savePending([...this.state.pending.filter((x) => x.runId !== runId), p]);
    this.set({ notice: null });
    if (this.isLive()) this.sendAnswer(p);
  }

  /**
   * Hands the assessment in. Kept on the phone until the server confirms it, and sent after any
   * answers still waiting, so the server stores those first.
   */
  submit(assessmentId: string): void {
    const sub = { id: newId(), assessmentId };
    store.set(KEY_SUBMIT, sub);
    this.set({ submitting: sub, notice: null });
    if (this.isLive()) this.sendSubmit();
  }

  private sendSubmit(): void {
    const sub = this.state.submitting;
    if (!sub) return;
    this.sentAt.set(sub.id, Date.now());
    this.send({ t: 'submit', id: sub.id, assessmentId: sub.assessmentId });
    this.armResend();
  }

  private endSubmit(patch: Partial<ConnState> = {}): void {
    store.remove(KEY_SUBMIT);
    if (this.state.submitting) this.sentAt.delete(this.state.submitting.id);
    this.set({ submitting: null, ...patch });
  }

  private isLive(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  private sendAnswer(p: PendingAnswer): void {
    this.sentAt.set(p.id, Date.now());
    this.send({ t: 'answer', id: p.id, runId: p.runId, value: p.value });
    this.armResend();
  }

  /** Sends again, with their ids, the answers not acknowledged within RESEND_MS (or all of them). */
  private flushPending(all: boolean): void {
    if (!this.isLive()) return;
    const now = Date.now();
    for (const p of this.state.pending) if (all || now - (this.sentAt.get(p.id) ?? 0) >= RESEND_MS) this.sendAnswer(p);
    const sub = this.state.submitting;
    if (sub && (all || now - (this.sentAt.get(sub.id) ?? 0) >= RESEND_MS)) this.sendSubmit();
  }

  private armResend(): void {
    window.clearTimeout(this.resendTimer);
    if (!this.state.pending.length && !this.state.submitting) return;
    this.resendTimer = window.setTimeout(() => this.flushPending(false), RESEND_MS);
  }

  private savePending(pending: PendingAnswer[]): void {
    store.set(KEY_PENDING, pending);
    for (const id of this.sentAt.keys()) if (!pending.some((p) => p.id === id)) this.sentAt.delete(id);
    this.set({ pending });
  }

  /** The page is back (unfrozen, visible, from the back/forward cache, network up): make sure the link is. */
  private wake(urgent: boolean): void {
    if (!this.token && !this.joinRequest) return;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) {
      this.retry = 0;
      this.connect();
    } else if (ws.readyState === WebSocket.OPEN) this.probe();
    else if (urgent) {
      // Stuck in CONNECTING from before the network came back: start over now.
      this.drop();
      this.retry = 0;
      this.connect();
    }
  }

  /** Pings; a socket that does not answer within PROBE_MS is replaced. */
  private probe(): void {
    if (this.probeTimer !== undefined) return;
    const ws = this.ws;
    const asked = Date.now();
    this.send({ t: 'ping' });
    this.probeTimer = window.setTimeout(() => {
      this.probeTimer = undefined;
      if (this.ws === ws && this.lastHeard < asked) this.drop();
    }, PROBE_MS);
  }

  private connect(): void {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.token && !this.joinRequest) return;
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      return this.scheduleReconnect();
    }
    this.ws = ws;
    this.welcomed = false;
    window.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = window.setTimeout(() => {
      if (this.ws === ws && !this.welcomed) this.drop();
    }, HANDSHAKE_MS);
    ws.onopen = () => {
      this.lastHeard = Date.now();
      if (this.token) this.send({ t: 'resume', token: this.token });
      else if (this.joinRequest) this.send({ t: 'join', ...this.joinRequest });
      window.clearInterval(this.heartbeat);
      this.heartbeat = window.setInterval(() => {
        if (this.ws !== ws) return;
        if (Date.now() - this.lastHeard > SILENCE_MS) return this.drop();
        this.send({ t: 'ping' });
        this.flushPending(false);
      }, HEARTBEAT_MS);
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let m: ServerToTrainee | { t: 'pong' };
      try {
        m = JSON.parse(String(e.data)) as ServerToTrainee | { t: 'pong' };
      } catch {
        return;
      }
      this.receive(m);
    };
    ws.onclose = () => {
      if (this.ws === ws) this.drop();
    };
  }

  /** Forgets the current socket (closing it if it still can), shows "Reconnecting…", retries later. */
  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close();
      } catch {
        // already gone
      }
    }
    window.clearInterval(this.heartbeat);
    window.clearTimeout(this.handshakeTimer);
    window.clearTimeout(this.probeTimer);
    window.clearTimeout(this.resendTimer);
    this.probeTimer = undefined;
    if (this.state.online) this.set({ online: false });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.token && !this.joinRequest) return;
    if (this.retryTimer !== undefined) return;
    const delay = Math.min(MAX_BACKOFF_MS, 400 * 2 ** this.retry++) * (0.5 + Math.random() / 2);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private send(m: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  /** The phone no longer belongs to a class: forget it all and ask for the details again. */
  private forget(message: string): void {
    this.token = null;
    this.joinRequest = null;
    store.remove(KEY_TOKEN);
    store.remove(KEY_CACHE);
    store.remove(KEY_PENDING);
    store.remove(KEY_SUBMIT);
    this.sentAt.clear();
    this.set({ needsJoin: true, joining: false, joined: null, view: null, confirmed: null, pending: [], notice: null, error: message, mine: null, submitting: null, submitted: [], game: null, claim: null, identityNotice: null });
  }

  private receive(m: ServerToTrainee | { t: 'pong' }): void {
    switch (m.t) {
      case 'pong':
        return;
      case 'claim':
        // Waiting for the instructor may take a while: not a handshake that hangs.
        window.clearTimeout(this.handshakeTimer);
        this.set({ claim: m.message, joining: true, error: null });
        return;
      case 'notice':
        this.set({ identityNotice: m.message });
        return;
      case 'signed-out':
        return this.forget(m.message);
      case 'welcome':
        this.token = m.token;
        store.set(KEY_TOKEN, m.token);
        this.joinRequest = null;
        this.welcomed = true;
        this.nicknameSent = false;
        this.retry = 0;
        window.clearTimeout(this.handshakeTimer);
        this.set({ online: true, joined: m.trainee, confirmed: m.answer, needsJoin: false, joining: false, error: null, claim: null });
        if (m.assessment) {
          const a = m.assessment;
          this.set({
            mine: { assessmentId: a.id, answers: Object.fromEntries(a.answers.map((x) => [x.runId, x.value])) },
            submitted: a.submitted && !this.state.submitted.includes(a.id) ? [...this.state.submitted, a.id] : this.state.submitted,
          });
          // Handed in already (the ack was lost): nothing to send again.
          if (a.submitted && this.state.submitting?.assessmentId === a.id) this.endSubmit();
        }
        this.saveCache();
        // Everything answered while offline goes out now, with its original id.
        this.flushPending(true);
        for (const q of this.state.asking) this.send({ t: 'ask', ...q });
        this.sendNickname();
        return;
      case 'view': {
        const confirmed = this.state.confirmed && m.question?.runId === this.state.confirmed.runId ? this.state.confirmed : null;
        const notice = this.state.notice && m.question?.runId === this.state.view?.question?.runId ? this.state.notice : null;
        // A new assessment starts with no answers; the same one keeps what the server confirmed.
        const mine = m.assessment && this.state.mine?.assessmentId !== m.assessment.id ? { assessmentId: m.assessment.id, answers: {} } : this.state.mine;
        // The game turned off: its points leave the screen (and a nickname waiting for an answer gets none).
        const game = m.game ? this.state.game : null;
        this.set({ view: m, confirmed, notice, mine, game, ...(m.game ? {} : { nickname: { saving: false, error: null } }) });
        this.saveCache();
        this.sendNickname();
        return;
      }
      case 'game':
        if (m.id && m.id === this.nicknameId) {
          this.nicknameId = null;
          this.set({ game: m, nickname: { saving: false, error: null } });
        } else this.set({ game: m });
        return;
      case 'ack': {
        const sub = this.state.submitting;
        if (sub?.id === m.id) {
          this.endSubmit({ submitted: [...this.state.submitted.filter((x) => x !== sub.assessmentId), sub.assessmentId] });
          this.saveCache();
          return;
        }
        if (this.state.asking.some((q) => q.id === m.id)) {
          this.set({ asking: this.state.asking.filter((q) => q.id !== m.id), asked: this.state.asked + 1 });
          return;
        }
        const sent = this.state.pending.find((p) => p.id === m.id);
        if (!sent) return;
        this.savePending(this.state.pending.filter((p) => p.id !== m.id));
        const mine = this.state.mine;
        if (mine && this.state.view?.assessment?.questions.some((q) => q.runId === sent.runId))
          this.set({ mine: { ...mine, answers: { ...mine.answers, [sent.runId]: sent.value } }, error: null });
        else this.set({ confirmed: { runId: sent.runId, value: sent.value }, error: null });
        this.saveCache();
        return;
      }
      case 'error':
        return this.onError(m);
    }
  }

  private onError(m: Extract<ServerToTrainee, { t: 'error' }>): void {
    if (m.id && m.id === this.nicknameId) {
      // Refused (taken, too long…): not sent again; the trainee sees why and can pick another.
      this.nicknameId = null;
      store.remove(KEY_NICKNAME);
      return this.set({ nickname: { saving: false, error: m.message } });
    }
    const asked = m.id ? this.state.asking.find((q) => q.id === m.id) : undefined;
    if (asked && m.code === 'invalid') {
      this.set({ asking: this.state.asking.filter((q) => q.id !== asked.id), notice: `Your question was not sent: ${m.message}` });
      return;
    }
    const sub = this.state.submitting;
    if (sub && m.id === sub.id) {
      if (m.code === 'closed' || m.code === 'invalid') return this.endSubmit({ notice: `Not handed in: ${m.message}` });
      // Not stored (or too fast): sent again shortly, with the same id.
      this.sentAt.delete(sub.id);
      window.clearTimeout(this.resendTimer);
      this.resendTimer = window.setTimeout(() => this.flushPending(false), 1500 + Math.random() * 1500);
      return;
    }
    const p = m.id ? this.state.pending.find((x) => x.id === m.id) : undefined;
    if (p) {
      if (m.code === 'closed' || m.code === 'invalid') {
        // The server will never take this one: stop sending it and say so.
        this.savePending(this.state.pending.filter((x) => x.id !== p.id));
        const current = this.state.view?.question?.runId === p.runId || !!this.state.view?.assessment?.questions.some((q) => q.runId === p.runId);
        if (current || m.code === 'invalid')
          this.set({
            notice: m.code === 'closed' ? 'Your answer was not counted: the question closed before your phone reconnected.' : `Your answer was not accepted: ${m.message}`,
          });
        return;
      }
      // 'server' (not stored), 'rate', 'forbidden' (not resumed yet): kept, sent again with the same id.
      this.sentAt.delete(p.id);
      window.clearTimeout(this.resendTimer);
      this.resendTimer = window.setTimeout(() => this.flushPending(false), 1500 + Math.random() * 1500);
      return;
    }
    if (!this.welcomed) {
      // The reply to our join or resume.
      window.clearTimeout(this.handshakeTimer);
      if (m.code === 'server' || m.code === 'rate') {
        // Not stored, or too many messages: try again a little later, on a new socket.
        this.set({ error: m.message });
        return this.drop();
      }
      if (this.joinRequest) {
        // Refused (wrong room code, a field missing, the instructor did not confirm…): say why and wait for the trainee.
        this.joinRequest = null;
        return this.set({ error: m.message, joining: false, claim: null });
      }
      // The token is unknown here, or the class is over: ask for the details again.
      return this.forget(m.message);
    }
    this.set({ error: m.message });
  }
}
