/**
 * The engine's operations: what a decided command changes. A {@link RecordOp} is written to the
 * records (main/records) in the batch's one transaction; only once that committed are the same
 * operations applied to the engine's memory (apply.ts). A {@link MemoryOp} changes only memory
 * (there is nothing to store) but takes the same path, so its order with the record ops is kept.
 */
import type { AssessmentKind, Deck } from '../../shared/course';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import type { QaStatus } from '../../shared/vocabulary';

export type { QaStatus } from '../../shared/vocabulary';

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
  /** When the roster file had them in columns of their own. */
  firstName?: string;
  lastName?: string;
}

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
  /** The class moves to a slide; `playId` names the play of the slide's scenario, if it has one (memory only). */
  | { op: 'slide'; sessionId: string; index: number; playId?: string; at: number }
  /** The session moves on to another module (deck) of its course. */
  | { op: 'module'; sessionId: string; file: string; title: string; at: number }
  | { op: 'end'; sessionId: string; at: number }
  | {
      op: 'trainee';
      id: string;
      sessionId: string;
      name: string;
      officerId: string;
      agency: string;
      at: number;
    }
  | { op: 'device'; traineeId: string; tokenHash: string; at: number }
  /**
   * A trainee's phone is replaced by another (the instructor allowed a claim on their officer ID, or
   * the old phone had been gone long enough): the new token is bound, the old ones stop working,
   * and the audit log says who, when and why.
   */
  | {
      op: 'rebind';
      sessionId: string;
      traineeId: string;
      tokenHash: string;
      revoked: string[];
      before: { phones: number; connected: boolean };
      after: { phones: number; name: string; officerId: string };
      reason: string;
      actor: string;
      at: number;
    }
  /** The instructor refused a claim on a trainee's officer ID: nothing is bound, the audit log keeps it. */
  | {
      op: 'claimRefused';
      sessionId: string;
      traineeId: string;
      claimed: TraineeIdentity;
      reason: string;
      actor: string;
      at: number;
    }
  | {
      op: 'attendance';
      sessionId: string;
      traineeId: string;
      event: 'join' | 'leave' | 'return';
      at: number;
    }
  | {
      op: 'runOpen';
      runId: string;
      sessionId: string;
      slideIndex: number;
      question: QuestionDef;
      at: number;
      deadline: number | null;
    }
  | { op: 'runClose'; runId: string; at: number }
  | { op: 'runReveal'; runId: string; at: number }
  | {
      op: 'answer';
      runId: string;
      sessionId: string;
      traineeId: string;
      msgId: string;
      value: AnswerValue;
      correct: boolean | null;
      at: number;
    }
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
  | {
      op: 'qaAsk';
      id: string;
      sessionId: string;
      traineeId: string | null;
      text: string;
      anonymous: boolean;
      msgId: string;
      at: number;
    }
  | { op: 'qaVote'; qaId: string; traineeId: string; at: number }
  | { op: 'qaModerate'; qaId: string; status: QaStatus; pinned: boolean; at: number }
  // Identity: the roster and corrections. Each correction also writes an audit_log row (who, when, why, before, after).
  | {
      op: 'correctTrainee';
      sessionId: string;
      traineeId: string;
      before: TraineeIdentity;
      after: TraineeIdentity;
      reason: string;
      actor: string;
      at: number;
    }
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
  /** A new session takes over the roster imported while no session was running (`entries`: for memory). */
  | { op: 'adoptRoster'; sessionId: string; entries: RosterEntry[]; at: number }
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
  | {
      op: 'assessmentSubmit';
      assessmentId: string;
      traineeId: string;
      sessionId: string;
      msgId: string;
      at: number;
    }
  /** Replaces the roster of a session (or, with sessionId null, the one the next session adopts). */
  | {
      op: 'roster';
      sessionId: string | null;
      name: string;
      entries: RosterEntry[];
      reason: string;
      actor: string;
      at: number;
    };

/** Changes to memory that the records do not keep. */
export type MemoryOp =
  /** Back to the lecture once an assessment has closed: phones and projector leave it. */
  | { op: 'dismissAssessment' }
  /** Message ids the records already hold (read back after a restart), so a resend is not stored twice. */
  | { op: 'seen'; traineeId: string; msgIds: string[] };

export type EngineOp = RecordOp | MemoryOp;

const MEMORY_ONLY = new Set<EngineOp['op']>(['dismissAssessment', 'seen']);

/** The operations of a batch that the records store (the rest change memory only). */
export function recordOps(ops: readonly EngineOp[]): RecordOp[] {
  return ops.filter((o): o is RecordOp => !MEMORY_ONLY.has(o.op));
}

/** The operation that begins a session with a deck: what the records keep of the course for certification. */
export function sessionOp(
  id: string,
  roomCode: string,
  d: Deck,
  at: number,
): Extract<RecordOp, { op: 'session' }> {
  return {
    op: 'session',
    id,
    roomCode,
    course: d.course,
    courseTitle: d.courseTitle,
    courseNumber: d.courseNumber ?? null,
    creditHours: d.creditHours ?? null,
    passMark: d.passMark ?? null,
    file: d.file,
    title: d.title,
    at,
  };
}
