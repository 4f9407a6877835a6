/**
 * The classroom: ties sockets to the engine and the records. Every accepted input takes the one
 * path of the commit queue (commit-queue.ts): decided on committed memory, persisted in a group
 * commit, then applied, acknowledged and broadcast. What is not a record — who is connected
 * (presence.ts), what the projector shows (the stage), phones waiting on an identity claim — lives
 * here, outside the engine, so a failed commit or a rebuild of the engine never loses it.
 *
 * Fan-out: one serialised Buffer for all phones; console and projector views go out at once after
 * a quiet moment and coalesced in a burst (view-pump.ts), the console's trainee list as changes.
 */
import type { WebSocket } from 'ws';
import { SessionEngine } from '../session/engine';
import type { Outcome } from '../session/engine';
import type { Records } from '../records/db';
import type { RosterRow, RosterSummary } from '../../shared/roster';
import type { Deck } from '../../shared/course';
import type { RecordsServerStatus } from '../../shared/records-server';
import type {
  ConsoleView,
  DeckPreview,
  DeckSummary,
  InstructorCommand,
  ProjectorTheme,
  ProjectorView,
  TraineeMessage,
} from '../../shared/protocol';
import { CommitQueue } from './commit-queue';
import { instructorCommitMessage } from './commit-words';
import type { Step } from './commands';
import { GameRoom } from './game-room';
import { JoinLink } from './join-link';
import { TraineeDesk } from './trainee-desk';
import { Presence } from './presence';
import type { TraineeConn } from './presence';
import type { Room } from './room';
import { consoleView, deckPreview, projectorView } from '../session/views/room';
import type { Stage } from '../session/views/room';
import { LastDeck } from './last-deck';
import { ViewPump } from './view-pump';
import { ClassRoster, withRoster } from './class-roster';
import { withLeaves, withMoveAttendance } from './attendance-ops';
import { QuestionDeadline } from './question-deadline';
import { DeckSummaries } from './deck-summaries';
import { handleCommand } from './instructor-desk';

export type { TraineeConn } from './presence';
export { CLAIM_WINDOW_MS } from './trainee-desk';
export { send } from './fanout';

export { VIEW_INTERVAL_MS } from './view-pump';
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
  /** The academy records server's state in words, for the console (undefined: not enrolled). */
  recordsServerStatus?: () => RecordsServerStatus | undefined;
}

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
  private readonly desk: TraineeDesk;
  /** The last commit failure, shown on the console until a commit succeeds again. */
  private alert: ConsoleView['alert'] = null;
  private readonly views: ViewPump;
  private readonly deadline: QuestionDeadline;
  private readonly roster: ClassRoster;
  private readonly deckList: DeckSummaries;
  private readonly lastDeck: LastDeck;
  private readonly join: JoinLink;
  private readonly now: () => number;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(private readonly opts: ClassroomOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((m, e) => console.error(`[muster] ${m}`, e ?? ''));
    this.records = opts.records;
    this.lastDeck = new LastDeck(opts.records);
    this.join = new JoinLink({
      ...opts,
      roomCode: () => this.eng.live()?.roomCode ?? null,
      drawn: () => this.markViews(),
      log: this.log,
    });
    this.stage = {
      blank: 'none',
      theme: opts.theme ?? 'dark',
      showJoin: true,
      overlay: null,
      gain: null,
      hidePrompt: false,
      profanityFilter: opts.profanityFilter ?? false,
    };
    this.presence = new Presence(this.now());
    this.views = new ViewPump({
      consoles: this.consoles,
      projectors: this.projectors,
      consoleView: () => this.consoleView(),
      projectorView: () => this.projectorView(),
      now: this.now,
      poll: () => this.queue.poll(),
    });
    this.eng = this.newEngine();
    this.game = new GameRoom({
      engine: () => this.eng,
      records: this.records,
      trainees: this.trainees,
      stage: this.stage,
      broadcastTrainees: () => this.broadcastTrainees(),
      markViews: () => this.markViews(),
    });
    this.queue = new CommitQueue({
      commit: (ops) => this.records.apply(ops),
      writeOffThread: (ops, done) => this.records.writeOffThread(ops, done),
      waitOffThread: () => this.records.waitOffThread(),
      pollOffThread: () => this.records.pollOffThread(),
      onDrained: () => this.views.drained(),
      apply: (ops) => this.eng.apply(ops),
      rebuild: () => this.rebuild(),
      onFailure: (_e, cause) => {
        this.alert = {
          message: `${instructorCommitMessage(cause)} The class goes on; phones keep what was not saved and send it again.`,
          at: this.now(),
        };
        this.sendViews();
      },
      onCommitted: () => {
        if (!this.alert) return;
        this.alert = null;
        this.markViews();
      },
      log: this.log,
    });
    this.desk = new TraineeDesk({
      engine: () => this.eng,
      queue: this.queue,
      presence: this.presence,
      game: this.game,
      stage: this.stage,
      trainees: this.trainees,
      claimWindowMs: opts.claimWindowMs,
      now: this.now,
      log: this.log,
      markViews: () => this.markViews(),
      sendViews: () => this.sendViews(),
    });
    this.roster = new ClassRoster({
      records: this.records,
      queue: this.queue,
      sessionId: () => this.rosterSessionId(),
      now: this.now,
      sendViews: () => this.sendViews(),
    });
    this.deadline = new QuestionDeadline({
      engine: () => this.eng,
      queue: this.queue,
      now: this.now,
      log: this.log,
      broadcastTrainees: () => this.broadcastTrainees(),
      sendViews: () => this.sendViews(),
    });
    this.deckList = new DeckSummaries(() => this.opts.decks());
    this.resume();
  }

  get engine(): SessionEngine {
    return this.eng;
  }

  private newEngine(): SessionEngine {
    return new SessionEngine({
      deck: (course, file) => this.opts.decks().find((d) => d.course === course && d.file === file),
    });
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
    // The room's phones reconnect at once: the writer thread is up for their answers.
    this.records.prepareWriter();
  }

  /** Memory could not take what the records hold (a bug): it is rebuilt from the records, the room's state kept. */
  private rebuild(): void {
    const fresh = this.newEngine();
    const row = this.records.unfinishedSession();
    const deck =
      row && this.opts.decks().find((d) => d.course === row.course && d.file === row.deck_file);
    if (row && deck) fresh.restore(this.records.snapshot(row, deck));
    this.eng = fresh;
    this.broadcastTrainees();
    this.markViews();
  }

  // ------------------------------------------------------------------ trainees (trainee-desk.ts)
  handleTrainee(conn: TraineeConn, msg: TraineeMessage): void {
    this.desk.handleTrainee(conn, msg);
  }

  traineeClosed(conn: TraineeConn): void {
    this.desk.traineeClosed(conn);
  }

  broadcastTrainees(): void {
    this.desk.broadcastTrainees();
  }

  settleClaim(claimId: string, allow: boolean, reason: string, now: number): Step {
    return this.desk.settleClaim(claimId, allow, reason, now);
  }

  rewelcome(traineeId: string): void {
    this.desk.rewelcome(traineeId);
  }

  // ------------------------------------------------------------------ instructor
  handleCommand(ws: WebSocket, id: string, cmd: InstructorCommand): void {
    const deps = {
      room: this,
      queue: this.queue,
      stage: this.stage,
      now: this.now,
      armDeadline: () => this.armDeadline(),
      broadcastTrainees: () => this.broadcastTrainees(),
      sendViews: () => this.sendViews(),
    };
    handleCommand(deps, ws, id, cmd);
  }

  decks(): readonly Deck[] {
    return this.opts.decks();
  }

  withRoster(o: Outcome): Outcome {
    return withRoster(o, this.records);
  }

  withLeaves(o: Outcome, now: number): Outcome {
    return withLeaves(o, this.eng.live(), this.presence, now);
  }

  withMoveAttendance(o: Outcome, from: string, to: string, now: number): Outcome {
    return withMoveAttendance(o, this.eng.live(), this.presence, from, to, now);
  }

  sessionStarted(now: number): void {
    this.desk.sessionStarted();
    // The room's joins follow: the records' writer thread comes up now, not under the first of them.
    this.records.prepareWriter();
    this.presence.reset(now);
    this.stage.showJoin = true;
    this.stage.hidePrompt = false;
    this.stage.gain = null;
    this.roster.forget();
    this.lastDeck.forget();
  }

  sessionEnded(): void {
    this.desk.sessionEnded();
    this.lastDeck.forget();
  }

  saveProfanityFilter(on: boolean): void {
    this.opts.onProfanityFilter?.(on);
  }

  saveTheme(theme: ProjectorTheme): void {
    this.opts.onTheme?.(theme);
  }

  setJoinHost(host: string): string | null {
    return this.join.setHost(host);
  }

  /** The address phones are told to join at (join-link.ts). */
  get joinHost(): string {
    return this.join.host;
  }

  set joinHost(host: string) {
    this.join.host = host;
  }

  // ------------------------------------------------------------------ roster
  /** The session a roster import applies to: the running one, or none (the next session's roster). */
  rosterSessionId(): string | null {
    return this.eng.live()?.id ?? null;
  }

  /** Stores a roster (replacing the one that applies now), audit-logged; resolves once committed (class-roster.ts). */
  importRoster(input: {
    name: string;
    rows: readonly RosterRow[];
    reason: string;
  }): Promise<RosterSummary> {
    return this.roster.import(input);
  }

  /** Arms the timer that closes a timed question (question-deadline.ts). */
  private armDeadline(): void {
    this.deadline.arm();
  }

  // ------------------------------------------------------------------ views
  /** Something the console or projector shows changed: sent at once after a quiet moment, coalesced in a burst. */
  markViews(): void {
    this.views.mark();
  }

  /** Sends the console and projector views now. */
  sendViews(): void {
    this.views.send();
  }

  /** A console connected: the whole trainee list, then the view. */
  greetConsole(ws: WebSocket): void {
    this.views.greetConsole(ws);
  }

  joinUrl(): string {
    return this.join.url();
  }

  /** Renders the QR code for the join URL (kept until the URL changes). */
  refreshQr(): Promise<void> {
    return this.join.refreshQr();
  }

  /** A deck as the library previews it: every slide with its notes, before any session starts. */
  deckPreview(course: string, file: string): DeckPreview | null {
    return deckPreview(this.opts.decks(), course, file);
  }

  deckSummaries(): DeckSummary[] {
    return this.deckList.get();
  }

  private viewInput() {
    return {
      engine: this.eng,
      stage: this.stage,
      now: this.now(),
      connected: (id: string) => this.presence.connected(id),
      join: () => this.join.info(this.eng.session?.roomCode ?? '', this.stage.showJoin),
      decks: this.opts.decks(),
      deckSummaries: this.deckSummaries(),
      hosts: this.opts.hosts(),
      roster: this.roster.summary(),
      claims: this.desk.consoleClaims(),
      lastDeck: () => this.lastDeck.get(),
      alert: this.alert,
      game: { console: () => this.game.consoleView(), leaderboard: () => this.game.leaderboard() },
    };
  }

  consoleView(): ConsoleView {
    const recordsServer = this.opts.recordsServerStatus?.();
    return recordsServer
      ? { ...consoleView(this.viewInput()), recordsServer }
      : consoleView(this.viewInput());
  }

  projectorView(): ProjectorView {
    return projectorView(this.viewInput());
  }

  close(): void {
    this.views.cancel();
    this.deadline.cancel();
    this.desk.close();
    // Write what is queued (the leave events of the sockets just closed), then accept nothing more.
    this.queue.close();
  }
}
