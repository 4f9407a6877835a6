/** The Q&A board: trainees ask (named or anonymous) and vote; the instructor moderates. Decisions only. */
import type { EngineState, Outcome } from './state';
import { fail, live, nothing } from './state';

/** A trainee asks a question, named or anonymous; it waits for the instructor's approval. */
export function ask(
  s: EngineState,
  input: {
    qaId: string;
    traineeId: string;
    text: string;
    anonymous: boolean;
    msgId: string;
    now: number;
  },
): Outcome<{ duplicate: boolean }> {
  const session = live(s);
  if (!session) return fail('closed', 'no class is running');
  if (!s.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
  if (s.qaMsgIds.has(input.msgId))
    return { ok: true, ops: [], traineesChanged: false, duplicate: true };
  const text = input.text.trim();
  if (!text) return fail('invalid', 'type a question');
  const traineeId = input.anonymous ? null : input.traineeId;
  return {
    ok: true,
    duplicate: false,
    traineesChanged: false,
    ops: [
      {
        op: 'qaAsk',
        id: input.qaId,
        sessionId: session.id,
        traineeId,
        text,
        anonymous: input.anonymous,
        msgId: input.msgId,
        at: input.now,
      },
    ],
  };
}

/** One vote per trainee per question; voting again changes nothing. */
export function vote(
  s: EngineState,
  input: { qaId: string; traineeId: string; now: number },
): Outcome {
  const q = s.qa.get(input.qaId);
  if (!live(s)) return fail('closed', 'no class is running');
  if (!s.trainees.has(input.traineeId)) return fail('forbidden', 'join the class first');
  if (!q || (q.status !== 'approved' && q.status !== 'answered'))
    return fail('not-found', 'that question is not on the board');
  if (q.votes.has(input.traineeId)) return nothing();
  // Votes arrive in bursts: the server coalesces the board's broadcast rather than sending one per vote.
  return {
    ok: true,
    ops: [{ op: 'qaVote', qaId: q.id, traineeId: input.traineeId, at: input.now }],
    traineesChanged: false,
  };
}

export function moderate(
  s: EngineState,
  input: { qaId: string; action: 'approve' | 'hide' | 'answered' | 'pin' | 'unpin'; now: number },
): Outcome {
  const q = s.qa.get(input.qaId);
  if (!live(s) || !q) return fail('not-found', 'no such question');
  const pinned = input.action === 'pin' ? true : input.action === 'unpin' ? false : q.pinned;
  const status =
    input.action === 'approve'
      ? 'approved'
      : input.action === 'hide'
        ? 'hidden'
        : input.action === 'answered'
          ? 'answered'
          : q.status;
  return {
    ok: true,
    ops: [{ op: 'qaModerate', qaId: q.id, status, pinned, at: input.now }],
    traineesChanged: true,
  };
}
