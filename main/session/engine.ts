/**
 * The live-session engine: pure and deterministic. No I/O, no timers, no randomness: time, ids and
 * token hashes are passed in. Each accepted input returns the record operations that must be stored
 * (main/records) before anyone is told it happened (DESIGN.md rule 4).
 *
 * Phases: lobby → presenting → question → closed → results → … → ended.
 */
import type { AssessmentKind, Deck, ScenarioView } from '../../shared/course';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import { answerProblem, correctLabels, isCorrect, isGraded, publicQuestion, score, tally } from '../../shared/question';
import { hasProfanity, maskProfanity } from './profanity';
import type { ResultsView } from '../../shared/question';
import type { ConsoleAssessment, ErrorReply, SessionPhase, SlideView, TraineeAssessment, TraineeRow, TraineeView, TraineeWelcome } from '../../shared/protocol';

export type RecordOp =
  | {
      op: 'session';
      id: string;
      roomCode: string;
      course: string;
      courseTitle: string;
      courseNumber: string | null;
      creditHours: number | null;
      passMark: number | null;
      file: string;
      title: string;
      at: number;
    }
  | { op: 'slide'; sessionId: string; index: number }
  /** The session moves on to another module (deck) of its course. */
  | { op: 'module'; sessionId: string; file: string; title: string; at: number }
  | { op: 'end'; sessionId: string; at: number }
  | { op: 'trainee'; id: string; sessionId: string; name: string; officerId: string; agency: string; at: number }
  | { op: 'device'; traineeId: string; tokenHash: string; at: number }
  | { op: 'attendance'; sessionId: string; traineeId: string; event: 'join' | 'leave' | 'return'; at: number }
  | { op: 'runOpen'; runId: string; sessionId: string; slideIndex: number; question: QuestionDef; at: number; deadline: number | null }
  | { op: 'runClose'; runId: string; at: number }
  | { op: 'runReveal'; runId: string; at: number }
  | { op: 'answer'; runId: string; sessionId: string; traineeId: string; msgId: string; value: AnswerValue; correct: boolean | null; at: number }
  | {
      op: 'scenarioStep';
      sessionId: string;
      slideIndex: number;
      scenarioId: string;
      playId: string;
      step: number;
      fromNode: string;
      optionId: string;
      toNode: string;
      /** The class vote on this decision, when one was held. */
      runId: string | null;
      at: number;
    }
  | {
      op: 'sessionDetails';
      sessionId: string;
      before: { instructors: string; location: string };
      after: { instructors: string; location: string };
      actor: string;
      at: number;
    }
  | { op: 'qaAsk'; id: string; sessionId: string; traineeId: string | null; text: string; anonymous: boolean; msgId: string; at: number }
  | { op: 'qaVote'; qaId: string; traineeId: string; at: number }
  | { op: 'qaModerate'; qaId: string; status: QaStatus; pinned: boolean; at: number }
  // Identity: the roster and corrections. Each correction also writes an audit_log row (who, when, why, before, after).
  | { op: 'correctTrainee'; sessionId: string; traineeId: string; before: TraineeIdentity; after: TraineeIdentity; reason: string; actor: string; at: number }
  | {
      op: 'moveDevice';
      sessionId: string;
      fromTraineeId: string;
      toTraineeId: string;
      before: { phones: number; trainee: TraineeIdentity & { id: string } };
      after: { phones: number; trainee: TraineeIdentity & { id: string } };
      reason: string;
      actor: string;
      at: number;
    }
  /** A new session takes over the roster imported while no session was running. */
  | { op: 'adoptRoster'; sessionId: string; at: number }
  // Self-paced assessments: each question is a question run of its own (answers are stored as any answer).
  | {
      op: 'assessmentOpen';
      id: string;
      sessionId: string;
      key: string;
      kind: AssessmentKind;
      assessmentId: string;
      title: string;
      slideIndex: number;
      runs: { runId: string; position: number; question: QuestionDef }[];
      at: number;
    }
  | { op: 'assessmentClose'; id: string; at: number }
  | { op: 'assessmentSubmit'; assessmentId: string; traineeId: string; sessionId: string; msgId: string; at: number }
  /** Replaces the roster of a session (or, with sessionId null, the one the next session adopts). */
  | { op: 'roster'; sessionId: string | null; name: string; entries: RosterEntry[]; reason: string; actor: string; at: number };

/** Who a trainee is, as a correction changes it. */
export interface TraineeIdentity {
  name: string;
  officerId: string;
  agency: string;
}

/** One line of a class roster. */
export interface RosterEntry {
  officerId: string;
  name: string;
  agency: string;
  email: string;
}

export type QaStatus = 'pending' | 'approved' | 'hidden' | 'answered';

/**
 * A question from the Q&A board. An anonymous one has no link to its author anywhere — not in
 * memory, not in the records: only its random message id, so a resend is not stored twice.
 */
export interface QaItem {
  id: string;
  traineeId: string | null;
  text: string;
  anonymous: boolean;
  status: QaStatus;
  pinned: boolean;
  votes: Set<string>;
  at: number;
}

/** A role-play scenario being played on the current slide: where the class is, and how it got there. */
export interface ScenarioState {
  def: ScenarioView;
  playId: string;
  node: string;
  path: { fromNode: string; optionId: string; toNode: string; runId: string | null }[];
}

/** The question a scenario decision is put to the class as: single choice, never graded. */
export function scenarioQuestion(def: ScenarioView, nodeId: string): QuestionDef | null {
  const n = def.nodes[nodeId];
  if (!n || n.end || n.options.length < 2) return null;
  const best = n.options.find((o) => o.id === n.best);
  return {
    id: `scn-${def.id}-${nodeId}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 100),
    type: 'single',
    prompt: n.prompt ?? 'What do you do?',
    options: n.options.map((o) => o.text),
    ...(best ? { explanation: `Recommended: ${best.text}` } : {}),
    tags: ['scenario'],
  };
}

export interface Trainee {
  id: string;
  name: string;
  officerId: string;
  agency: string;
  /** Open connections; attendance records a leave when it falls to zero. */
  connections: number;
}

interface StoredAnswer {
  value: AnswerValue;
  at: number;
  msgId: string;
}

export interface Run {
  runId: string;
  q: QuestionDef;
  slideIndex: number;
  openedAt: number;
  deadline: number | null;
  closedAt: number | null;
  revealed: boolean;
  answers: Map<string, StoredAnswer>;
}

/** A self-paced assessment the class is taking: every question open at once, each trainee at their own pace. */
export interface AssessmentState {
  id: string;
  key: string;
  kind: AssessmentKind;
  assessmentId: string;
  title: string;
  openedAt: number;
  closedAt: number | null;
  /** In the order of the assessment file. */
  runs: Run[];
  byRun: Map<string, Run>;
  /** Trainee id → when they submitted; their answers are final from then on. */
  submitted: Map<string, number>;
}

/** An open assessment as read back from the records after a restart. */
export type RestoredAssessment = Pick<AssessmentState, 'id' | 'key' | 'kind' | 'assessmentId' | 'title' | 'openedAt'> & {
  runs: { runId: string; q: QuestionDef; slideIndex: number }[];
  answers: { runId: string; traineeId: string; value: AnswerValue; at: number }[];
  submitted: { traineeId: string; at: number }[];
};

export interface SessionInfo {
  id: string;
  roomCode: string;
  deck: Deck;
  slideIndex: number;
  phase: SessionPhase;
  startedAt: number;
  /** When the current module began (the presenter timer counts from it). */
  moduleStartedAt?: number;
  /** Instructors and location, as recorded for the certification roster. */
  instructors?: string;
  location?: string;
}

export type Outcome<T = object> =
  | ({ ok: true; ops: RecordOp[]; /** the view every phone sees changed */ traineesChanged: boolean } & T)
  | { ok: false; code: ErrorReply['code']; message: string };

const fail = (code: ErrorReply['code'], message: string): Outcome<never> => ({ ok: false, code, message });

/** Everything needed to rebuild the engine after a restart, as read back from the records. */
export interface Snapshot {
  session: SessionInfo;
  trainees: Omit<Trainee, 'connections'>[];
  tokens: { tokenHash: string; traineeId: string }[];
  run: Omit<Run, 'answers'> | null;
  answers: { traineeId: string; value: AnswerValue; at: number; msgId: string }[];
  /** The steps of the latest play of the current slide's scenario, in order. */
  scenario: { playId: string; steps: ScenarioState['path'] } | null;
  msgIds: { traineeId: string; msgId: string }[];
  /** The assessment still open when the app stopped, with its answers and submissions. */
  assessment?: RestoredAssessment | null;
  qa: { id: string; traineeId: string | null; text: string; anonymous: boolean; status: QaStatus; pinned: boolean; at: number; msgId: string; voters: string[] }[];
}

export class SessionEngine {
  session: SessionInfo | null = null;
  readonly trainees = new Map<string, Trainee>();
  private readonly byToken = new Map<string, string>();
  private readonly byOfficerId = new Map<string, string>();
  /** The class roster: normalised officer ID → name on the roster; null when the class has none. */
  private roster: Map<string, string> | null = null;
  run: Run | null = null;
  assessment: AssessmentState | null = null;
  /** Class-wide: phones show only the answers (the projector shows the question). Not a record. */
  hidePrompt = false;
  /**
   * The optional profanity filter: what the room sees of free text (Q&A board, word clouds, answer
   * lists) is masked; the instructor still sees it flagged, and the records keep what was typed.
   */
  profanityFilter = false;
  scenario: ScenarioState | null = null;
  readonly qa = new Map<string, QaItem>();
  /** Q&A message ids already stored; global, so anonymous questions need no author link. */
  private readonly qaMsgIds = new Set<string>();
  /** Message ids already accepted, per trainee: a resend is acknowledged again but not stored twice. */
  private readonly msgIds = new Map<string, Set<string>>();

  start(input: { sessionId: string; roomCode: string; deck: Deck; now: number }): Outcome {
    if (this.session && this.session.phase !== 'ended') return fail('invalid', 'a session is already running; end it first');
    if (input.deck.slides.length === 0) return fail('invalid', 'the deck has no slides');
    this.reset();
    this.session = { id: input.sessionId, roomCode: input.roomCode, deck: input.deck, slideIndex: 0, phase: 'lobby', startedAt: input.now };
    const d = input.deck;
    return {
      ok: true,
      traineesChanged: true,
      ops: [
        {
          op: 'session',
          id: input.sessionId,
          roomCode: input.roomCode,
          course: d.course,
          courseTitle: d.courseTitle,
          courseNumber: d.courseNumber ?? null,
          creditHours: d.creditHours ?? null,
          passMark: d.passMark ?? null,
          file: d.file,
          title: d.title,
          at: input.now,
        },
      ],
    };
  }

  private reset(): void {
    this.session = null;
    this.trainees.clear();
    this.byToken.clear();
    this.byOfficerId.clear();
    this.msgIds.clear();
    this.run = null;
    this.assessment = null;
    this.hidePrompt = false;
    this.scenario = null;
    this.roster = null;
    this.qa.clear();
    this.qaMsgIds.clear();
  }

  restore(s: Snapshot): void {
    this.reset();
    this.session = { ...s.session };
    for (const t of s.trainees) {
      this.trainees.set(t.id, { ...t, connections: 0 });
      this.byOfficerId.set(normOfficerId(t.officerId), t.id);
    }
    for (const t of s.tokens) this.byToken.set(t.tokenHash, t.traineeId);
    for (const m of s.msgIds) this.seen(m.traineeId).add(m.msgId);
    for (const q of s.qa ?? []) {
      this.qa.set(q.id, { id: q.id, traineeId: q.traineeId, text: q.text, anonymous: q.anonymous, status: q.status, pinned: q.pinned, votes: new Set(q.voters), at: q.at });
      this.qaMsgIds.add(q.msgId);
    }
    const def = s.session.deck.slides[s.session.slideIndex]?.scenarioDef;
    if (def) {
      const path = s.scenario?.steps ?? [];
      this.scenario = { def, playId: s.scenario?.playId ?? 'restored', node: path.at(-1)?.toNode ?? def.start, path: [...path] };
    }
    if (s.run) {
      this.run = { ...s.run, answers: new Map() };
      for (const a of s.answers) this.run.answers.set(a.traineeId, { value: a.value, at: a.at, msgId: a.msgId });
    }
    const a = s.assessment;
    if (a) {
      const runs: Run[] = a.runs.map((r) => ({ runId: r.runId, q: r.q, slideIndex: r.slideIndex, openedAt: a.openedAt, deadline: null, closedAt: null, revealed: false, answers: new Map() }));
      const byRun = new Map(runs.map((r) => [r.runId, r]));
      for (const x of a.answers) byRun.get(x.runId)?.answers.set(x.traineeId, { value: x.value, at: x.at, msgId: '' });
      this.assessment = { id: a.id, key: a.key, kind: a.kind, assessmentId: a.assessmentId, title: a.title, openedAt: a.openedAt, closedAt: null, runs, byRun, submitted: new Map(a.submitted.map((x) => [x.traineeId, x.at])) };
    }
  }

  private seen(traineeId: string): Set<string> {
    let set = this.msgIds.get(traineeId);
    if (!set) this.msgIds.set(traineeId, (set = new Set()));
    return set;
  }

  private live(): SessionInfo | null {
    return this.session && this.session.phase !== 'ended' ? this.session : null;
  }

  // ------------------------------------------------------------------ trainees
  /**
   * A trainee joins with the room code. The same officer ID joining again (a new phone, cleared
   * storage) binds the new device to the same trainee, and the binding is recorded.
   */
  join(input: { traineeId: string; tokenHash: string; name: string; officerId: string; agency: string; roomCode: string; now: number }): Outcome<{ traineeId: string; rebound: boolean }> {
    const s = this.live();
    if (!s) return fail('room', 'no class is running; ask the instructor');
    if (input.roomCode !== s.roomCode) return fail('room', 'that room code is not this class; check the code on the screen');
    const ops: RecordOp[] = [];
    let id = this.byOfficerId.get(normOfficerId(input.officerId));
    const rebound = id !== undefined;
    if (id === undefined) {
      id = input.traineeId;
      this.trainees.set(id, { id, name: input.name, officerId: input.officerId, agency: input.agency, connections: 0 });
      this.byOfficerId.set(normOfficerId(input.officerId), id);
      ops.push({ op: 'trainee', id, sessionId: s.id, name: input.name, officerId: input.officerId, agency: input.agency, at: input.now });
    }
    this.byToken.set(input.tokenHash, id);
    ops.push({ op: 'device', traineeId: id, tokenHash: input.tokenHash, at: input.now });
    ops.push(...this.connect(id, input.now));
    return { ok: true, ops, traineesChanged: false, traineeId: id, rebound };
  }

  /** A phone comes back with its token (reload, sleep, network change). */
  resume(input: { tokenHash: string; now: number }): Outcome<{ traineeId: string }> {
    const s = this.live();
    if (!s) return fail('room', 'no class is running');
    const id = this.byToken.get(input.tokenHash);
    if (!id) return fail('not-found', 'this phone is not part of the class; join again');
    return { ok: true, ops: this.connect(id, input.now), traineesChanged: false, traineeId: id };
  }

  private connect(id: string, now: number): RecordOp[] {
    const t = this.trainees.get(id)!;
    t.connections++;
    if (t.connections > 1) return [];
    return [{ op: 'attendance', sessionId: this.session!.id, traineeId: id, event: 'join', at: now }];
  }

  disconnect(traineeId: string, now: number): Outcome {
    const t = this.trainees.get(traineeId);
    const s = this.live();
    if (!t || !s) return { ok: true, ops: [], traineesChanged: false };
    t.connections = Math.max(0, t.connections - 1);
    const ops: RecordOp[] = t.connections === 0 ? [{ op: 'attendance', sessionId: s.id, traineeId, event: 'leave', at: now }] : [];
    return { ok: true, ops, traineesChanged: false };
  }

  tokenOwner(tokenHash: string): string | undefined {
    return this.byToken.get(tokenHash);
  }

  // ------------------------------------------------------------------ roster and identity corrections
  /**
   * The class roster. A trainee whose officer ID is not on it is a walk-in: accepted, and flagged.
   * `null` (or no entries): the class has no roster, and nobody is flagged.
   */
  setRoster(entries: readonly { officerId: string; name: string }[] | null): void {
    this.roster = entries && entries.length ? new Map(entries.map((e) => [normOfficerId(e.officerId), e.name])) : null;
  }

  /** The name on the roster for an officer ID; undefined when it is not on it (or there is no roster). */
  rosterName(officerId: string): string | undefined {
    return this.roster?.get(normOfficerId(officerId));
  }

  /**
   * The instructor corrects who a trainee is (a typo in the name, the wrong officer ID …). The
   * trainee row is updated and the audit log gets who, when, why, before and after (DESIGN.md rule 7).
   */
  correctTrainee(input: { traineeId: string; name?: string; officerId?: string; agency?: string; reason: string; actor: string; now: number }): Outcome {
    const s = this.session;
    if (!s) return fail('invalid', 'start a session first');
    const t = this.trainees.get(input.traineeId);
    if (!t) return fail('not-found', 'no such trainee in this session');
    const reason = input.reason.trim();
    if (!reason || reason.length > 500) return fail('invalid', 'a correction needs a reason (1–500 characters)');
    const before: TraineeIdentity = { name: t.name, officerId: t.officerId, agency: t.agency };
    const after: TraineeIdentity = {
      name: input.name?.trim() || t.name,
      officerId: input.officerId?.trim() || t.officerId,
      agency: input.agency?.trim() || t.agency,
    };
    if (after.name === before.name && after.officerId === before.officerId && after.agency === before.agency)
      return fail('invalid', 'nothing to correct: the name, officer ID and agency are what they were');
    const oldKey = normOfficerId(before.officerId);
    const newKey = normOfficerId(after.officerId);
    const other = this.byOfficerId.get(newKey);
    if (other !== undefined && other !== t.id)
      return fail('invalid', `officer ID ${after.officerId} already belongs to ${this.trainees.get(other)?.name ?? 'another trainee'}; to put this phone on that trainee, move the phone instead`);
    t.name = after.name;
    t.officerId = after.officerId;
    t.agency = after.agency;
    this.byOfficerId.delete(oldKey);
    this.byOfficerId.set(newKey, t.id);
    return { ok: true, traineesChanged: false, ops: [{ op: 'correctTrainee', sessionId: s.id, traineeId: t.id, before, after, reason, actor: input.actor, at: input.now }] };
  }

  /**
   * Moves the phones of one trainee to another (someone joined on a borrowed phone, or under the
   * wrong officer ID): the phones' tokens now belong to `toTraineeId`; open connections move with
   * them, and attendance records the change. Audit-logged like a correction.
   */
  moveDevice(input: { fromTraineeId: string; toTraineeId: string; reason: string; actor: string; now: number }): Outcome<{ moved: number }> {
    const s = this.live();
    if (!s) return fail('invalid', 'no class is running');
    const from = this.trainees.get(input.fromTraineeId);
    const to = this.trainees.get(input.toTraineeId);
    if (!from || !to) return fail('not-found', 'no such trainee in this session');
    if (from === to) return fail('invalid', 'choose another trainee to move the phone to');
    const reason = input.reason.trim();
    if (!reason || reason.length > 500) return fail('invalid', 'moving a phone needs a reason (1–500 characters)');
    const tokens = [...this.byToken].filter(([, id]) => id === from.id).map(([hash]) => hash);
    if (!tokens.length) return fail('invalid', `${from.name} has no phone to move`);
    const who = (t: Trainee) => ({ id: t.id, name: t.name, officerId: t.officerId, agency: t.agency });
    const toPhones = [...this.byToken.values()].filter((id) => id === to.id).length;
    const ops: RecordOp[] = [
      {
        op: 'moveDevice',
        sessionId: s.id,
        fromTraineeId: from.id,
        toTraineeId: to.id,
        before: { phones: tokens.length, trainee: who(from) },
        after: { phones: toPhones + tokens.length, trainee: who(to) },
        reason,
        actor: input.actor,
        at: input.now,
      },
    ];
    for (const hash of tokens) this.byToken.set(hash, to.id);
    if (from.connections > 0) {
      ops.push({ op: 'attendance', sessionId: s.id, traineeId: from.id, event: 'leave', at: input.now });
      if (to.connections === 0) ops.push({ op: 'attendance', sessionId: s.id, traineeId: to.id, event: 'join', at: input.now });
      to.connections += from.connections;
      from.connections = 0;
    }
    return { ok: true, ops, traineesChanged: false, moved: tokens.length };
  }

  /** One answer per trainee per question; a new answer replaces the old one until the question closes. */
  answer(input: { traineeId: string; runId: string; msgId: string; value: AnswerValue; now: number }): Outcome<{ duplicate: boolean }> {
    const s = this.live();
    if (!s) return fail('closed', 'no class is running');
    if (!this.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
    if (this.seen(input.traineeId).has(input.msgId)) return { ok: true, ops: [], traineesChanged: false, duplicate: true };
    const ar = this.assessment?.byRun.get(input.runId);
    if (ar) return this.assessmentAnswer(ar, input);
    const r = this.run;
    if (!r || r.runId !== input.runId) return fail('closed', 'that question is no longer open');
    if (r.closedAt !== null || s.phase !== 'question') return fail('closed', 'the question has closed');
    return this.store(r, input);
  }

  /** Takes a checked answer to an open run (live or self-paced): one per trainee, the latest counts. */
  private store(r: Run, input: { traineeId: string; msgId: string; value: AnswerValue; now: number }): Outcome<{ duplicate: boolean }> {
    const problem = answerProblem(r.q, input.value);
    if (problem) return fail('invalid', problem);
    this.seen(input.traineeId).add(input.msgId);
    r.answers.set(input.traineeId, { value: input.value, at: input.now, msgId: input.msgId });
    return {
      ok: true,
      duplicate: false,
      traineesChanged: false,
      ops: [{ op: 'answer', runId: r.runId, sessionId: this.session!.id, traineeId: input.traineeId, msgId: input.msgId, value: input.value, correct: isCorrect(r.q, input.value), at: input.now }],
    };
  }

  // ------------------------------------------------------------------ self-paced assessments
  private assessmentAnswer(r: Run, input: { traineeId: string; msgId: string; value: AnswerValue; now: number }): Outcome<{ duplicate: boolean }> {
    const a = this.assessment!;
    if (a.closedAt !== null) return fail('closed', `the ${a.title} has closed`);
    if (a.submitted.has(input.traineeId)) return fail('closed', `you have already submitted the ${a.title}`);
    return this.store(r, input);
  }

  /**
   * Opens one of the course's assessments (`key` in course.yaml): every question at once, one run
   * each (`runIds` in order), for trainees to take at their own pace. Live questions wait until it closes.
   */
  openAssessment(input: { id: string; key: string; runIds: string[]; now: number }): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'start a session first');
    const def = s.deck.assessments?.find((d) => d.key === input.key);
    if (!def) return fail('not-found', `this course has no assessment "${input.key}"`);
    if (s.phase === 'question') return fail('invalid', 'close the question before starting an assessment');
    if (this.assessment && this.assessment.closedAt === null) return fail('invalid', `close the ${this.assessment.title} first`);
    if (input.runIds.length !== def.questions.length) return fail('invalid', 'one run id per question');
    const runs: Run[] = def.questions.map((q, i) => ({ runId: input.runIds[i], q, slideIndex: s.slideIndex, openedAt: input.now, deadline: null, closedAt: null, revealed: false, answers: new Map() }));
    this.assessment = {
      id: input.id,
      key: def.key,
      kind: def.kind,
      assessmentId: def.id,
      title: def.title,
      openedAt: input.now,
      closedAt: null,
      runs,
      byRun: new Map(runs.map((r) => [r.runId, r])),
      submitted: new Map(),
    };
    return {
      ok: true,
      traineesChanged: true,
      ops: [
        {
          op: 'assessmentOpen',
          id: input.id,
          sessionId: s.id,
          key: def.key,
          kind: def.kind,
          assessmentId: def.id,
          title: def.title,
          slideIndex: s.slideIndex,
          runs: runs.map((r, position) => ({ runId: r.runId, position, question: r.q })),
          at: input.now,
        },
      ],
    };
  }

  /** Closes the assessment: answers are final; trainees who did not submit keep what they answered. */
  closeAssessment(now: number): Outcome {
    const a = this.assessment;
    if (!this.live() || !a || a.closedAt !== null) return fail('invalid', 'no assessment is open');
    a.closedAt = now;
    for (const r of a.runs) r.closedAt = now;
    return { ok: true, traineesChanged: true, ops: [{ op: 'assessmentClose', id: a.id, at: now }] };
  }

  /** Back to the lecture once the assessment has closed (a presentation change: nothing to store). */
  dismissAssessment(): Outcome {
    const a = this.assessment;
    if (!a) return fail('invalid', 'no assessment to leave');
    if (a.closedAt === null) return fail('invalid', `close the ${a.title} first`);
    this.assessment = null;
    return { ok: true, ops: [], traineesChanged: true };
  }

  /** A trainee hands the assessment in. Sent again (a lost ack), it is acknowledged again and stored once. */
  submit(input: { traineeId: string; assessmentId: string; msgId: string; now: number }): Outcome<{ duplicate: boolean }> {
    const s = this.live();
    if (!s) return fail('closed', 'no class is running');
    if (!this.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
    const a = this.assessment;
    if (!a || a.id !== input.assessmentId) return fail('closed', 'that assessment is no longer open');
    if (a.submitted.has(input.traineeId)) return { ok: true, ops: [], traineesChanged: false, duplicate: true };
    if (a.closedAt !== null) return fail('closed', `the ${a.title} has closed; your answers so far are saved`);
    a.submitted.set(input.traineeId, input.now);
    return { ok: true, duplicate: false, traineesChanged: false, ops: [{ op: 'assessmentSubmit', assessmentId: a.id, traineeId: input.traineeId, sessionId: s.id, msgId: input.msgId, at: input.now }] };
  }

  /** Class-wide switch: phones hide the question text (the projector shows it). */
  setHidePrompt(hide: boolean): Outcome {
    if (!this.live()) return fail('invalid', 'start a session first');
    this.hidePrompt = hide;
    return { ok: true, ops: [], traineesChanged: true };
  }

  private traineeAssessment(): TraineeAssessment | null {
    const a = this.assessment;
    if (!a) return null;
    return { id: a.id, title: a.title, kind: a.kind, open: a.closedAt === null, questions: a.runs.map((r) => ({ runId: r.runId, q: publicQuestion(r.q) })) };
  }

  /** What a (re)joining phone needs to carry on with the assessment: its stored answers, and whether it submitted. */
  assessmentOf(traineeId: string): TraineeWelcome['assessment'] {
    const a = this.assessment;
    if (!a) return null;
    const answers: { runId: string; value: AnswerValue }[] = [];
    for (const r of a.runs) {
      const x = r.answers.get(traineeId);
      if (x) answers.push({ runId: r.runId, value: x.value });
    }
    return { id: a.id, answers, submitted: a.submitted.has(traineeId) };
  }

  /** The instructor's view of the assessment: who has answered how much, who submitted, and their score so far. */
  consoleAssessment(): ConsoleAssessment | null {
    const a = this.assessment;
    if (!a) return null;
    const graded = a.kind === 'evaluation' ? [] : a.runs.filter((r) => isGraded(r.q));
    const rows = [...this.trainees.values()].map((t) => {
      let answered = 0;
      for (const r of a.runs) if (r.answers.has(t.id)) answered++;
      let sum = 0;
      for (const r of graded) {
        const x = r.answers.get(t.id);
        if (x) sum += score(r.q, x.value) ?? 0;
      }
      return {
        traineeId: t.id,
        name: t.name,
        officerId: t.officerId,
        connected: t.connections > 0,
        answered,
        submitted: a.submitted.has(t.id),
        scorePercent: graded.length ? Math.round((sum / graded.length) * 1000) / 10 : null,
      };
    });
    return { id: a.id, key: a.key, title: a.title, kind: a.kind, open: a.closedAt === null, questions: a.runs.length, graded: graded.length, submitted: a.submitted.size, rows };
  }

  /**
   * Moves the class on to another module of the same course: a class day is one session, so the room
   * code, who joined, attendance and the Q&A board carry on; the slides start at the new deck's first.
   */
  switchModule(deck: Deck, now: number): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'start a session first');
    if (deck.course !== s.deck.course) return fail('invalid', 'that module belongs to another course; end this session and start a new one');
    if (deck.slides.length === 0) return fail('invalid', 'that module has no slides');
    if (s.phase === 'question') return fail('invalid', 'close the question before changing module');
    if (this.assessment && this.assessment.closedAt === null) return fail('invalid', `close the ${this.assessment.title} before changing module`);
    if (deck.file === s.deck.file) return fail('invalid', `the class is already in ${deck.title}`);
    s.deck = deck;
    s.moduleStartedAt = now;
    s.slideIndex = 0;
    s.phase = s.phase === 'lobby' ? 'lobby' : 'presenting';
    this.run = null;
    const def = deck.slides[0].scenarioDef;
    this.scenario = def ? { def, playId: `play-0-${now}`, node: def.start, path: [] } : null;
    return { ok: true, traineesChanged: true, ops: [{ op: 'module', sessionId: s.id, file: deck.file, title: deck.title, at: now }] };
  }

  // ------------------------------------------------------------------ instructor
  goto(index: number, playId = `play-${index}`): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'start a session first');
    if (index < 0 || index >= s.deck.slides.length) return fail('invalid', `slide ${index + 1} does not exist`);
    if (s.phase === 'question') return fail('invalid', 'close the question before leaving the slide');
    s.slideIndex = index;
    const wasQuestionPhase = s.phase !== 'presenting';
    s.phase = 'presenting';
    this.run = null;
    const def = s.deck.slides[index].scenarioDef;
    this.scenario = def ? { def, playId, node: def.start, path: [] } : null;
    return { ok: true, ops: [{ op: 'slide', sessionId: s.id, index }], traineesChanged: wasQuestionPhase };
  }

  openQuestion(runId: string, now: number): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'start a session first');
    const slide = s.deck.slides[s.slideIndex];
    const q = slide.question ?? (this.scenario ? scenarioQuestion(this.scenario.def, this.scenario.node) : null);
    if (!q) return fail('invalid', this.scenario ? 'this point of the scenario has no decision to vote on' : 'this slide has no question');
    if (s.phase === 'question') return fail('invalid', 'the question is already open');
    if (this.assessment && this.assessment.closedAt === null) return fail('invalid', `close the ${this.assessment.title} before opening a question`);
    const deadline = q.timeLimit ? now + q.timeLimit * 1000 : null;
    this.run = { runId, q, slideIndex: s.slideIndex, openedAt: now, deadline, closedAt: null, revealed: false, answers: new Map() };
    s.phase = 'question';
    return { ok: true, traineesChanged: true, ops: [{ op: 'runOpen', runId, sessionId: s.id, slideIndex: s.slideIndex, question: q, at: now, deadline }] };
  }

  closeQuestion(now: number): Outcome {
    const s = this.live();
    const r = this.run;
    if (!s || !r || s.phase !== 'question') return fail('invalid', 'no question is open');
    r.closedAt = now;
    s.phase = 'closed';
    return { ok: true, traineesChanged: true, ops: [{ op: 'runClose', runId: r.runId, at: now }] };
  }

  /** Closes a timed question whose deadline has passed. The server calls it from its timer. */
  tick(now: number): Outcome {
    const r = this.run;
    if (this.session?.phase === 'question' && r?.deadline !== null && r !== null && now >= r.deadline!) return this.closeQuestion(r.deadline!);
    return { ok: true, ops: [], traineesChanged: false };
  }

  showResults(now: number): Outcome {
    const s = this.live();
    const r = this.run;
    if (!s || !r) return fail('invalid', 'no question to show results for');
    const ops: RecordOp[] = [];
    if (s.phase === 'question') {
      r.closedAt = now;
      ops.push({ op: 'runClose', runId: r.runId, at: now });
    }
    r.revealed = true;
    s.phase = 'results';
    ops.push({ op: 'runReveal', runId: r.runId, at: now });
    return { ok: true, traineesChanged: true, ops };
  }

  end(now: number): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'no session is running');
    const ops: RecordOp[] = [];
    if (s.phase === 'question' && this.run) {
      this.run.closedAt = now;
      ops.push({ op: 'runClose', runId: this.run.runId, at: now });
    }
    if (this.assessment && this.assessment.closedAt === null) ops.push(...(this.closeAssessment(now) as { ops: RecordOp[] }).ops);
    for (const t of this.trainees.values())
      if (t.connections > 0) ops.push({ op: 'attendance', sessionId: s.id, traineeId: t.id, event: 'leave', at: now });
    s.phase = 'ended';
    ops.push({ op: 'end', sessionId: s.id, at: now });
    return { ok: true, ops, traineesChanged: true };
  }

  /** Records who taught the class and where; the change is audit-logged like any correction. */
  details(input: { instructors: string; location: string; now: number }): Outcome {
    const s = this.live();
    if (!s) return fail('invalid', 'start a session first');
    const before = { instructors: s.instructors ?? '', location: s.location ?? '' };
    const after = { instructors: input.instructors, location: input.location };
    if (before.instructors === after.instructors && before.location === after.location) return { ok: true, ops: [], traineesChanged: false };
    s.instructors = after.instructors;
    s.location = after.location;
    return { ok: true, traineesChanged: false, ops: [{ op: 'sessionDetails', sessionId: s.id, before, after, actor: 'instructor', at: input.now }] };
  }

  // ------------------------------------------------------------------ Q&A board
  /** A trainee asks a question, named or anonymous; it waits for the instructor's approval. */
  ask(input: { qaId: string; traineeId: string; text: string; anonymous: boolean; msgId: string; now: number }): Outcome<{ duplicate: boolean }> {
    const s = this.live();
    if (!s) return fail('closed', 'no class is running');
    if (!this.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
    if (this.qaMsgIds.has(input.msgId)) return { ok: true, ops: [], traineesChanged: false, duplicate: true };
    const text = input.text.trim();
    if (!text) return fail('invalid', 'type a question');
    const item: QaItem = {
      id: input.qaId,
      traineeId: input.anonymous ? null : input.traineeId,
      text,
      anonymous: input.anonymous,
      status: 'pending',
      pinned: false,
      votes: new Set(),
      at: input.now,
    };
    this.qa.set(item.id, item);
    this.qaMsgIds.add(input.msgId);
    return {
      ok: true,
      duplicate: false,
      traineesChanged: false,
      ops: [{ op: 'qaAsk', id: item.id, sessionId: s.id, traineeId: item.traineeId, text, anonymous: item.anonymous, msgId: input.msgId, at: input.now }],
    };
  }

  /** One vote per trainee per question; voting again changes nothing. */
  vote(input: { qaId: string; traineeId: string; now: number }): Outcome {
    const s = this.live();
    const q = this.qa.get(input.qaId);
    if (!s) return fail('closed', 'no class is running');
    if (!this.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
    if (!q || (q.status !== 'approved' && q.status !== 'answered')) return fail('not-found', 'that question is not on the board');
    if (q.votes.has(input.traineeId)) return { ok: true, ops: [], traineesChanged: false };
    q.votes.add(input.traineeId);
    // Votes arrive in bursts: the server coalesces the board's broadcast rather than sending one per vote.
    return { ok: true, ops: [{ op: 'qaVote', qaId: q.id, traineeId: input.traineeId, at: input.now }], traineesChanged: false };
  }

  moderate(input: { qaId: string; action: 'approve' | 'hide' | 'answered' | 'pin' | 'unpin'; now: number }): Outcome {
    const s = this.live();
    const q = this.qa.get(input.qaId);
    if (!s || !q) return fail('not-found', 'no such question');
    if (input.action === 'pin' || input.action === 'unpin') q.pinned = input.action === 'pin';
    else q.status = input.action === 'approve' ? 'approved' : input.action === 'hide' ? 'hidden' : 'answered';
    return { ok: true, ops: [{ op: 'qaModerate', qaId: q.id, status: q.status, pinned: q.pinned, at: input.now }], traineesChanged: true };
  }

  /** What the room may see of the board: approved and answered questions, pinned first, then by votes. */
  qaBoard(): { id: string; text: string; votes: number; pinned: boolean; answered: boolean }[] {
    return [...this.qa.values()]
      .filter((q) => q.status === 'approved' || q.status === 'answered')
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.votes.size - a.votes.size || a.at - b.at)
      .map((q) => ({ id: q.id, text: this.profanityFilter ? maskProfanity(q.text) : q.text, votes: q.votes.size, pinned: q.pinned, answered: q.status === 'answered' }));
  }

  /** The instructor follows one branch of the scenario: the class's choice or one they pick. */
  follow(optionId: string, now: number): Outcome {
    const s = this.live();
    const sc = this.scenario;
    if (!s || !sc) return fail('invalid', 'no scenario on this slide');
    if (s.phase === 'question') return fail('invalid', 'close the vote before moving on');
    const node = sc.def.nodes[sc.node];
    const option = node?.options.find((o) => o.id === optionId);
    if (!node || !option) return fail('invalid', `no option "${optionId}" at this point of the scenario`);
    const q = scenarioQuestion(sc.def, sc.node);
    const runId = this.run && q && this.run.q.id === q.id ? this.run.runId : null;
    const step = { fromNode: sc.node, optionId, toNode: option.next, runId };
    sc.path.push(step);
    sc.node = option.next;
    this.run = null;
    s.phase = 'presenting';
    return {
      ok: true,
      traineesChanged: true,
      ops: [{ op: 'scenarioStep', sessionId: s.id, slideIndex: s.slideIndex, scenarioId: sc.def.id, playId: sc.playId, step: sc.path.length, ...step, at: now }],
    };
  }

  /** The option most of the class voted for at the current decision, if a vote was held. */
  majority(): string | null {
    const sc = this.scenario;
    const r = this.run;
    if (!sc || !r) return null;
    const node = sc.def.nodes[sc.node];
    const counts = new Map<string, number>();
    for (const a of r.answers.values()) counts.set(a.value as string, (counts.get(a.value as string) ?? 0) + 1);
    let best: string | null = null;
    let n = 0;
    for (const o of node?.options ?? []) if ((counts.get(o.text) ?? 0) > n) [best, n] = [o.id, counts.get(o.text)!];
    return best;
  }

  // ------------------------------------------------------------------ views
  remainingMs(now: number): number | null {
    const r = this.run;
    if (!r || r.deadline === null || this.session?.phase !== 'question') return null;
    return Math.max(0, r.deadline - now);
  }

  /** The one view every phone gets. Never carries a correct answer before the reveal. */
  traineeView(now: number): TraineeView {
    const s = this.session;
    const r = this.run;
    if (!s) return { t: 'view', phase: 'ended', title: '', question: null, reveal: null, qa: [], assessment: null };
    return {
      t: 'view',
      phase: s.phase,
      title: s.deck.title,
      question: r ? { runId: r.runId, q: publicQuestion(r.q), open: s.phase === 'question', remainingMs: this.remainingMs(now) } : null,
      reveal: r && r.revealed ? { correct: correctLabels(r.q) ?? null, explanation: r.q.explanation ?? null } : null,
      qa: this.qaBoard(),
      assessment: s.phase === 'ended' ? null : this.traineeAssessment(),
      ...(this.hidePrompt ? { hidePrompt: true } : {}),
    };
  }

  answerOf(traineeId: string): { runId: string; value: AnswerValue } | null {
    const a = this.run?.answers.get(traineeId);
    return a && this.run ? { runId: this.run.runId, value: a.value } : null;
  }

  slideView(index: number): SlideView | null {
    const slide = this.session?.deck.slides[index];
    if (!slide) return null;
    return { index, id: slide.id, html: slide.html, title: slide.title, question: slide.question ? publicQuestion(slide.question) : null };
  }

  results(): ResultsView | null {
    const r = this.run;
    if (!r) return null;
    const view: ResultsView = { questionId: r.q.id, ...tally(r.q, [...r.answers.values()].map((a) => a.value)) };
    if (r.revealed) view.correct = correctLabels(r.q);
    if (this.profanityFilter && view.kind === 'cloud') view.words = view.words.filter((w) => !hasProfanity(w.text));
    if (this.profanityFilter && view.kind === 'list') view.answers = view.answers.map(maskProfanity);
    return view;
  }

  traineeRows(): TraineeRow[] {
    const answered = this.run?.answers;
    return [...this.trainees.values()].map((t) => ({
      id: t.id,
      name: t.name,
      officerId: t.officerId,
      agency: t.agency,
      connected: t.connections > 0,
      answered: answered?.has(t.id) ?? false,
      onRoster: this.roster?.has(normOfficerId(t.officerId)) ?? false,
      walkIn: this.roster !== null && !this.roster.has(normOfficerId(t.officerId)),
    }));
  }
}

/** Officer IDs match without regard to case or surrounding spaces, but leading zeros count. */
export function normOfficerId(id: string): string {
  return id.trim().toUpperCase();
}
