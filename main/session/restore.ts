/**
 * A session read back from the records after a restart, as the operations that built it. Applying
 * them (apply.ts) is the same path every live change takes, so a restored class is exactly what the
 * records hold — nothing more, nothing less.
 */
import type { EngineOp } from './ops';
import { sessionOp } from './ops';
import type { Snapshot } from './state';

export function restoreOps(snap: Snapshot): EngineOp[] {
  const s = snap.session;
  const d = s.deck;
  const sessionId = s.id;
  const ops: EngineOp[] = [sessionOp(sessionId, s.roomCode, d, s.startedAt)];
  if (s.moduleStartedAt !== undefined && s.moduleStartedAt !== s.startedAt)
    ops.push({ op: 'module', sessionId, file: d.file, title: d.title, at: s.moduleStartedAt });
  if (s.phase !== 'lobby')
    ops.push({
      op: 'slide',
      sessionId,
      index: s.slideIndex,
      playId: snap.scenario?.playId ?? 'restored',
      at: s.moduleStartedAt ?? s.startedAt,
    });
  if (s.instructors || s.location)
    ops.push({
      op: 'sessionDetails',
      sessionId,
      before: { instructors: '', location: '' },
      after: { instructors: s.instructors ?? '', location: s.location ?? '' },
      actor: 'restore',
      at: s.startedAt,
    });
  if (snap.roster?.length)
    ops.push({ op: 'adoptRoster', sessionId, entries: snap.roster, at: s.startedAt });
  for (const t of snap.trainees)
    ops.push({
      op: 'trainee',
      id: t.id,
      sessionId,
      name: t.name,
      officerId: t.officerId,
      agency: t.agency,
      at: s.startedAt,
    });
  for (const t of snap.tokens)
    ops.push({ op: 'device', traineeId: t.traineeId, tokenHash: t.tokenHash, at: s.startedAt });
  const seen = new Map<string, string[]>();
  for (const m of snap.msgIds) {
    const list = seen.get(m.traineeId);
    if (list) list.push(m.msgId);
    else seen.set(m.traineeId, [m.msgId]);
  }
  for (const [traineeId, msgIds] of seen) ops.push({ op: 'seen', traineeId, msgIds });
  snap.scenario?.steps.forEach((st, i) =>
    ops.push({
      op: 'scenarioStep',
      sessionId,
      slideIndex: s.slideIndex,
      scenarioId: '',
      playId: snap.scenario!.playId,
      step: i + 1,
      ...st,
      at: s.startedAt,
    }),
  );
  const r = snap.run;
  if (r) {
    ops.push({
      op: 'runOpen',
      runId: r.runId,
      sessionId,
      slideIndex: r.slideIndex,
      question: r.q,
      at: r.openedAt,
      deadline: r.deadline,
    });
    for (const a of snap.answers)
      ops.push({
        op: 'answer',
        runId: r.runId,
        sessionId,
        traineeId: a.traineeId,
        msgId: a.msgId,
        value: a.value,
        correct: null,
        at: a.at,
      });
    if (r.closedAt !== null) ops.push({ op: 'runClose', runId: r.runId, at: r.closedAt });
    if (r.revealed) ops.push({ op: 'runReveal', runId: r.runId, at: r.closedAt ?? r.openedAt });
  }
  for (const q of snap.qa) {
    ops.push({
      op: 'qaAsk',
      id: q.id,
      sessionId,
      traineeId: q.traineeId,
      text: q.text,
      anonymous: q.anonymous,
      msgId: q.msgId,
      at: q.at,
    });
    if (q.status !== 'pending' || q.pinned)
      ops.push({ op: 'qaModerate', qaId: q.id, status: q.status, pinned: q.pinned, at: q.at });
    for (const v of q.voters) ops.push({ op: 'qaVote', qaId: q.id, traineeId: v, at: q.at });
  }
  const a = snap.assessment;
  if (a) {
    ops.push({
      op: 'assessmentOpen',
      id: a.id,
      sessionId,
      key: a.key,
      kind: a.kind,
      assessmentId: a.assessmentId,
      title: a.title,
      slideIndex: a.runs[0]?.slideIndex ?? s.slideIndex,
      runs: a.runs.map((x, position) => ({ runId: x.runId, position, question: x.q })),
      at: a.openedAt,
    });
    for (const x of a.answers)
      ops.push({
        op: 'answer',
        runId: x.runId,
        sessionId,
        traineeId: x.traineeId,
        msgId: '',
        value: x.value,
        correct: null,
        at: x.at,
      });
    for (const x of a.submitted)
      ops.push({
        op: 'assessmentSubmit',
        assessmentId: a.id,
        traineeId: x.traineeId,
        sessionId,
        msgId: '',
        at: x.at,
      });
  }
  return ops;
}
