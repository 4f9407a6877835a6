/**
 * Roll call: who is in the class and which phones speak for them. Decisions only — each returns
 * the operations to commit, and changes nothing itself (apply.ts does, once they are stored).
 *
 * Who is connected is not known here (the classroom keeps it): attendance rows and the question
 * of whether an officer ID's phone is still around are the classroom's to add and to decide.
 */
import { normOfficerId } from '../../shared/identity';
import type { RecordOp, TraineeIdentity } from './ops';
import type { EngineState, Outcome, Trainee } from './state';
import { fail, live } from './state';

const REASON_MAX = 500;

/** The trainee an officer ID belongs to in this session, if any. */
export function officerHolder(s: EngineState, officerId: string): string | undefined {
  return s.byOfficerId.get(normOfficerId(officerId));
}

/** The token hashes bound to a trainee: their phones. */
export function phonesOf(s: EngineState, traineeId: string): string[] {
  const out: string[] = [];
  for (const [hash, id] of s.byToken) if (id === traineeId) out.push(hash);
  return out;
}

/**
 * A new trainee joins with the room code. An officer ID already in the class is not joined again
 * here: that is a claim on someone's identity, which the classroom settles (see rebind).
 */
export function join(
  s: EngineState,
  input: {
    traineeId: string;
    tokenHash: string;
    name: string;
    officerId: string;
    agency: string;
    roomCode: string;
    now: number;
  },
): Outcome<{ traineeId: string }> {
  const session = live(s);
  if (!session) return fail('room', 'no class is running; ask the instructor');
  if (input.roomCode !== session.roomCode)
    return fail('room', 'that room code is not this class; check the code on the screen');
  if (officerHolder(s, input.officerId) !== undefined)
    return fail('invalid', 'that officer ID is already in this class');
  const id = input.traineeId;
  return {
    ok: true,
    traineesChanged: false,
    traineeId: id,
    ops: [
      {
        op: 'trainee',
        id,
        sessionId: session.id,
        name: input.name,
        officerId: input.officerId,
        agency: input.agency,
        at: input.now,
      },
      { op: 'device', traineeId: id, tokenHash: input.tokenHash, at: input.now },
    ],
  };
}

/**
 * A phone comes back with its token (reload, sleep, network change). After End session it is
 * still recognised, so it can show that the class is over and its attendance saved.
 */
export function resume(
  s: EngineState,
  input: { tokenHash: string },
): Outcome<{ traineeId: string; ended: boolean }> {
  if (!s.session) return fail('room', 'no class is running');
  const id = s.byToken.get(input.tokenHash);
  if (!id) return fail('not-found', 'this phone is not part of the class; join again');
  return {
    ok: true,
    ops: [],
    traineesChanged: false,
    traineeId: id,
    ended: s.session.phase === 'ended',
  };
}

/**
 * Binds a new phone to a trainee in place of the ones they had: the instructor allowed a claim on
 * their officer ID, or the old phone had been gone long enough to be let go. The old tokens stop
 * working; the audit log keeps who, when and why.
 */
export function rebind(
  s: EngineState,
  input: {
    traineeId: string;
    tokenHash: string;
    connected: boolean;
    reason: string;
    actor: string;
    now: number;
  },
): Outcome<{ revoked: string[] }> {
  const session = live(s);
  if (!session) return fail('room', 'no class is running');
  const t = s.trainees.get(input.traineeId);
  if (!t) return fail('not-found', 'no such trainee in this session');
  const reason = input.reason.trim();
  if (!reason || reason.length > REASON_MAX)
    return fail('invalid', 'a new phone for a trainee needs a reason (1–500 characters)');
  const revoked = phonesOf(s, t.id);
  const op: RecordOp = {
    op: 'rebind',
    sessionId: session.id,
    traineeId: t.id,
    tokenHash: input.tokenHash,
    revoked,
    before: { phones: revoked.length, connected: input.connected },
    after: { phones: 1, name: t.name, officerId: t.officerId },
    reason,
    actor: input.actor,
    at: input.now,
  };
  return { ok: true, traineesChanged: false, ops: [op], revoked };
}

/** The instructor refused a phone's claim on a trainee's officer ID: only the audit log changes. */
export function refuseClaim(
  s: EngineState,
  input: {
    traineeId: string;
    claimed: TraineeIdentity;
    reason: string;
    actor: string;
    now: number;
  },
): Outcome {
  const session = live(s);
  if (!session) return fail('room', 'no class is running');
  if (!s.trainees.has(input.traineeId)) return fail('not-found', 'no such trainee in this session');
  const reason = input.reason.trim().slice(0, REASON_MAX) || 'refused by the instructor';
  return {
    ok: true,
    traineesChanged: false,
    ops: [
      {
        op: 'claimRefused',
        sessionId: session.id,
        traineeId: input.traineeId,
        claimed: input.claimed,
        reason,
        actor: input.actor,
        at: input.now,
      },
    ],
  };
}

/**
 * The instructor corrects who a trainee is (a typo in the name, the wrong officer ID …). The
 * trainee row is updated and the audit log gets who, when, why, before and after.
 */
export function correctTrainee(
  s: EngineState,
  input: {
    traineeId: string;
    name?: string;
    officerId?: string;
    agency?: string;
    reason: string;
    actor: string;
    now: number;
  },
): Outcome {
  const session = s.session;
  if (!session) return fail('invalid', 'start a session first');
  const t = s.trainees.get(input.traineeId);
  if (!t) return fail('not-found', 'no such trainee in this session');
  const reason = input.reason.trim();
  if (!reason || reason.length > REASON_MAX)
    return fail('invalid', 'a correction needs a reason (1–500 characters)');
  const before: TraineeIdentity = { name: t.name, officerId: t.officerId, agency: t.agency };
  const after: TraineeIdentity = {
    name: input.name?.trim() || t.name,
    officerId: input.officerId?.trim() || t.officerId,
    agency: input.agency?.trim() || t.agency,
  };
  if (
    after.name === before.name &&
    after.officerId === before.officerId &&
    after.agency === before.agency
  )
    return fail(
      'invalid',
      'nothing to correct: the name, officer ID and agency are what they were',
    );
  const other = officerHolder(s, after.officerId);
  if (other !== undefined && other !== t.id)
    return fail(
      'invalid',
      `officer ID ${after.officerId} already belongs to ${s.trainees.get(other)?.name ?? 'another trainee'}; to put this phone on that trainee, move the phone instead`,
    );
  return {
    ok: true,
    traineesChanged: false,
    ops: [
      {
        op: 'correctTrainee',
        sessionId: session.id,
        traineeId: t.id,
        before,
        after,
        reason,
        actor: input.actor,
        at: input.now,
      },
    ],
  };
}

/**
 * Moves the phones of one trainee to another (someone joined on a borrowed phone, or under the
 * wrong officer ID): the phones' tokens then belong to `toTraineeId`. Audit-logged like a
 * correction; the classroom moves the open connections and records the attendance.
 */
export function moveDevice(
  s: EngineState,
  input: { fromTraineeId: string; toTraineeId: string; reason: string; actor: string; now: number },
): Outcome<{ moved: number }> {
  const session = live(s);
  if (!session) return fail('invalid', 'no class is running');
  const from = s.trainees.get(input.fromTraineeId);
  const to = s.trainees.get(input.toTraineeId);
  if (!from || !to) return fail('not-found', 'no such trainee in this session');
  if (from === to) return fail('invalid', 'choose another trainee to move the phone to');
  const reason = input.reason.trim();
  if (!reason || reason.length > REASON_MAX)
    return fail('invalid', 'moving a phone needs a reason (1–500 characters)');
  const tokens = phonesOf(s, from.id);
  if (!tokens.length) return fail('invalid', `${from.name} has no phone to move`);
  const who = (t: Trainee) => ({
    id: t.id,
    name: t.name,
    officerId: t.officerId,
    agency: t.agency,
  });
  const toPhones = phonesOf(s, to.id).length;
  return {
    ok: true,
    traineesChanged: false,
    moved: tokens.length,
    ops: [
      {
        op: 'moveDevice',
        sessionId: session.id,
        fromTraineeId: from.id,
        toTraineeId: to.id,
        before: { phones: tokens.length, trainee: who(from) },
        after: { phones: toPhones + tokens.length, trainee: who(to) },
        reason,
        actor: input.actor,
        at: input.now,
      },
    ],
  };
}

/** The name on the roster for an officer ID; undefined when it is not on it (or there is no roster). */
export function rosterName(s: EngineState, officerId: string): string | undefined {
  return s.roster?.get(normOfficerId(officerId));
}
