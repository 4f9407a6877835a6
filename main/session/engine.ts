/**
 * The live-session engine: pure and deterministic. No I/O, no timers, no randomness: time, ids and
 * token hashes are passed in.
 *
 * Decide, commit, then apply: every command is first *decided* into operations without touching
 * memory (roll-call.ts, lecture.ts, assessment.ts, qa.ts); the classroom commits them to the
 * records; only then does {@link SessionEngine.apply} change memory (apply.ts). A commit that
 * fails therefore leaves memory exactly as it was. Restoring after a restart is the same apply,
 * replayed from the records (restore.ts).
 *
 * The state is read-only from outside: read it through the getters and the view functions.
 */
import type { Deck } from '../../shared/course';
import type { AnswerValue } from '../../shared/question';
import type {
  ConsoleAssessment,
  SlideView,
  TraineeRow,
  TraineeView,
  TraineeWelcome,
} from '../../shared/protocol';
import type { ResultsView } from '../../shared/results';
import type { ApplyContext } from './apply';
import { applyOp } from './apply';
import type { EngineOp, TraineeIdentity } from './ops';
import type {
  AssessmentState,
  EngineState,
  Outcome,
  QaItem,
  Run,
  ScenarioState,
  SessionInfo,
  Snapshot,
  Trainee,
} from './state';
import { emptyState } from './state';
import * as rollCall from './roll-call';
import * as lecture from './lecture';
import * as assessments from './assessment';
import * as qa from './qa';
import * as views from './views/trainee';
import type { Connected, Presentation } from './views/trainee';
import { restoreOps } from './restore';

export type { EngineOp, MemoryOp, QaStatus, RecordOp, RosterEntry, TraineeIdentity } from './ops';
export type {
  AssessmentState,
  Outcome,
  QaItem,
  RestoredAssessment,
  Run,
  ScenarioState,
  SessionInfo,
  Snapshot,
  Trainee,
} from './state';
export type { Connected, Presentation } from './views/trainee';
export { scenarioQuestion } from './state';

export class SessionEngine {
  private readonly s: EngineState = emptyState();

  constructor(private readonly ctx: ApplyContext) {}

  // ------------------------------------------------------------------ reading the state
  get session(): Readonly<SessionInfo> | null {
    return this.s.session;
  }
  get trainees(): ReadonlyMap<string, Readonly<Trainee>> {
    return this.s.trainees;
  }
  get run(): Readonly<Run> | null {
    return this.s.run;
  }
  get assessment(): Readonly<AssessmentState> | null {
    return this.s.assessment;
  }
  get scenario(): Readonly<ScenarioState> | null {
    return this.s.scenario;
  }
  get qa(): ReadonlyMap<string, Readonly<QaItem>> {
    return this.s.qa;
  }
  /** The running session (not ended), if any. */
  live(): Readonly<SessionInfo> | null {
    const s = this.s.session;
    return s && s.phase !== 'ended' ? s : null;
  }
  tokenOwner(tokenHash: string): string | undefined {
    return this.s.byToken.get(tokenHash);
  }
  officerHolder(officerId: string): string | undefined {
    return rollCall.officerHolder(this.s, officerId);
  }
  phonesOf(traineeId: string): string[] {
    return rollCall.phonesOf(this.s, traineeId);
  }
  rosterName(officerId: string): string | undefined {
    return rollCall.rosterName(this.s, officerId);
  }
  remainingMs(now: number): number | null {
    return lecture.remainingMs(this.s, now);
  }
  majority(): string | null {
    return lecture.majority(this.s);
  }

  // ------------------------------------------------------------------ changing it: only committed operations
  /** Applies operations the records have committed (or memory-only ones, in their order). */
  apply(ops: readonly EngineOp[]): void {
    for (const op of ops) applyOp(this.s, op, this.ctx);
  }

  /** Rebuilds memory from what the records hold of a session: the same apply, replayed. */
  restore(snapshot: Snapshot): void {
    this.apply(restoreOps(snapshot));
  }

  // ------------------------------------------------------------------ decisions (memory untouched)
  start(input: { sessionId: string; roomCode: string; deck: Deck; now: number }): Outcome {
    return lecture.start(this.s, input);
  }
  join(input: {
    traineeId: string;
    tokenHash: string;
    name: string;
    officerId: string;
    agency: string;
    roomCode: string;
    now: number;
  }): Outcome<{ traineeId: string }> {
    return rollCall.join(this.s, input);
  }
  resume(input: { tokenHash: string }): Outcome<{ traineeId: string; ended: boolean }> {
    return rollCall.resume(this.s, input);
  }
  rebind(input: {
    traineeId: string;
    tokenHash: string;
    connected: boolean;
    reason: string;
    actor: string;
    now: number;
  }): Outcome<{ revoked: string[] }> {
    return rollCall.rebind(this.s, input);
  }
  refuseClaim(input: {
    traineeId: string;
    claimed: TraineeIdentity;
    reason: string;
    actor: string;
    now: number;
  }): Outcome {
    return rollCall.refuseClaim(this.s, input);
  }
  correctTrainee(input: {
    traineeId: string;
    name?: string;
    officerId?: string;
    agency?: string;
    reason: string;
    actor: string;
    now: number;
  }): Outcome {
    return rollCall.correctTrainee(this.s, input);
  }
  moveDevice(input: {
    fromTraineeId: string;
    toTraineeId: string;
    reason: string;
    actor: string;
    now: number;
  }): Outcome<{ moved: number }> {
    return rollCall.moveDevice(this.s, input);
  }
  goto(index: number, now: number, playId?: string): Outcome {
    return lecture.goto(this.s, index, now, playId);
  }
  switchModule(deck: Deck, now: number): Outcome {
    return lecture.switchModule(this.s, deck, now);
  }
  openQuestion(runId: string, now: number): Outcome {
    return lecture.openQuestion(this.s, runId, now);
  }
  closeQuestion(now: number): Outcome {
    return lecture.closeQuestion(this.s, now);
  }
  tick(now: number): Outcome {
    return lecture.tick(this.s, now);
  }
  showResults(now: number): Outcome {
    return lecture.showResults(this.s, now);
  }
  end(now: number): Outcome {
    return lecture.end(this.s, now);
  }
  details(input: { instructors: string; location: string; now: number }): Outcome {
    return lecture.details(this.s, input);
  }
  follow(optionId: string, now: number): Outcome {
    return lecture.follow(this.s, optionId, now);
  }
  answer(input: {
    traineeId: string;
    runId: string;
    msgId: string;
    value: AnswerValue;
    now: number;
  }): Outcome<{ duplicate: boolean }> {
    return assessments.answer(this.s, input);
  }
  openAssessment(input: { id: string; key: string; runIds: string[]; now: number }): Outcome {
    return assessments.openAssessment(this.s, input);
  }
  closeAssessment(now: number): Outcome {
    return assessments.closeAssessment(this.s, now);
  }
  dismissAssessment(): Outcome {
    return assessments.dismissAssessment(this.s);
  }
  submit(input: {
    traineeId: string;
    assessmentId: string;
    msgId: string;
    now: number;
  }): Outcome<{ duplicate: boolean }> {
    return assessments.submit(this.s, input);
  }
  ask(input: {
    qaId: string;
    traineeId: string;
    text: string;
    anonymous: boolean;
    msgId: string;
    now: number;
  }): Outcome<{ duplicate: boolean }> {
    return qa.ask(this.s, input);
  }
  vote(input: { qaId: string; traineeId: string; now: number }): Outcome {
    return qa.vote(this.s, input);
  }
  moderate(input: {
    qaId: string;
    action: 'approve' | 'hide' | 'answered' | 'pin' | 'unpin';
    now: number;
  }): Outcome {
    return qa.moderate(this.s, input);
  }

  // ------------------------------------------------------------------ views
  traineeView(now: number, p: Presentation): TraineeView {
    return views.traineeView(this.s, now, p);
  }
  qaBoard(p: Presentation): ReturnType<typeof views.qaBoard> {
    return views.qaBoard(this.s, p);
  }
  answerOf(traineeId: string): TraineeWelcome['answer'] {
    return views.answerOf(this.s, traineeId);
  }
  assessmentOf(traineeId: string): TraineeWelcome['assessment'] {
    return views.assessmentOf(this.s, traineeId);
  }
  slideView(index: number): SlideView | null {
    return views.slideView(this.s, index);
  }
  results(p: Presentation): ResultsView | null {
    return views.results(this.s, p);
  }
  traineeRows(connected: Connected): TraineeRow[] {
    return views.traineeRows(this.s, connected);
  }
  consoleAssessment(connected: Connected): ConsoleAssessment | null {
    return views.consoleAssessment(this.s, connected);
  }
}
