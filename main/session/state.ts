/**
 * The engine's memory: what the records say about the running session, in the shape the class
 * needs it. Only apply.ts writes it, and only with operations the records have committed; the
 * decisions (roll-call.ts, lecture.ts, assessment.ts, qa.ts) and the views read it.
 *
 * Who is connected and the room's presentation switches are not records, so they are not here:
 * the classroom keeps them, and they survive anything the engine goes through.
 */
import type { AssessmentKind, Deck, ScenarioView } from '../../shared/course';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import type { ErrorReply, SessionPhase } from '../../shared/protocol';
import type { EngineOp, QaStatus } from './ops';

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

export interface Trainee {
  id: string;
  name: string;
  officerId: string;
  agency: string;
}

export interface StoredAnswer {
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

/** A role-play scenario being played on the current slide: where the class is, and how it got there. */
export interface ScenarioState {
  def: ScenarioView;
  playId: string;
  node: string;
  path: { fromNode: string; optionId: string; toNode: string; runId: string | null }[];
}

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

export interface EngineState {
  session: SessionInfo | null;
  /** In join order (a trainee's automatic game nickname is "Unit <place in this order>"). */
  trainees: Map<string, Trainee>;
  /** Phone token hash → trainee id. */
  byToken: Map<string, string>;
  /** Normalised officer ID → trainee id (shared/identity.ts). */
  byOfficerId: Map<string, string>;
  /** The class roster: normalised officer ID → name on the roster; null when the class has none. */
  roster: Map<string, string> | null;
  run: Run | null;
  assessment: AssessmentState | null;
  scenario: ScenarioState | null;
  qa: Map<string, QaItem>;
  /** Q&A message ids already stored; global, so anonymous questions need no author link. */
  qaMsgIds: Set<string>;
  /** Message ids already accepted, per trainee: a resend is acknowledged again but not stored twice. */
  msgIds: Map<string, Set<string>>;
}

export function emptyState(): EngineState {
  return {
    session: null,
    trainees: new Map(),
    byToken: new Map(),
    byOfficerId: new Map(),
    roster: null,
    run: null,
    assessment: null,
    scenario: null,
    qa: new Map(),
    qaMsgIds: new Set(),
    msgIds: new Map(),
  };
}

/** A decision: the operations to commit (and then apply), or why the command is refused. */
export type Outcome<T = object> =
  | ({
      ok: true;
      ops: EngineOp[];
      /** the view every phone sees changed */ traineesChanged: boolean;
    } & T)
  | { ok: false; code: ErrorReply['code']; message: string };

export const fail = (code: ErrorReply['code'], message: string): Outcome<never> => ({
  ok: false,
  code,
  message,
});

/** A decision with nothing to store and nothing for the phones. */
export const nothing = (): Outcome => ({ ok: true, ops: [], traineesChanged: false });

/** The running session (not ended), if any. */
export function live(s: EngineState): SessionInfo | null {
  return s.session && s.session.phase !== 'ended' ? s.session : null;
}

/** The question a scenario decision is put to the class as: single choice, never graded. */
export function scenarioQuestion(def: ScenarioView, nodeId: string): QuestionDef | null {
  const n = def.nodes[nodeId];
  if (!n || n.end || n.options.length < 2) return null;
  const best = n.options.find((o) => o.id === n.best);
  return {
    id: `scn-${def.id}-${nodeId}`
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 100),
    type: 'single',
    prompt: n.prompt ?? 'What do you do?',
    options: n.options.map((o) => o.text),
    ...(best ? { explanation: `Recommended: ${best.text}` } : {}),
    tags: ['scenario'],
  };
}

/** An open assessment as read back from the records after a restart. */
export type RestoredAssessment = Pick<
  AssessmentState,
  'id' | 'key' | 'kind' | 'assessmentId' | 'title' | 'openedAt'
> & {
  runs: { runId: string; q: QuestionDef; slideIndex: number }[];
  answers: { runId: string; traineeId: string; value: AnswerValue; at: number }[];
  submitted: { traineeId: string; at: number }[];
};

/** Everything needed to rebuild the engine after a restart, as read back from the records. */
export interface Snapshot {
  session: SessionInfo;
  trainees: Trainee[];
  tokens: { tokenHash: string; traineeId: string }[];
  run: Omit<Run, 'answers'> | null;
  answers: { traineeId: string; value: AnswerValue; at: number; msgId: string }[];
  /** The steps of the latest play of the current slide's scenario, in order. */
  scenario: { playId: string; steps: ScenarioState['path'] } | null;
  msgIds: { traineeId: string; msgId: string }[];
  /** The assessment still open when the app stopped, with its answers and submissions. */
  assessment?: RestoredAssessment | null;
  qa: {
    id: string;
    traineeId: string | null;
    text: string;
    anonymous: boolean;
    status: QaStatus;
    pinned: boolean;
    at: number;
    msgId: string;
    voters: string[];
  }[];
  /** The session's roster. */
  roster?: { officerId: string; name: string; agency: string; email: string }[];
}
