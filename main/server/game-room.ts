/**
 * The optional game layer in the room: speed points, nicknames, the projected leaderboard, each
 * phone's own standing. Presentation only, never a record: totals are recomputed from the stored
 * answers whenever the game is turned on (so after a restart too).
 */
import type { SessionEngine } from '../session/engine';
import { Game, GAME_RULES } from '../session/game';
import { hasProfanity } from '../session/profanity';
import { revealedGameRuns } from './game-runs';
import type { Records } from '../records/db';
import { normName, normOfficerId } from '../../shared/identity';
import type { ConsoleGame, ErrorReply, ProjectorView, TraineeGame } from '../../shared/protocol';
import type { TraineeConn } from './presence';
import type { Stage } from '../session/views/room';
import { send } from './fanout';

export interface GameRoomDeps {
  /** The engine of the moment (the classroom may rebuild it from the records). */
  engine: () => SessionEngine;
  records: Records;
  trainees: ReadonlySet<TraineeConn>;
  /** The room's stage: the leaderboard is one of the things it can put up over the lecture. */
  stage: Stage;
  broadcastTrainees(): void;
  markViews(): void;
}

export class GameRoom {
  private readonly game = new Game();
  private standingsCache: { key: string; rows: ReturnType<Game['standings']> } | null = null;

  constructor(private readonly d: GameRoomDeps) {}

  /** The game of the running session: a new session starts with the game off and no nicknames. */
  private current(): Game {
    const id = this.d.engine().session?.id ?? null;
    if (this.game.sessionId !== id) this.game.reset(id);
    return this.game;
  }

  on(): boolean {
    return !!this.d.engine().live() && this.current().on;
  }

  /** The mode every phone's view carries while the game is on. */
  mode(): TraineeGame['mode'] | null {
    return this.on() ? (this.game.mode as TraineeGame['mode']) : null;
  }

  private get showing(): boolean {
    return this.d.stage.overlay === 'leaderboard';
  }

  private hide(): void {
    if (this.showing) this.d.stage.overlay = null;
  }

  /** The class in join order (a trainee's automatic nickname is "Unit <place in this order>"). */
  private classIds(): string[] {
    return [...this.d.engine().trainees.keys()];
  }

  private standings(): ReturnType<Game['standings']> {
    const key = `${this.game.sessionId}:${this.game.version}:${this.d.engine().trainees.size}`;
    if (this.standingsCache?.key !== key)
      this.standingsCache = { key, rows: this.game.standings(this.classIds()) };
    return this.standingsCache.rows;
  }

  /**
   * Turns the game on or off. Turned on, the totals are computed from the records (every revealed
   * live question of this session), so they are the same after an app restart.
   */
  setMode(mode: Game['mode']): string | null {
    const s = this.d.engine().live();
    if (!s) return 'start a session first';
    const g = this.current();
    if (mode !== 'off' && !g.on) g.setRuns(revealedGameRuns(this.d.records, s.id));
    g.mode = mode;
    if (mode !== 'leaderboard') this.hide();
    this.d.broadcastTrainees();
    if (g.on) this.sendToAll();
    return null;
  }

  /** Puts the leaderboard up on the projector (in place of anything else put up) or takes it down. */
  setShow(show: boolean): string | null {
    if (show && (!this.on() || this.game.mode !== 'leaderboard'))
      return 'turn the game on with a leaderboard first';
    if (show) this.d.stage.overlay = 'leaderboard';
    else this.hide();
    return null;
  }

  /** Puts a trainee back on their automatic nickname (one not fit for the projector). */
  resetNickname(traineeId: string): string | null {
    if (!this.d.engine().trainees.has(traineeId)) return 'no such trainee in this session';
    this.current().clearNickname(traineeId);
    for (const c of this.d.trainees) if (c.traineeId === traineeId) this.sendTo(c);
    return null;
  }

  /** What one phone sees of the game: its own points and rank, never anyone else's. */
  private message(traineeId: string, id?: string): TraineeGame | null {
    if (!this.on()) return null;
    const rows = this.standings();
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

  sendTo(conn: TraineeConn, id?: string): void {
    const m = conn.traineeId ? this.message(conn.traineeId, id) : null;
    if (m) send(conn.ws, m);
  }

  /** After a reveal (or the game turned on): each phone gets its own small message, once per reveal. */
  private sendToAll(): void {
    if (!this.on()) return;
    const rows = this.standings();
    const byId = new Map(rows.map((r) => [r.traineeId, r]));
    const lastRun = this.game.lastRunId();
    const mode = this.game.mode as TraineeGame['mode'];
    for (const c of this.d.trainees) {
      const me = c.traineeId ? byId.get(c.traineeId) : undefined;
      if (!me) continue;
      const m: TraineeGame = {
        t: 'game',
        mode,
        nickname: me.nickname,
        points: me.points,
        rank: me.rank,
        of: rows.length,
        streak: me.streak,
        last: lastRun ? { runId: lastRun, points: me.last } : null,
      };
      send(c.ws, m);
    }
  }

  /** The current question's results were shown: it counts for the game (once). */
  reveal(): void {
    const r = this.d.engine().run;
    if (!r || !this.on()) return;
    const answers = [...r.answers].map(([traineeId, a]) => ({
      traineeId,
      value: a.value,
      at: a.at,
    }));
    if (
      this.game.addRun({
        runId: r.runId,
        q: r.q,
        openedAt: r.openedAt,
        deadline: r.deadline,
        answers,
      })
    )
      this.sendToAll();
  }

  /**
   * A trainee picks a nickname (kept in memory only). Every nickname message gets an answer: the
   * trainee's standing (with the message's id) or an error saying why it was not taken.
   */
  setNickname(conn: TraineeConn, traineeId: string, nickname: string, id: string): void {
    const refuse = (message: string) =>
      send(conn.ws, { t: 'error', code: 'invalid', message, id } satisfies ErrorReply);
    if (!this.d.engine().live()) return refuse('no class is running');
    if (!this.on()) return refuse('the game is off; a nickname is used only while it is on');
    if (hasProfanity(nickname))
      return refuse('that nickname will be on the projector: choose another');
    const t = this.d.engine().trainees.get(traineeId);
    if (
      t &&
      nickname &&
      (normOfficerId(nickname) === normOfficerId(t.officerId) ||
        normName(nickname) === normName(t.name))
    )
      return refuse(
        'the leaderboard is anonymous: choose a nickname that is not your name or officer ID',
      );
    const r = this.current().setNickname(traineeId, nickname, this.classIds());
    if (!r.ok) return refuse(r.message);
    // Every phone of this trainee learns the name it plays under; the console and projector follow.
    for (const c of this.d.trainees)
      if (c.traineeId === traineeId) this.sendTo(c, c === conn ? id : undefined);
    this.d.markViews();
  }

  consoleView(): ConsoleGame {
    const g = this.current();
    const on = this.on();
    const names = this.d.engine().trainees;
    return {
      mode: g.mode,
      show: on && g.mode === 'leaderboard' && this.showing,
      questions: on ? g.counted() : 0,
      standings: on
        ? this.standings().map((r) => ({
            traineeId: r.traineeId,
            name: names.get(r.traineeId)?.name ?? '',
            nickname: r.nickname,
            custom: g.hasNickname(r.traineeId),
            points: r.points,
            rank: r.rank,
            streak: r.streak,
          }))
        : [],
    };
  }

  /**
   * The top 10 for the projector: nicknames and points only, never a name or an officer ID. There
   * while the game runs with a leaderboard; on the projector only when the stage puts it up.
   */
  leaderboard(): ProjectorView['leaderboard'] {
    if (!this.on() || this.game.mode !== 'leaderboard') return null;
    return this.standings()
      .slice(0, GAME_RULES.top)
      .map((r) => ({ rank: r.rank, nickname: r.nickname, points: r.points }));
  }
}
