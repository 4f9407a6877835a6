/**
 * The one way the engine's memory changes: an operation the records have committed (or one that
 * only memory keeps, in the same order) is applied here. Restoring a session after a restart is the
 * same thing: the records are read back as operations (restore.ts) and applied one by one, so
 * there is no second path that could disagree with the first.
 */
import type { Deck } from '../../shared/course';
import { normOfficerId } from '../../shared/identity';
import type { EngineOp } from './ops';
import type { EngineState, Run } from './state';
import { emptyState } from './state';

export interface ApplyContext {
  /** The deck a session or module op names; the records keep its course and file, the content its slides. */
  deck(course: string, file: string): Deck | undefined;
}

function seen(s: EngineState, traineeId: string): Set<string> {
  let set = s.msgIds.get(traineeId);
  if (!set) s.msgIds.set(traineeId, (set = new Set()));
  return set;
}

/** The run an answer belongs to: a question of the open assessment, or the live question. */
function runOf(s: EngineState, runId: string): Run | undefined {
  return s.assessment?.byRun.get(runId) ?? (s.run?.runId === runId ? s.run : undefined);
}

function enterSlide(s: EngineState, index: number, playId: string): void {
  const session = s.session!;
  session.slideIndex = index;
  s.run = null;
  const def = session.deck.slides[index]?.scenarioDef;
  s.scenario = def ? { def, playId, node: def.start, path: [] } : null;
}

export function applyOp(s: EngineState, op: EngineOp, ctx: ApplyContext): void {
  switch (op.op) {
    case 'session': {
      const deck = ctx.deck(op.course, op.file);
      if (!deck) throw new Error(`the deck ${op.course}/${op.file} is not loaded`);
      Object.assign(s, emptyState());
      s.session = {
        id: op.id,
        roomCode: op.roomCode,
        deck,
        slideIndex: 0,
        phase: 'lobby',
        startedAt: op.at,
        moduleStartedAt: op.at,
        instructors: '',
        location: '',
      };
      enterSlide(s, 0, `play-0-${op.at}`);
      return;
    }
    case 'slide':
      enterSlide(s, op.index, op.playId ?? `play-${op.index}`);
      s.session!.phase = 'presenting';
      return;
    case 'module': {
      const session = s.session!;
      const deck = ctx.deck(session.deck.course, op.file);
      if (!deck) throw new Error(`the deck ${session.deck.course}/${op.file} is not loaded`);
      session.deck = deck;
      session.moduleStartedAt = op.at;
      if (session.phase !== 'lobby') session.phase = 'presenting';
      enterSlide(s, 0, `play-0-${op.at}`);
      return;
    }
    case 'end':
      s.session!.phase = 'ended';
      return;
    case 'trainee':
      s.trainees.set(op.id, {
        id: op.id,
        name: op.name,
        officerId: op.officerId,
        agency: op.agency,
      });
      s.byOfficerId.set(normOfficerId(op.officerId), op.id);
      return;
    case 'device':
      s.byToken.set(op.tokenHash, op.traineeId);
      return;
    case 'rebind':
      for (const hash of op.revoked) s.byToken.delete(hash);
      s.byToken.set(op.tokenHash, op.traineeId);
      return;
    case 'claimRefused':
    case 'attendance':
      // Audit and attendance rows: who is connected is the classroom's, not the engine's.
      return;
    case 'runOpen':
      s.run = {
        runId: op.runId,
        q: op.question,
        slideIndex: op.slideIndex,
        openedAt: op.at,
        deadline: op.deadline,
        closedAt: null,
        revealed: false,
        answers: new Map(),
      };
      s.session!.phase = 'question';
      return;
    case 'runClose':
      if (s.run?.runId !== op.runId) return;
      s.run.closedAt = op.at;
      if (s.session!.phase === 'question') s.session!.phase = 'closed';
      return;
    case 'runReveal':
      if (s.run?.runId !== op.runId) return;
      s.run.revealed = true;
      s.session!.phase = 'results';
      return;
    case 'answer':
      runOf(s, op.runId)?.answers.set(op.traineeId, {
        value: op.value,
        at: op.at,
        msgId: op.msgId,
      });
      if (op.msgId) seen(s, op.traineeId).add(op.msgId);
      return;
    case 'scenarioStep': {
      const sc = s.scenario;
      if (!sc) return;
      sc.playId = op.playId;
      sc.path.push({
        fromNode: op.fromNode,
        optionId: op.optionId,
        toNode: op.toNode,
        runId: op.runId,
      });
      sc.node = op.toNode;
      s.run = null;
      s.session!.phase = 'presenting';
      return;
    }
    case 'sessionDetails':
      s.session!.instructors = op.after.instructors;
      s.session!.location = op.after.location;
      return;
    case 'qaAsk':
      s.qa.set(op.id, {
        id: op.id,
        traineeId: op.traineeId,
        text: op.text,
        anonymous: op.anonymous,
        status: 'pending',
        pinned: false,
        votes: new Set(),
        at: op.at,
      });
      s.qaMsgIds.add(op.msgId);
      return;
    case 'qaVote':
      s.qa.get(op.qaId)?.votes.add(op.traineeId);
      return;
    case 'qaModerate': {
      const q = s.qa.get(op.qaId);
      if (!q) return;
      q.status = op.status;
      q.pinned = op.pinned;
      return;
    }
    case 'correctTrainee': {
      const t = s.trainees.get(op.traineeId);
      if (!t) return;
      s.byOfficerId.delete(normOfficerId(t.officerId));
      Object.assign(t, op.after);
      s.byOfficerId.set(normOfficerId(t.officerId), t.id);
      return;
    }
    case 'moveDevice':
      for (const [hash, id] of s.byToken)
        if (id === op.fromTraineeId) s.byToken.set(hash, op.toTraineeId);
      return;
    case 'adoptRoster':
      if (s.session?.id === op.sessionId) s.roster = rosterMap(op.entries);
      return;
    case 'roster':
      if (op.sessionId !== null && s.session?.id === op.sessionId) s.roster = rosterMap(op.entries);
      return;
    case 'assessmentOpen': {
      const runs: Run[] = op.runs.map((r) => ({
        runId: r.runId,
        q: r.question,
        slideIndex: op.slideIndex,
        openedAt: op.at,
        deadline: null,
        closedAt: null,
        revealed: false,
        answers: new Map(),
      }));
      s.assessment = {
        id: op.id,
        key: op.key,
        kind: op.kind,
        assessmentId: op.assessmentId,
        title: op.title,
        openedAt: op.at,
        closedAt: null,
        runs,
        byRun: new Map(runs.map((r) => [r.runId, r])),
        submitted: new Map(),
      };
      return;
    }
    case 'assessmentClose': {
      const a = s.assessment;
      if (a?.id !== op.id) return;
      a.closedAt = op.at;
      for (const r of a.runs) r.closedAt = op.at;
      return;
    }
    case 'assessmentSubmit':
      if (s.assessment?.id === op.assessmentId) s.assessment.submitted.set(op.traineeId, op.at);
      return;
    case 'dismissAssessment':
      s.assessment = null;
      return;
    case 'seen': {
      const set = seen(s, op.traineeId);
      for (const id of op.msgIds) set.add(id);
      return;
    }
    default: {
      const never: never = op;
      throw new Error(`unknown operation ${JSON.stringify(never)}`);
    }
  }
}

function rosterMap(
  entries: readonly { officerId: string; name: string }[],
): Map<string, string> | null {
  return entries.length ? new Map(entries.map((e) => [normOfficerId(e.officerId), e.name])) : null;
}
