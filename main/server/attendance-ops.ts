/**
 * The attendance the classroom adds to an instructor's command, from who is connected (presence,
 * which is not a record): leaves when the class ends, and the moves when phones change trainee.
 */
import type { EngineOp, Outcome, SessionEngine } from '../session/engine';
import type { Presence } from './presence';

/** The running session (`s`), if any. */
type LiveSession = ReturnType<SessionEngine['live']>;

/** Ending the class: a `leave` for every trainee still connected. */
export function withLeaves(o: Outcome, s: LiveSession, presence: Presence, now: number): Outcome {
  if (!o.ok || !s) return o;
  const leaves: EngineOp[] = presence.connectedIds().map((traineeId) => ({
    op: 'attendance',
    sessionId: s.id,
    traineeId,
    event: 'leave',
    at: now,
  }));
  // Before the `end` row, so the attendance closes inside the session.
  return { ...o, ops: [...leaves, ...o.ops] };
}

/** Moving phones: attendance follows the open sockets from one trainee to the other. */
export function withMoveAttendance(
  o: Outcome,
  s: LiveSession,
  presence: Presence,
  from: string,
  to: string,
  now: number,
): Outcome {
  if (!o.ok || !s || !presence.connected(from)) return o;
  const ops: EngineOp[] = [
    { op: 'attendance', sessionId: s.id, traineeId: from, event: 'leave', at: now },
  ];
  if (!presence.connected(to))
    ops.push({ op: 'attendance', sessionId: s.id, traineeId: to, event: 'join', at: now });
  return { ...o, ops: [...o.ops, ...ops] };
}
