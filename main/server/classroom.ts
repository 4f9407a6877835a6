/**
 * The classroom: ties sockets to the engine and the records. Every accepted input follows
 * persist → acknowledge → broadcast (DESIGN.md rule 4), with group commit: what arrives in one
 * event-loop turn is written in one transaction, then all of it is acknowledged.
 * Fan-out (rule 8): one serialised Buffer for all phones; console and projector views are coalesced
 * to at most one update per {@link VIEW_INTERVAL_MS}.
 */
import crypto from 'node:crypto';
import type { WebSocket } from 'ws';
import QRCode from 'qrcode';
import { SessionEngine } from '../session/engine';
import type { Outcome, RecordOp } from '../session/engine';
import type { Records } from '../records/db';
import type { RosterRow, RosterSummary } from '../../shared/roster';
import type { Deck } from '../../shared/course';
import { publicQuestion } from '../../shared/question';
import { knowledgeGain } from '../records/assessments';
import { Game, GAME_RULES } from '../session/game';
import { revealedGameRuns } from '../records/game-runs';
import { hasProfanity } from '../session/profanity';
import type {
  BlankMode,
  ConsoleScenario,
  DeckPreview,
  ProjectorScenario,
  QaConsoleItem,
  CommandResult,
  OutlineItem,
  ProjectorTheme,
  ConsoleView,
  DeckSummary,
  ErrorReply,
  InstructorCommand,
  JoinInfo,
  KnowledgeGain,
  ProjectorView,
  TraineeMessage,
  TraineeGame,
  TraineeView,
  TraineeWelcome,
  ConsoleGame,
} from '../../shared/protocol';

export const VIEW_INTERVAL_MS = 100;

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
}

interface Batch {
  ops: RecordOp[];
  after: () => void;
  failed: (message: string) => void;
}

export interface TraineeConn {
  ws: WebSocket;
  traineeId: string | null;
  /** The phone's token, once welcomed: a correction or a moved phone is told who it now is. */
  token?: string;
}

const randomId = (bytes = 12) => crypto.randomBytes(bytes).toString('base64url');
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export class Classroom {
  readonly engine = new SessionEngine();
  readonly trainees = new Set<TraineeConn>();
  readonly consoles = new Set<WebSocket>();
  readonly projectors = new Set<WebSocket>();
  private queue: Batch[] = [];
  private closed = false;
  private flushScheduled = false;
  private viewTimer: NodeJS.Timeout | null = null;
  private lastViews = 0;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private qrCache = { url: '', svg: '' };
  private showJoin = true;
  /** Black or white screen: a presentation state, not a record, so it lives here, not in the engine. */
  private blank: BlankMode = 'none';
  private showQa = false;
  /** Knowledge gain, computed from the records when the instructor asks for it. */
  private gain: KnowledgeGain | null = null;
  private showGain = false;
  /** The optional game layer (speed points, leaderboard by nickname): presentation only, never a record. */
  private readonly game = new Game();
  private traineeTimer: NodeJS.Timeout | null = null;
  private theme: ProjectorTheme;
  joinHost: string;
  private readonly now: () => number;

  constructor(private readonly opts: ClassroomOptions) {
    this.now = opts.now ?? Date.now;
    this.joinHost = opts.joinHost;
    this.theme = opts.theme ?? 'dark';
    this.engine.profanityFilter = opts.profanityFilter ?? false;
    this.resume();
  }

  /** Picks up a session that was running when the app stopped, so the class carries on. */
  private resume(): void {
    const row = this.opts.records.unfinishedSession();
    if (!row) return;
    const deck = this.opts.decks().find((d) => d.course === row.course && d.file === row.deck_file);
    if (!deck) {
      // The deck is gone from the content folder: close the session rather than guess.
      this.opts.records.apply([{ op: 'end', sessionId: row.id, at: this.now() }]);
      return;
    }
    this.engine.restore(this.opts.records.snapshot(row, deck));
    this.engine.setRoster(this.opts.records.rosterEntries(row.id));
    this.armDeadline();
  }

  // ------------------------------------------------------------------ group commit
  private commit(ops: RecordOp[], after: () => void, failed: (message: string) => void): void {
    if (this.closed) return failed('Muster is stopping');
    this.queue.push({ ops, after, failed });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.opts.records.apply(batch.flatMap((b) => b.ops));
    } catch (e) {
      // Nothing in this batch was stored: tell every sender, and rebuild the engine from the records
      // so memory never claims what the disk does not hold. Phones keep their answers and resend.
      const message = `could not store: ${(e as Error).message}`;
      for (const b of batch) b.failed(message);
      this.engine.session = null;
      this.resume();
      this.broadcastTrainees();
      this.markViews();
      return;
    }
    for (const b of batch) b.after();
  }

  private accept<T>(outcome: Outcome<T>, after: (o: Extract<Outcome<T>, { ok: true }>) => void, failed: (e: ErrorReply) => void): void {
    if (!outcome.ok) return failed({ t: 'error', code: outcome.code, message: outcome.message });
    this.commit(
      outcome.ops,
      () => {
        after(outcome as Extract<Outcome<T>, { ok: true }>);
        if (outcome.traineesChanged) this.broadcastTrainees();
        if (outcome.ops.length || outcome.traineesChanged) this.markViews();
      },
      (message) => failed({ t: 'error', code: 'server', message }),
    );
  }

  // ------------------------------------------------------------------ trainees
  handleTrainee(conn: TraineeConn, msg: TraineeMessage): void {
    const now = this.now();
    const reply = (m: object) => send(conn.ws, m);
    const error = (id?: string) => (e: ErrorReply) => reply(id ? { ...e, id } : e);
    const unbind = (e: ErrorReply) => {
      conn.traineeId = null;
      reply(e);
    };
    switch (msg.t) {
      case 'ping':
        reply({ t: 'pong' });
        return;
      case 'join': {
        if (conn.traineeId) return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        const token = randomId(24);
        const outcome = this.engine.join({ traineeId: randomId(9), tokenHash: hashToken(token), name: msg.name, officerId: msg.officerId, agency: msg.agency, roomCode: msg.roomCode, now });
        this.accept(outcome, (o) => this.welcome(conn, o.traineeId, token), unbind);
        if (outcome.ok) conn.traineeId = outcome.traineeId;
        return;
      }
      case 'resume': {
        if (conn.traineeId) return reply({ t: 'error', code: 'invalid', message: 'already joined' });
        const outcome = this.engine.resume({ tokenHash: hashToken(msg.token), now });
        this.accept(outcome, (o) => this.welcome(conn, o.traineeId, msg.token), unbind);
        if (outcome.ok) conn.traineeId = outcome.traineeId;
        return;
      }
      case 'ask': {
        if (!conn.traineeId) return reply({ t: 'error', code: 'forbidden', message: 'join the class first', id: msg.id });
        const outcome = this.engine.ask({ qaId: randomId(9), traineeId: conn.traineeId, text: msg.text, anonymous: msg.anonymous, msgId: msg.id, now });
        this.accept(outcome, () => reply({ t: 'ack', id: msg.id, runId: '' }), error(msg.id));
        return;
      }
      case 'vote': {
        if (!conn.traineeId) return reply({ t: 'error', code: 'forbidden', message: 'join the class first' });
        this.accept(this.engine.vote({ qaId: msg.qaId, traineeId: conn.traineeId, now }), () => this.markTrainees(), error());
        return;
      }
      case 'submit': {
        if (!conn.traineeId) return reply({ t: 'error', code: 'forbidden', message: 'join the class first', id: msg.id });
        const outcome = this.engine.submit({ traineeId: conn.traineeId, assessmentId: msg.assessmentId, msgId: msg.id, now });
        this.accept(outcome, () => reply({ t: 'ack', id: msg.id, runId: '' }), error(msg.id));
        return;
      }
      case 'nickname': {
        if (!conn.traineeId) return reply({ t: 'error', code: 'forbidden', message: 'join the class first', id: msg.id });
        return this.setNickname(conn, conn.traineeId, msg.nickname, msg.id);
      }
      case 'answer': {
        if (!conn.traineeId) return reply({ t: 'error', code: 'forbidden', message: 'join the class first', id: msg.id });
        const outcome = this.engine.answer({ traineeId: conn.traineeId, runId: msg.runId, msgId: msg.id, value: msg.value, now });
        this.accept(outcome, () => reply({ t: 'ack', id: msg.id, runId: msg.runId }), error(msg.id));
        return;
      }
      default: {
        const never: never = msg;
        throw new Error(`unhandled ${String(never)}`);
      }
    }
  }

  private welcome(conn: TraineeConn, traineeId: string, token: string): void {
    const t = this.engine.trainees.get(traineeId)!;
    conn.token = token;
    const w: TraineeWelcome = {
      t: 'welcome',
      token,
      trainee: { id: t.id, name: t.name, officerId: t.officerId, agency: t.agency },
      answer: this.engine.answerOf(traineeId),
      assessment: this.engine.assessmentOf(traineeId),
    };
    send(conn.ws, w);
    send(conn.ws, this.traineeView());
    if (this.gameOn()) this.sendGame(conn);
  }

  traineeClosed(conn: TraineeConn): void {
    this.trainees.delete(conn);
    if (!conn.traineeId) return;
    this.accept(this.engine.disconnect(conn.traineeId, this.now()), () => undefined, () => undefined);
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

  /** One serialisation, the same bytes to every phone. */
  private broadcastTrainees(): void {
    const buf = Buffer.from(JSON.stringify(this.traineeView()));
    for (const c of this.trainees) if (c.traineeId && c.ws.readyState === 1) c.ws.send(buf, { binary: false });
  }

  // ------------------------------------------------------------------ the optional game
  /** The view every phone gets, with the game's mode while it is on: still one Buffer for all phones. */
  private traineeView(): TraineeView {
    const v = this.engine.traineeView(this.now());
    return this.gameOn() ? { ...v, game: this.game.mode as TraineeGame['mode'] } : v;
  }

  /** The game of the running session: a new session starts with the game off and no nicknames. */
  private currentGame(): Game {
    const id = this.engine.session?.id ?? null;
    if (this.game.sessionId !== id) this.game.reset(id);
    return this.game;
  }

  private gameOn(): boolean {
    const s = this.engine.session;
    return !!s && s.phase !== 'ended' && this.currentGame().on;
  }

  /** The class in join order (a trainee's automatic nickname is "Unit <place in this order>"). */
  private classIds(): string[] {
    return [...this.engine.trainees.keys()];
  }

  private standingsCache: { key: string; rows: ReturnType<Game['standings']> } | null = null;
  private gameStandings(): ReturnType<Game['standings']> {
    const key = `${this.game.sessionId}:${this.game.version}:${this.engine.trainees.size}`;
    if (this.standingsCache?.key !== key) this.standingsCache = { key, rows: this.game.standings(this.classIds()) };
    return this.standingsCache.rows;
  }

  /**
   * Turns the game on or off. Turned on, the totals are computed from the records (every revealed
   * live question of this session), so they are the same after an app restart.
   */
  private setGameMode(mode: Game['mode']): Outcome | null {
    const s = this.engine.session;
    if (!s || s.phase === 'ended') return { ok: false, code: 'invalid', message: 'start a session first' };
    const g = this.currentGame();
    if (mode !== 'off' && !g.on) g.setRuns(revealedGameRuns(this.opts.records, s.id));
    g.mode = mode;
    if (mode !== 'leaderboard') g.show = false;
    this.broadcastTrainees();
    if (g.on) this.sendGameToAll();
    return null;
  }

  /** What one phone sees of the game: its own points and rank, never anyone else's. */
  private gameMessage(traineeId: string, id?: string): TraineeGame | null {
    if (!this.gameOn()) return null;
    const rows = this.gameStandings();
    const me = rows.find((r) => r.traineeId === traineeId);
    if (!me) return null;
    const lastRun = this.game.lastRunId();
    return {
      t: 'game',
      mode: this.game.mode as TraineeGame['mode'],
      nickname: me.nickname,
      points: me.points,
      rank: me.rank,
      of: rows.length,
      streak: me.streak,
      last: lastRun ? { runId: lastRun, points: me.last } : null,
      ...(id ? { id } : {}),
    };
  }

  private sendGame(conn: TraineeConn, id?: string): void {
    const m = conn.traineeId ? this.gameMessage(conn.traineeId, id) : null;
    if (m) send(conn.ws, m);
  }

  /** After a reveal (or the game turned on): each phone gets its own small message, once per reveal. */
  private sendGameToAll(): void {
    if (!this.gameOn()) return;
    const rows = this.gameStandings();
    const byId = new Map(rows.map((r) => [r.traineeId, r]));
    const lastRun = this.game.lastRunId();
    const mode = this.game.mode as TraineeGame['mode'];
    for (const c of this.trainees) {
      const me = c.traineeId ? byId.get(c.traineeId) : undefined;
      if (!me) continue;
      const m: TraineeGame = { t: 'game', mode, nickname: me.nickname, points: me.points, rank: me.rank, of: rows.length, streak: me.streak, last: lastRun ? { runId: lastRun, points: me.last } : null };
      send(c.ws, m);
    }
  }

  /** The current question's results were shown: it counts for the game (once). */
  private gameReveal(): void {
    const r = this.engine.run;
    if (!r || !this.gameOn()) return;
    const answers = [...r.answers].map(([traineeId, a]) => ({ traineeId, value: a.value, at: a.at }));
    if (this.game.addRun({ runId: r.runId, q: r.q, openedAt: r.openedAt, deadline: r.deadline, answers })) this.sendGameToAll();
  }

  /** A trainee picks a nickname (kept in memory only). Refused with a clear error, changing nothing, when it cannot be shown. */
  private setNickname(conn: TraineeConn, traineeId: string, nickname: string, id: string): void {
    const refuse = (message: string) => send(conn.ws, { t: 'error', code: 'invalid', message, id } satisfies ErrorReply);
    if (!this.engine.session || this.engine.session.phase === 'ended') return refuse('no class is running');
    if (hasProfanity(nickname)) return refuse('that nickname will be on the projector: choose another');
    const t = this.engine.trainees.get(traineeId);
    const norm = (x: string) => x.trim().toUpperCase();
    if (t && nickname && (norm(nickname) === norm(t.officerId) || norm(nickname) === norm(t.name)))
      return refuse('the leaderboard is anonymous: choose a nickname that is not your name or officer ID');
    const r = this.currentGame().setNickname(traineeId, nickname, this.classIds());
    if (!r.ok) return refuse(r.message);
    // Every phone of this trainee learns the name it plays under; the console and projector follow.
    for (const c of this.trainees) if (c.traineeId === traineeId) this.sendGame(c, c === conn ? id : undefined);
    if (this.gameOn()) this.markViews();
  }

  private consoleGame(): ConsoleGame {
    const g = this.currentGame();
    const on = this.gameOn();
    const names = this.engine.trainees;
    return {
      mode: g.mode,
      show: g.show,
      questions: on ? g.counted() : 0,
      standings: on ? this.gameStandings().map((r) => ({ traineeId: r.traineeId, name: names.get(r.traineeId)?.name ?? '', nickname: r.nickname, custom: g.hasNickname(r.traineeId), points: r.points, rank: r.rank, streak: r.streak })) : [],
    };
  }

  /** The projected top 10: nicknames and points only, never a name or an officer ID. */
  private projectorLeaderboard(): ProjectorView['leaderboard'] {
    if (!this.gameOn() || this.game.mode !== 'leaderboard' || !this.game.show) return null;
    return this.gameStandings()
      .slice(0, GAME_RULES.top)
      .map((r) => ({ rank: r.rank, nickname: r.nickname, points: r.points }));
  }

  // ------------------------------------------------------------------ instructor
  handleCommand(ws: WebSocket, id: string, cmd: InstructorCommand): void {
    const now = this.now();
    const e = this.engine;
    const done = (r: CommandResult) => send(ws, r);
    // The leaderboard is shown between questions: moving on takes it off the projector.
    if (['goto', 'next', 'prev', 'follow', 'openQuestion', 'startSession', 'endSession', 'openAssessment'].includes(cmd.type)) this.game.show = false;
    // The knowledge gain too: it is shown between parts of the day, and moving on takes it off.
    if (['goto', 'next', 'prev', 'follow', 'openQuestion', 'startSession', 'endSession', 'switchModule'].includes(cmd.type)) this.showGain = false;
    const outcome: Outcome | null = (() => {
      switch (cmd.type) {
        case 'startSession': {
          const deck = this.opts.decks().find((d) => d.course === cmd.deck.course && d.file === cmd.deck.file);
          if (!deck) return { ok: false, code: 'not-found', message: `no deck ${cmd.deck.course}/${cmd.deck.file}` } as const;
          this.showJoin = true;
          return this.adoptRoster(e.start({ sessionId: crypto.randomUUID(), roomCode: crypto.randomInt(0, 1_000_000).toString().padStart(6, '0'), deck, now }));
        }
        case 'goto':
          this.blank = 'none';
          return e.goto(cmd.index, randomId(9));
        case 'next':
          this.blank = 'none';
          return e.goto((e.session?.slideIndex ?? 0) + 1, randomId(9));
        case 'prev':
          this.blank = 'none';
          return e.goto((e.session?.slideIndex ?? 0) - 1, randomId(9));
        case 'follow':
          return e.follow(cmd.option, now);
        case 'correctTrainee':
          return e.correctTrainee({ ...cmd, actor: 'instructor', now });
        case 'sessionDetails':
          return e.details({ instructors: cmd.instructors, location: cmd.location, now });
        case 'moveDevice': {
          const o = e.moveDevice({ ...cmd, actor: 'instructor', now });
          // The phones' sockets belong to the other trainee from now on (so a disconnect counts for them).
          if (o.ok) for (const c of this.trainees) if (c.traineeId === cmd.fromTraineeId) c.traineeId = cmd.toTraineeId;
          return o;
        }
        case 'qa':
          return e.moderate({ qaId: cmd.qaId, action: cmd.action, now });
        case 'showQa':
          this.showQa = cmd.show;
          return null;
        case 'switchModule': {
          const current = e.session?.deck;
          const deck = this.opts.decks().find((d) => d.course === current?.course && d.file === cmd.file);
          if (!current || !deck) return { ok: false, code: 'not-found', message: `no module ${cmd.file} in this course` } as const;
          this.blank = 'none';
          return e.switchModule(deck, now);
        }
        case 'openAssessment': {
          const def = e.session?.deck.assessments?.find((a) => a.key === cmd.key);
          this.showGain = false;
          return e.openAssessment({ id: randomId(9), key: cmd.key, runIds: (def?.questions ?? []).map(() => randomId(9)), now });
        }
        case 'closeAssessment':
          return e.closeAssessment(now);
        case 'dismissAssessment':
          this.showGain = false;
          return e.dismissAssessment();
        case 'hidePrompt':
          return e.setHidePrompt(cmd.hide);
        case 'profanityFilter':
          e.profanityFilter = cmd.on;
          this.opts.onProfanityFilter?.(cmd.on);
          // The Q&A board on the phones is filtered too.
          this.broadcastTrainees();
          return null;
        case 'showGain': {
          if (!cmd.show) {
            this.showGain = false;
            return null;
          }
          const s = e.session;
          // Read from what is stored: every acknowledged answer is in the records.
          const gain = s ? knowledgeGain(this.opts.records, s.id) : null;
          if (!gain) return { ok: false, code: 'invalid', message: 'this session has no post-test yet: give the post-test first' } as const;
          this.gain = gain;
          this.showGain = true;
          return null;
        }
        case 'openQuestion':
          return e.openQuestion(randomId(9), now);
        case 'closeQuestion':
          return e.closeQuestion(now);
        case 'showResults':
          return e.showResults(now);
        case 'endSession':
          return e.end(now);
        case 'gameMode':
          return this.setGameMode(cmd.mode);
        case 'showLeaderboard':
          if (cmd.show && (!this.gameOn() || this.game.mode !== 'leaderboard')) return { ok: false, code: 'invalid', message: 'turn the game on with a leaderboard first' } as const;
          this.game.show = cmd.show;
          return null;
        case 'resetNickname': {
          if (!e.trainees.has(cmd.traineeId)) return { ok: false, code: 'not-found', message: 'no such trainee in this session' } as const;
          this.currentGame().clearNickname(cmd.traineeId);
          for (const c of this.trainees) if (c.traineeId === cmd.traineeId) this.sendGame(c);
          return null;
        }
        case 'showJoin':
          this.showJoin = cmd.show;
          return null;
        case 'blank':
          this.blank = cmd.toggle && this.blank === cmd.mode ? 'none' : cmd.mode;
          return null;
        case 'setTheme':
          this.theme = cmd.theme;
          this.opts.onTheme?.(cmd.theme);
          return null;
        case 'setJoinHost':
          if (!this.opts.hosts().includes(cmd.host)) return { ok: false, code: 'invalid', message: `${cmd.host} is not an address of this computer` } as const;
          this.joinHost = cmd.host;
          this.opts.onJoinHost?.(cmd.host);
          return null;
        default: {
          const never: never = cmd;
          throw new Error(`unhandled ${String(never)}`);
        }
      }
    })();
    if (outcome === null) {
      done({ t: 'result', id, ok: true });
      // Black screen and the join code are what the room sees: no coalescing delay.
      return this.sendViews();
    }
    this.accept(
      outcome,
      () => {
        if (['openQuestion', 'closeQuestion', 'goto', 'next', 'prev', 'follow', 'switchModule'].includes(cmd.type)) this.armDeadline();
        // The phones concerned learn who they are now.
        if (cmd.type === 'correctTrainee') this.rewelcome(cmd.traineeId);
        if (cmd.type === 'moveDevice') this.rewelcome(cmd.toTraineeId);
        if (cmd.type === 'showResults') this.gameReveal();
        done({ t: 'result', id, ok: true });
        // Slide changes and question pushes are what the room waits for: no coalescing delay.
        this.sendViews();
      },
      (err) => done({ t: 'result', id, ok: false, error: err.message }),
    );
  }

  // ------------------------------------------------------------------ roster
  /** A new session takes over the roster imported while no session was running. */
  private adoptRoster(o: Outcome): Outcome {
    const s = this.engine.session;
    if (!o.ok || !s) return o;
    const pending = this.opts.records.rosterEntries(null);
    if (!pending.length) return o;
    this.engine.setRoster(pending);
    return { ...o, ops: [...o.ops, { op: 'adoptRoster', sessionId: s.id, at: s.startedAt }] };
  }

  /** The session a roster import applies to: the running one, or none (the next session's roster). */
  rosterSessionId(): string | null {
    const s = this.engine.session;
    return s && s.phase !== 'ended' ? s.id : null;
  }

  /** Stores a roster (replacing the one that applies now), audit-logged; resolves once committed. */
  importRoster(input: { name: string; rows: readonly RosterRow[]; reason: string }): Promise<RosterSummary> {
    const sessionId = this.rosterSessionId();
    const entries = input.rows.map((r) => ({ officerId: r.officerId, name: r.name, agency: r.agency, email: r.email }));
    return new Promise((resolve, reject) => {
      this.commit(
        [{ op: 'roster', sessionId, name: input.name, entries, reason: input.reason, actor: 'instructor', at: this.now() }],
        () => {
          if (sessionId && this.engine.session?.id === sessionId) this.engine.setRoster(entries);
          this.sendViews();
          resolve(this.opts.records.rosterSummary(sessionId) ?? { name: input.name, entries: entries.length, importedAt: this.now() });
        },
        (message) => reject(new Error(message)),
      );
    });
  }

  /** Sends a fresh welcome (same token, current identity) to every phone of a trainee. */
  private rewelcome(traineeId: string): void {
    for (const c of this.trainees) if (c.traineeId === traineeId && c.token) this.welcome(c, traineeId, c.token);
  }

  private armDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    const left = this.engine.remainingMs(this.now());
    if (left === null) return;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.accept(this.engine.tick(this.now()), () => undefined, () => undefined);
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
    if (this.consoles.size) {
      const buf = Buffer.from(JSON.stringify(this.consoleView()));
      for (const ws of this.consoles) if (ws.readyState === 1) ws.send(buf, { binary: false });
    }
    if (this.projectors.size) {
      const buf = Buffer.from(JSON.stringify(this.projectorView()));
      for (const ws of this.projectors) if (ws.readyState === 1) ws.send(buf, { binary: false });
    }
  }

  joinUrl(): string {
    const s = this.engine.session;
    const host = this.joinHost.includes(':') ? `[${this.joinHost}]` : this.joinHost;
    return `http://${host}:${this.opts.lanPort()}/join/${s && s.phase !== 'ended' ? `?room=${s.roomCode}` : ''}`;
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
    if (this.qrCache.url !== url) void this.refreshQr();
    return { url, host: this.joinHost, roomCode: this.engine.session?.roomCode ?? '', qr: this.qrCache.url === url ? this.qrCache.svg : '', show: this.showJoin };
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
    return this.opts.decks().map((d) => ({ course: d.course, courseTitle: d.courseTitle, file: d.file, title: d.title, slides: d.slides.length }));
  }

  consoleView(): ConsoleView {
    const e = this.engine;
    const s = e.session;
    const now = this.now();
    return {
      t: 'console',
      decks: this.deckSummaries(),
      hosts: this.opts.hosts(),
      roster: this.opts.records.rosterSummary(this.rosterSessionId()),
      session: s
        ? {
            id: s.id,
            phase: s.phase,
            title: s.deck.title,
            slideIndex: s.slideIndex,
            slideCount: s.deck.slides.length,
            startedAt: s.startedAt,
            slide: e.slideView(s.slideIndex),
            next: e.slideView(s.slideIndex + 1),
            notes: s.deck.slides[s.slideIndex]?.notes ?? '',
            notesHtml: s.deck.slides[s.slideIndex]?.notesHtml ?? '',
            outline: this.outline(s.deck),
            plannedMinutes: s.deck.minutes,
            // The presenter timer runs per module, against the module's planned minutes.
            elapsedMs: Math.max(0, now - (s.moduleStartedAt ?? s.startedAt)),
            blank: this.blank,
            theme: this.theme,
            scenario: this.consoleScenario(),
            qa: this.consoleQa(),
            showQa: this.showQa,
            details: { instructors: s.instructors ?? '', location: s.location ?? '' },
            runId: e.run?.runId ?? null,
            remainingMs: e.remainingMs(now),
            modules: this.opts
              .decks()
              .filter((d) => d.course === s.deck.course)
              .map((d) => ({ file: d.file, title: d.title, minutes: d.minutes })),
            moduleFile: s.deck.file,
            assessments: (s.deck.assessments ?? []).map((a) => ({ key: a.key, title: a.title, kind: a.kind, questions: a.questions.length, minutes: a.minutes })),
            assessment: e.consoleAssessment(),
            gain: this.gain,
            showGain: this.showGain,
            hidePrompt: e.hidePrompt,
            game: this.consoleGame(),
            profanityFilter: e.profanityFilter,
            join: this.joinInfo(),
            trainees: e.traineeRows(),
            results: e.results(),
          }
        : null,
    };
  }

  projectorView(): ProjectorView {
    const e = this.engine;
    const s = e.session;
    if (!s)
      return { t: 'projector', phase: 'idle', title: '', slide: null, join: null, joined: 0, answered: 0, results: null, remainingMs: null, blank: this.blank, theme: this.theme, scenario: null, qa: null, assessment: null, leaderboard: null };
    const showResults = s.phase === 'results';
    return {
      t: 'projector',
      phase: s.phase,
      title: s.deck.title,
      slide: e.slideView(s.slideIndex),
      join: s.phase === 'ended' ? null : this.joinInfo(),
      joined: e.trainees.size,
      answered: e.run?.answers.size ?? 0,
      // Live counts while a question is open are shown too (the instructor chose to project them);
      // the correct answer is only in the view after the reveal.
      results: e.run && (showResults || s.phase === 'question' || s.phase === 'closed') ? e.results() : null,
      remainingMs: e.remainingMs(this.now()),
      blank: this.blank,
      theme: this.theme,
      scenario: this.projectorScenario(),
      qa: this.projectorQa(),
      assessment: this.projectorAssessment(),
      leaderboard: this.projectorLeaderboard(),
    };
  }

  /** The assessment's progress for the room (counts only, never who), and the knowledge gain once shown. */
  private projectorAssessment(): ProjectorView['assessment'] {
    const a = this.engine.assessment;
    const gain = this.showGain && this.gain ? (({ trainees: _t, ...g }) => g)(this.gain) : null;
    if (!a && !gain) return null;
    return {
      title: a?.title ?? this.gain!.posttestTitle,
      kind: a?.kind ?? 'posttest',
      open: a ? a.closedAt === null : false,
      questions: a?.runs.length ?? 0,
      submitted: a?.submitted.size ?? 0,
      joined: this.engine.trainees.size,
      gain,
    };
  }

  private consoleQa(): QaConsoleItem[] {
    const e = this.engine;
    return [...e.qa.values()]
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.votes.size - a.votes.size || a.at - b.at)
      .map((q) => ({
        id: q.id,
        text: q.text,
        votes: q.votes.size,
        pinned: q.pinned,
        answered: q.status === 'answered',
        status: q.status,
        anonymous: q.anonymous,
        name: q.traineeId ? (e.trainees.get(q.traineeId)?.name ?? null) : null,
        ...(e.profanityFilter && hasProfanity(q.text) ? { profane: true } : {}),
      }));
  }

  private projectorQa(): ProjectorView['qa'] {
    const s = this.engine.session;
    const prompt = s?.deck.slides[s.slideIndex]?.qaPrompt ?? null;
    if (!this.showQa && !prompt) return null;
    return { prompt, items: this.engine.qaBoard().slice(0, 8) };
  }

  private consoleScenario(): ConsoleScenario | null {
    const sc = this.engine.scenario;
    if (!sc) return null;
    const text = (nodeId: string, optionId: string) => sc.def.nodes[nodeId]?.options.find((o) => o.id === optionId)?.text ?? optionId;
    return {
      title: sc.def.title,
      node: sc.def.nodes[sc.node],
      path: sc.path.map((p) => ({ fromNode: p.fromNode, option: text(p.fromNode, p.optionId), toNode: p.toNode, voted: p.runId !== null })),
      majority: this.engine.majority(),
    };
  }

  private projectorScenario(): ProjectorScenario | null {
    const sc = this.engine.scenario;
    const s = this.engine.session;
    if (!sc || !s) return null;
    const node = sc.def.nodes[sc.node];
    if (!node) return null;
    const revealed = node.end || s.phase === 'results';
    return {
      title: sc.def.title,
      nodeId: node.id,
      situationHtml: node.situationHtml,
      prompt: node.prompt,
      end: node.end,
      step: sc.path.length,
      debrief: revealed ? { html: node.debriefHtml, best: node.options.find((o) => o.id === node.best)?.text ?? null } : null,
    };
  }

  /** The slide overview; computed once per deck, since a deck does not change during a session. */
  private outlineCache = new WeakMap<Deck, OutlineItem[]>();
  private outline(deck: Deck): OutlineItem[] {
    let o = this.outlineCache.get(deck);
    if (!o) {
      o = deck.slides.map((sl, index) => ({ index, id: sl.id, title: sl.title, question: sl.question !== null }));
      this.outlineCache.set(deck, o);
    }
    return o;
  }

  close(): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.traineeTimer) clearTimeout(this.traineeTimer);
    // Write what is queued (the leave events of the sockets just closed), then accept nothing more.
    this.flush();
    this.closed = true;
  }
}

export function send(ws: WebSocket, m: object): void {
  if (ws.readyState === 1) ws.send(JSON.stringify(m));
}
