/**
 * The classroom: ties sockets to the engine and the records. Every accepted input takes the one
 * path of the commit queue (commit-queue.ts): decided on committed memory, persisted in a group
 * commit, then applied, acknowledged and broadcast. What is not a record — who is connected
 * (presence.ts), what the projector shows (the stage), phones waiting on an identity claim — lives
 * here, outside the engine, so a failed commit or a rebuild of the engine never loses it.
 *
 * Fan-out: one serialised Buffer for all phones; console and projector views are coalesced to at
 * most one update per {@link VIEW_INTERVAL_MS}.
 */
import crypto from 'node:crypto';
import type { WebSocket } from 'ws';
import QRCode from 'qrcode';
import { SessionEngine } from '../session/engine';
import type { EngineOp, Outcome } from '../session/engine';
import type { Records } from '../records/db';
import type { RosterRow, RosterSummary } from '../../shared/roster';
import type { Deck } from '../../shared/course';
import { normOfficerId } from '../../shared/identity';
import { publicQuestion } from '../../shared/question';
import type { ConsoleClaim, ConsoleView, DeckPreview, DeckSummary, ErrorReply, InstructorCommand, JoinInfo, ProjectorTheme, ProjectorView, TraineeMessage, TraineeView, TraineeWelcome } from '../../shared/protocol';
import { CommitQueue, instructorCommitMessage, traineeCommitMessage } from './commit-queue';
import { COMMANDS } from './commands';
import type { Step } from './commands';
import { GameRoom } from './game-room';
import { Presence } from './presence';
import type { TraineeConn } from './presence';
import type { Room } from './room';
import { consoleView, projectorView } from './room-views';
import type { Stage } from './room-views';
import { broadcast, send } from './fanout';

export type { TraineeConn } from './presence';
export { send } from './fanout';

export const VIEW_INTERVAL_MS = 100;
/**
 * A phone that joins with an officer ID whose phone was here less than this long ago is a claim on
 * someone's identity: the instructor decides. Longer (a phone that died, a new phone after lunch),
 * the new phone takes over on its own, audit-logged.
 */
export const CLAIM_WINDOW_MS = 30 * 60_000;

export interface ClassroomOptions {
  records: Records;
  decks: () => Deck[];
  lanPort: () => number;
  hosts: () => string[];
  joinHost: string;
  onJoinHost?: (host: string) => void;
  theme?: ProjectorTheme;
  onTheme?: (theme: ProjectorTheme) => void;
  profanityFilter?: boolean;
  onProfanityFilter?: (on: boolean) => void;
  now?: () => number;
  claimWindowMs?: number;
  log?: (message: string, error?: unknown) => void;
}

interface Claim {
  id: string;
  conn: TraineeConn;
  token: string;
  traineeId: string;
  claimed: { name: string; officerId: string; agency: string };
  at: number;
}

const randomId = (bytes = 12) => crypto.randomBytes(bytes).toString('base64url');
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');
const tkey = (traineeId: string) => `t:${traineeId}`;

export class Classroom implements Room {
  private eng: SessionEngine;
  readonly trainees = new Set<TraineeConn>();
  readonly consoles = new Set<WebSocket>();
  readonly projectors = new Set<WebSocket>();
  readonly presence: Presence;
  readonly stage: Stage;
  readonly game: GameRoom;
  readonly records: Records;
  private readonly queue: CommitQueue;
  private readonly claims = new Map<string, Claim>();
  /** The last commit failure, shown on the console until a commit succeeds again. */
  private alert: ConsoleView['alert'] = null;
  private viewTimer: NodeJS.Timeout | null = null;
  private lastViews = 0;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private traineeTimer: NodeJS.Timeout | null = null;
  private qrCache = { url: '', svg: '' };
  private rosterCache: { sessionId: string | null; summary: RosterSummary | null } | null = null;
  private deckCache: { decks: Deck[]; summaries: DeckSummary[] } | null = null;
  joinHost: string;
  private readonly now: () => number;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(private readonly opts: ClassroomOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((m, e) => console.error(`[muster] ${m}`, e ?? ''));
    this.records = opts.records;
    this.joinHost = opts.joinHost;
    this.stage = { blank: 'none', theme: opts.theme ?? 'dark', showJoin: true, showQa: false, gain: null, showGain: false, hidePrompt: false, profanityFilter: opts.profanityFilter ?? false };
    this.presence = new Presence(this.now());
    this.eng = this.newEngine();
    this.game = new GameRoom({ engine: () => this.eng, records: this.records, trainees: this.trainees, broadcastTrainees: () => this.broadcastTrainees(), markViews: () => this.markViews() });
    this.queue = new CommitQueue({
      commit: (ops) => this.records.apply(ops),
      apply: (ops) => this.eng.apply(ops),
      rebuild: () => this.rebuild(),
      onFailure: (_e, cause) => {
        this.alert = { message: `${instructorCommitMessage(cause)} The class goes on; phones keep what was not saved and send it again.`, at: this.now() };
        this.sendViews();
      },
      onCommitted: () => {
        if (!this.alert) return;
        this.alert = null;
        this.markViews();
      },
      log: this.log,
    });
    this.resume();
  }

  get engine(): SessionEngine {
    return this.eng;
  }

  private newEngine(): SessionEngine {
    return new SessionEngine({ deck: (course, file) => this.opts.decks().find((d) => d.course === course && d.file === file) });
  }

  /** Picks up a session that was running when the app stopped, so the class carries on. */
  private resume(): void {
    const row = this.records.unfinishedSession();
    if (!row) return;
    const deck = this.opts.decks().find((d) => d.course === row.course && d.file === row.deck_file);
    if (!deck) {
      // The deck is gone from the content folder: close the session rather than guess.
      this.records.apply([{ op: 'end', sessionId: row.id, at: this.now() }]);
      return;
    }
    this.eng.restore(this.records.snapshot(row, deck));
    this.armDeadline();
  }

  /** Memory could not take what the records hold (a bug): it is rebuilt from the records, the room's state kept. */
  private rebuild(): void {
    const fresh = this.newEngine();
    const row = this.records.unfinishedSession();
    const deck = row && this.opts.decks().find((d) => d.course === row.course && d.file === row.deck_file);
    if (row && deck) fresh.restore(this.records.snapshot(row, deck));
    this.eng = fresh;
    this.broadcastTrainees();
    this.markViews();
  }

  // ------------------------------------------------------------------ trainees
  /** Every message a phone sends gets an answer: an ack, a view, an error — never silence. */
  handleTrainee(conn: TraineeConn, msg: TraineeMessage): void {
    const now = this.now();
    const reply = (m: object) => send(conn.ws, m);
    const failed = (id?: string) => (code: ErrorReply['code'], message: string) =>
      reply({ t: 'error', code, message: code === 'server' ? traineeCommitMessage(message) : message, ...(id ? { id } : {}) } satisfies ErrorReply);
    const me = conn.traineeId;
    switch (msg.t) {
      case 'ping':
        return reply({ t: 'pong' });
      case 'join':
        if (me || conn.claimId) return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        return this.join(conn, msg, now);
      case 'resume': {
        if (me || conn.claimId) return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        const hash = hashToken(msg.token);
        const owner = this.eng.tokenOwner(hash);
        this.queue.run(
          owner ? [tkey(owner)] : [`tok:${hash}`],
          () => {
            const o = this.eng.resume({ tokenHash: hash });
            return o.ok && !o.ended ? this.withArrival(o, o.traineeId, now) : o;
          },
          (o) => (o.ended ? this.welcome(conn, o.traineeId, msg.token) : this.admit(conn, o.traineeId, msg.token)),
          failed(),
        );
        return;
      }
      case 'ask':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.queue.run(
          [tkey(me), `qa:${msg.id}`],
          () => this.eng.ask({ qaId: randomId(9), traineeId: me, text: msg.text, anonymous: msg.anonymous, msgId: msg.id, now }),
          (o) => {
            reply({ t: 'ack', id: msg.id, runId: '' });
            if (o.ops.length) this.markViews();
          },
          failed(msg.id),
        );
        return;
      case 'vote':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.queue.run(
          [tkey(me)],
          () => this.eng.vote({ qaId: msg.qaId, traineeId: me, now }),
          () => {
            reply({ t: 'ack', id: msg.id ?? msg.qaId, runId: '' });
            this.markTrainees();
          },
          failed(msg.id),
        );
        return;
      case 'submit':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.queue.run(
          [tkey(me)],
          () => this.eng.submit({ traineeId: me, assessmentId: msg.assessmentId, msgId: msg.id, now }),
          (o) => {
            reply({ t: 'ack', id: msg.id, runId: '' });
            if (o.ops.length) this.markViews();
          },
          failed(msg.id),
        );
        return;
      case 'nickname':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        return this.game.setNickname(conn, me, msg.nickname, msg.id);
      case 'answer':
        if (!me) return failed(msg.id)('forbidden', 'join the class first');
        this.queue.run(
          [tkey(me)],
          () => this.eng.answer({ traineeId: me, runId: msg.runId, msgId: msg.id, value: msg.value, now }),
          (o) => {
            reply({ t: 'ack', id: msg.id, runId: msg.runId });
            if (o.ops.length) this.markViews();
          },
          failed(msg.id),
        );
        return;
      default: {
        const never: never = msg;
        throw new Error(`unhandled ${String(never)}`);
      }
    }
  }

  /**
   * A phone joins with name, officer ID and room code. A new officer ID is a new trainee. One
   * already in the class is a claim on that trainee: while their phone is here (or was, within
   * {@link CLAIM_WINDOW_MS}) the instructor decides, and their phone is told; after that, the new
   * phone takes over on its own. Either way the audit log records the rebinding.
   */
  private join(conn: TraineeConn, msg: Extract<TraineeMessage, { t: 'join' }>, now: number): void {
    const fail = (code: ErrorReply['code'], message: string) =>
      send(conn.ws, { t: 'error', code, message: code === 'server' ? traineeCommitMessage(message) : message } satisfies ErrorReply);
    const okey = `o:${normOfficerId(msg.officerId)}`;
    // Every earlier join with this officer ID is in memory before it is looked up.
    this.queue.settle([okey]);
    const holder = this.eng.officerHolder(msg.officerId);
    const token = randomId(24);
    const tokenHash = hashToken(token);
    if (holder === undefined) {
      const traineeId = randomId(9);
      this.queue.run(
        [okey, tkey(traineeId)],
        () => this.withArrival(this.eng.join({ traineeId, tokenHash, name: msg.name, officerId: msg.officerId, agency: msg.agency, roomCode: msg.roomCode, now }), traineeId, now),
        () => this.admit(conn, traineeId, token),
        fail,
      );
      return;
    }
    const s = this.eng.live();
    if (!s) return fail('room', 'no class is running; ask the instructor');
    if (msg.roomCode !== s.roomCode) return fail('room', 'that room code is not this class; check the code on the screen');
    const gone = this.presence.goneFor(holder, now);
    const window = this.opts.claimWindowMs ?? CLAIM_WINDOW_MS;
    if (gone >= window) {
      const minutes = Math.floor(gone / 60_000);
      this.queue.run(
        [okey, tkey(holder)],
        () =>
          this.withArrival(
            this.eng.rebind({ traineeId: holder, tokenHash, connected: false, reason: `Joined from a new phone; the previous phone had been away ${minutes} min`, actor: 'system', now }),
            holder,
            now,
          ),
        () => {
          this.signOut(holder, conn);
          this.admit(conn, holder, token);
        },
        fail,
      );
      return;
    }
    const claim: Claim = { id: randomId(9), conn, token, traineeId: holder, claimed: { name: msg.name, officerId: msg.officerId, agency: msg.agency }, at: now };
    this.claims.set(claim.id, claim);
    conn.claimId = claim.id;
    send(conn.ws, {
      t: 'claim',
      message: `Officer ID ${msg.officerId} is already in this class on another phone. The instructor has been asked to confirm that this is you; please wait.`,
    });
    for (const c of this.presence.conns(holder))
      send(c.ws, {
        t: 'notice',
        message: `Another phone is asking to join this class as you (officer ID ${msg.officerId}). The instructor will decide. If this was not you, tell the instructor.`,
      });
    this.sendViews();
  }

  /** The instructor allows a claim (the new phone takes over, audit-logged with the reason) or refuses it. */
  settleClaim(claimId: string, allow: boolean, reason: string, now: number): Step {
    const c = this.claims.get(claimId);
    if (!c) return { stage: true, error: 'that request is no longer waiting (the phone left, or it was settled)' };
    if (allow && !reason.trim()) return { stage: true, error: 'say why this phone may take over (the reason goes into the audit log)' };
    if (allow)
      return {
        decide: () => this.withArrival(this.eng.rebind({ traineeId: c.traineeId, tokenHash: hashToken(c.token), connected: this.presence.connected(c.traineeId), reason, actor: 'instructor', now }), c.traineeId, now),
        after: () => {
          this.dropClaim(c);
          this.signOut(c.traineeId, c.conn);
          this.admit(c.conn, c.traineeId, c.token);
        },
      };
    return {
      decide: () => this.eng.refuseClaim({ traineeId: c.traineeId, claimed: c.claimed, reason, actor: 'instructor', now }),
      after: () => {
        this.dropClaim(c);
        send(c.conn.ws, { t: 'error', code: 'forbidden', message: 'The instructor did not confirm this officer ID for this phone. Check the officer ID, or speak to the instructor.' } satisfies ErrorReply);
      },
    };
  }

  private dropClaim(c: Claim): void {
    this.claims.delete(c.id);
    if (c.conn.claimId === c.id) delete c.conn.claimId;
  }

  /** The phones a trainee had, other than `keep`, no longer speak for them: they are told, and closed. */
  private signOut(traineeId: string, keep: TraineeConn): void {
    const now = this.now();
    for (const c of this.presence.conns(traineeId)) {
      if (c === keep) continue;
      // Not a leave: the trainee is still here, on the new phone.
      this.presence.remove(c, now);
      c.traineeId = null;
      send(c.ws, { t: 'signed-out', message: 'You are now signed in to this class on another phone. This phone has left the class.' });
      c.ws.close(1000, 'signed in on another phone');
    }
  }

  /** A trainee's first phone arriving is an attendance `join`. */
  private withArrival<T>(o: Outcome<T>, traineeId: string, now: number): Outcome<T> {
    const s = this.eng.live();
    if (!o.ok || !s || this.presence.connected(traineeId)) return o;
    return { ...o, ops: [...o.ops, { op: 'attendance', sessionId: s.id, traineeId, event: 'join', at: now }] };
  }

  /** The records hold the phone's join or resume: it is counted present and welcomed. */
  private admit(conn: TraineeConn, traineeId: string, token: string): void {
    this.presence.add(conn, traineeId);
    if (conn.ws.readyState !== 1) {
      // It left while its join was being stored: that is a leave, like any other.
      this.traineeClosed(conn);
      return;
    }
    this.welcome(conn, traineeId, token);
    this.markViews();
  }

  private welcome(conn: TraineeConn, traineeId: string, token: string): void {
    const t = this.eng.trainees.get(traineeId);
    if (!t) return;
    conn.token = token;
    conn.traineeId ??= traineeId;
    const w: TraineeWelcome = {
      t: 'welcome',
      token,
      trainee: { id: t.id, name: t.name, officerId: t.officerId, agency: t.agency },
      answer: this.eng.answerOf(traineeId),
      assessment: this.eng.assessmentOf(traineeId),
    };
    send(conn.ws, w);
    send(conn.ws, this.traineeView());
    this.game.sendTo(conn);
  }

  traineeClosed(conn: TraineeConn): void {
    this.trainees.delete(conn);
    const claim = conn.claimId ? this.claims.get(conn.claimId) : undefined;
    if (claim) {
      this.dropClaim(claim);
      this.markViews();
    }
    const id = conn.traineeId;
    if (!id) return;
    const now = this.now();
    const last = this.presence.remove(conn, now);
    const s = this.eng.live();
    this.markViews();
    if (!last || !s) return;
    this.queue.run(
      [tkey(id)],
      (): Outcome => ({ ok: true, traineesChanged: false, ops: [{ op: 'attendance', sessionId: s.id, traineeId: id, event: 'leave', at: now }] }),
      () => this.markViews(),
      (_code, message) => this.log(`the leave of trainee ${id} was not stored: ${message}`),
    );
  }

  /** Coalesces board updates to the phones (votes come in bursts): at most one every 250 ms. */
  private markTrainees(): void {
    this.markViews();
    if (this.traineeTimer) return;
    this.traineeTimer = setTimeout(() => {
      this.traineeTimer = null;
      this.broadcastTrainees();
    }, 250);
  }

  /** One serialisation, the same bytes to every phone of the class. */
  broadcastTrainees(): void {
    const sockets: WebSocket[] = [];
    for (const c of this.trainees) if (c.traineeId) sockets.push(c.ws);
    broadcast(sockets, this.traineeView());
  }

  /** The view every phone gets, with the game's mode while it is on: still one Buffer for all phones. */
  private traineeView(): TraineeView {
    const v = this.eng.traineeView(this.now(), this.stage);
    const mode = this.game.mode();
    return mode ? { ...v, game: mode } : v;
  }

  // ------------------------------------------------------------------ instructor
  handleCommand(ws: WebSocket, id: string, cmd: InstructorCommand): void {
    const now = this.now();
    const done = (ok: boolean, error?: string) => send(ws, ok ? { t: 'result', id, ok } : { t: 'result', id, ok, error });
    // Decided on memory that holds everything already accepted.
    this.queue.settle('all');
    const handler = COMMANDS[cmd.type] as { policy?: { hidesLeaderboard?: boolean; hidesGain?: boolean; uncovers?: boolean }; run(c: InstructorCommand, r: Room, now: number): Step };
    const step = handler.run(cmd, this, now);
    if (step.stage) {
      done(!step.error, step.error);
      // Black screen and the join code are what the room sees: no coalescing delay.
      return this.sendViews();
    }
    this.queue.run(
      'all',
      step.decide,
      (o) => {
        const p = handler.policy ?? {};
        if (p.hidesLeaderboard) this.game.hide();
        if (p.hidesGain) this.stage.showGain = false;
        if (p.uncovers) this.stage.blank = 'none';
        step.after?.();
        this.armDeadline();
        done(true);
        if (o.traineesChanged) this.broadcastTrainees();
        // Slide changes and question pushes are what the room waits for: no coalescing delay.
        this.sendViews();
      },
      (code, message) => done(false, code === 'server' ? instructorCommitMessage(message) : message),
    );
  }

  decks(): readonly Deck[] {
    return this.opts.decks();
  }

  withRoster(o: Outcome): Outcome {
    const start = o.ok ? o.ops.find((x): x is Extract<EngineOp, { op: 'session' }> => x.op === 'session') : undefined;
    if (!o.ok || !start) return o;
    const entries = this.records.rosterEntries(null);
    if (!entries.length) return o;
    return { ...o, ops: [...o.ops, { op: 'adoptRoster', sessionId: start.id, entries, at: start.at }] };
  }

  withLeaves(o: Outcome, now: number): Outcome {
    const s = this.eng.live();
    if (!o.ok || !s) return o;
    const leaves: EngineOp[] = this.presence.connectedIds().map((traineeId) => ({ op: 'attendance', sessionId: s.id, traineeId, event: 'leave', at: now }));
    // Before the `end` row, so the attendance closes inside the session.
    return { ...o, ops: [...leaves, ...o.ops] };
  }

  withMoveAttendance(o: Outcome, from: string, to: string, now: number): Outcome {
    const s = this.eng.live();
    if (!o.ok || !s || !this.presence.connected(from)) return o;
    const ops: EngineOp[] = [{ op: 'attendance', sessionId: s.id, traineeId: from, event: 'leave', at: now }];
    if (!this.presence.connected(to)) ops.push({ op: 'attendance', sessionId: s.id, traineeId: to, event: 'join', at: now });
    return { ...o, ops: [...o.ops, ...ops] };
  }

  sessionStarted(now: number): void {
    // Phones of an earlier class are no part of this one (they show that class as ended).
    for (const c of this.trainees) c.traineeId = null;
    this.presence.reset(now);
    for (const c of this.claims.values()) this.dropClaim(c);
    this.stage.showJoin = true;
    this.stage.hidePrompt = false;
    this.stage.gain = null;
    this.rosterCache = null;
  }

  sessionEnded(): void {
    for (const c of [...this.claims.values()]) {
      this.dropClaim(c);
      send(c.conn.ws, { t: 'error', code: 'room', message: 'The class has ended.' } satisfies ErrorReply);
    }
  }

  rewelcome(traineeId: string): void {
    for (const c of this.trainees) if (c.traineeId === traineeId && c.token) this.welcome(c, traineeId, c.token);
  }

  saveProfanityFilter(on: boolean): void {
    this.opts.onProfanityFilter?.(on);
  }

  saveTheme(theme: ProjectorTheme): void {
    this.opts.onTheme?.(theme);
  }

  setJoinHost(host: string): string | null {
    if (!this.opts.hosts().includes(host)) return `${host} is not an address of this computer`;
    this.joinHost = host;
    this.opts.onJoinHost?.(host);
    return null;
  }

  // ------------------------------------------------------------------ roster
  /** The session a roster import applies to: the running one, or none (the next session's roster). */
  rosterSessionId(): string | null {
    return this.eng.live()?.id ?? null;
  }

  /** Stores a roster (replacing the one that applies now), audit-logged; resolves once committed. */
  importRoster(input: { name: string; rows: readonly RosterRow[]; reason: string }): Promise<RosterSummary> {
    this.queue.settle('all');
    const sessionId = this.rosterSessionId();
    const entries = input.rows.map((r) => ({ officerId: r.officerId, name: r.name, agency: r.agency, email: r.email }));
    return new Promise((resolve, reject) => {
      this.queue.run(
        'all',
        (): Outcome => ({ ok: true, traineesChanged: false, ops: [{ op: 'roster', sessionId, name: input.name, entries, reason: input.reason, actor: 'instructor', at: this.now() }] }),
        () => {
          this.rosterCache = null;
          this.sendViews();
          resolve(this.records.rosterSummary(sessionId) ?? { name: input.name, entries: entries.length, importedAt: this.now() });
        },
        (code, message) => reject(new Error(code === 'server' ? instructorCommitMessage(message) : message)),
      );
    });
  }

  private rosterSummary(): RosterSummary | null {
    const sessionId = this.rosterSessionId();
    if (this.rosterCache?.sessionId !== sessionId) this.rosterCache = { sessionId, summary: this.records.rosterSummary(sessionId) };
    return this.rosterCache.summary;
  }

  private armDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    const left = this.eng.remainingMs(this.now());
    if (left === null) return;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.queue.run(
        'all',
        () => this.eng.tick(this.now()),
        (o) => {
          if (o.traineesChanged) this.broadcastTrainees();
          this.sendViews();
          this.armDeadline();
        },
        (_code, message) => {
          this.log(`closing the timed question failed: ${message}`);
          this.armDeadline();
        },
      );
    }, left + 5);
    this.deadlineTimer.unref();
  }

  // ------------------------------------------------------------------ views
  /** Coalesces console and projector updates: at most one per VIEW_INTERVAL_MS. */
  markViews(): void {
    if (this.viewTimer) return;
    const wait = Math.max(0, this.lastViews + VIEW_INTERVAL_MS - this.now());
    this.viewTimer = setTimeout(() => this.sendViews(), wait);
  }

  sendViews(): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = null;
    this.lastViews = this.now();
    if (this.consoles.size) broadcast(this.consoles, this.consoleView());
    if (this.projectors.size) broadcast(this.projectors, this.projectorView());
  }

  joinUrl(): string {
    const s = this.eng.live();
    const host = this.joinHost.includes(':') ? `[${this.joinHost}]` : this.joinHost;
    return `http://${host}:${this.opts.lanPort()}/join/${s ? `?room=${s.roomCode}` : ''}`;
  }

  /** Renders the QR code for the join URL; cached, since the URL changes rarely. */
  async refreshQr(): Promise<void> {
    const url = this.joinUrl();
    if (this.qrCache.url === url) return;
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    this.qrCache = { url, svg: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    this.markViews();
  }

  private joinInfo(): JoinInfo {
    const url = this.joinUrl();
    if (this.qrCache.url !== url) this.refreshQr().catch((e) => this.log('the QR code could not be drawn', e));
    return { url, host: this.joinHost, roomCode: this.eng.session?.roomCode ?? '', qr: this.qrCache.url === url ? this.qrCache.svg : '', show: this.stage.showJoin };
  }

  /** A deck as the library previews it: every slide with its notes, before any session starts. */
  deckPreview(course: string, file: string): DeckPreview | null {
    const d = this.opts.decks().find((x) => x.course === course && x.file === file);
    if (!d) return null;
    return {
      course: d.course,
      courseTitle: d.courseTitle,
      file: d.file,
      title: d.title,
      minutes: d.minutes,
      slides: d.slides.map((sl, index) => ({ index, id: sl.id, html: sl.html, title: sl.title, question: sl.question ? publicQuestion(sl.question) : null, notes: sl.notes })),
    };
  }

  deckSummaries(): DeckSummary[] {
    const decks = this.opts.decks();
    if (this.deckCache?.decks !== decks)
      this.deckCache = { decks, summaries: decks.map((d) => ({ course: d.course, courseTitle: d.courseTitle, file: d.file, title: d.title, slides: d.slides.length })) };
    return this.deckCache.summaries;
  }

  private viewInput() {
    return {
      engine: this.eng,
      stage: this.stage,
      now: this.now(),
      connected: (id: string) => this.presence.connected(id),
      join: () => this.joinInfo(),
      decks: this.opts.decks(),
      deckSummaries: this.deckSummaries(),
      hosts: this.opts.hosts(),
      roster: this.rosterSummary(),
      claims: this.consoleClaims(),
      alert: this.alert,
      game: { console: () => this.game.consoleView(), leaderboard: () => this.game.leaderboard() },
    };
  }

  private consoleClaims(): ConsoleClaim[] {
    return [...this.claims.values()].map((c) => {
      const t = this.eng.trainees.get(c.traineeId);
      return {
        id: c.id,
        at: c.at,
        claimed: c.claimed,
        trainee: { id: c.traineeId, name: t?.name ?? '', officerId: t?.officerId ?? '', agency: t?.agency ?? '', connected: this.presence.connected(c.traineeId) },
      };
    });
  }

  consoleView(): ConsoleView {
    return consoleView(this.viewInput());
  }

  projectorView(): ProjectorView {
    return projectorView(this.viewInput());
  }

  close(): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.traineeTimer) clearTimeout(this.traineeTimer);
    // Write what is queued (the leave events of the sockets just closed), then accept nothing more.
    this.queue.close();
  }
}
