/**
 * The write path of the records: the engine's record operations (session/ops.ts) as SQL, each
 * batch in one transaction. The statements are prepared once; an operation that corrects or
 * rebinds something writes its audit_log row in the same transaction (docs/ARCHITECTURE.md,
 * rule 7), so a correction is never stored without who, when and why.
 */
import type Database from 'better-sqlite3';
import type { RecordOp } from '../session/ops';
import type { RosterSummary } from '../../shared/roster';

function prepare(db: Database.Database) {
  return {
    session: db.prepare(
      `INSERT INTO sessions (id, room_code, course, course_title, course_number, credit_hours, pass_mark, deck_file, title, started_at)
       VALUES (@id, @roomCode, @course, @courseTitle, @courseNumber, @creditHours, @passMark, @file, @title, @at)`,
    ),
    slide: db.prepare(
      `UPDATE sessions SET slide_index = @index, slide_at = @at WHERE id = @sessionId`,
    ),
    module: db.prepare(
      `INSERT INTO session_modules (session_id, deck_file, title, at) VALUES (@sessionId, @file, @title, @at)`,
    ),
    moduleDeck: db.prepare(
      `UPDATE sessions SET deck_file = @file, slide_index = 0, slide_at = @at WHERE id = @sessionId`,
    ),
    end: db.prepare(`UPDATE sessions SET ended_at = @at WHERE id = @sessionId`),
    trainee: db.prepare(
      `INSERT INTO trainees (id, session_id, name, officer_id, agency, joined_at) VALUES (@id, @sessionId, @name, @officerId, @agency, @at)`,
    ),
    device: db.prepare(
      `INSERT OR REPLACE INTO devices (token_hash, trainee_id, bound_at) VALUES (@tokenHash, @traineeId, @at)`,
    ),
    attendance: db.prepare(
      `INSERT INTO attendance (session_id, trainee_id, event, at) VALUES (@sessionId, @traineeId, @event, @at)`,
    ),
    runOpen: db.prepare(
      `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, deadline) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @deadline)`,
    ),
    runClose: db.prepare(
      `UPDATE question_runs SET closed_at = @at WHERE id = @runId AND closed_at IS NULL`,
    ),
    runReveal: db.prepare(`UPDATE question_runs SET revealed_at = @at WHERE id = @runId`),
    answerLog: db.prepare(
      `INSERT INTO answer_log (trainee_id, msg_id, session_id, run_id, value_json, correct, at) VALUES (@traineeId, @msgId, @sessionId, @runId, @valueJson, @correct, @at)`,
    ),
    scenarioStep: db.prepare(
      `INSERT INTO scenario_steps (session_id, slide_index, scenario_id, play_id, step, from_node, option_id, to_node, run_id, at)
       VALUES (@sessionId, @slideIndex, @scenarioId, @playId, @step, @fromNode, @optionId, @toNode, @runId, @at)`,
    ),
    qaAsk: db.prepare(
      `INSERT INTO qa_questions (id, session_id, trainee_id, text, anonymous, status, msg_id, created_at)
       VALUES (@id, @sessionId, @traineeId, @text, @anonymousInt, 'pending', @msgId, @at)`,
    ),
    qaVote: db.prepare(
      `INSERT OR IGNORE INTO qa_votes (question_id, trainee_id, at) VALUES (@qaId, @traineeId, @at)`,
    ),
    qaVoteCount: db.prepare(
      `UPDATE qa_questions SET votes = (SELECT COUNT(*) FROM qa_votes WHERE question_id = @qaId) WHERE id = @qaId`,
    ),
    qaModerate: db.prepare(
      `UPDATE qa_questions SET status = @status, pinned = @pinnedInt WHERE id = @qaId`,
    ),
    correctTrainee: db.prepare(
      `UPDATE trainees SET name = @name, officer_id = @officerId, agency = @agency WHERE id = @traineeId`,
    ),
    moveDevices: db.prepare(
      `UPDATE devices SET trainee_id = @toTraineeId, bound_at = @at WHERE trainee_id = @fromTraineeId AND revoked_at IS NULL`,
    ),
    revokeDevice: db.prepare(
      `UPDATE devices SET revoked_at = @at WHERE token_hash = @tokenHash AND revoked_at IS NULL`,
    ),
    audit: db.prepare(
      `INSERT INTO audit_log (session_id, at, actor, action, entity, entity_id, before_json, after_json, reason)
       VALUES (@sessionId, @at, @actor, @action, @entity, @entityId, @before, @after, @reason)`,
    ),
    sessionDetails: db.prepare(
      `UPDATE sessions SET instructors = @instructors, location = @location WHERE id = @sessionId`,
    ),
    adoptRoster: db.prepare(
      `UPDATE roster_entries SET session_id = @sessionId WHERE session_id IS NULL`,
    ),
    rosterClear: db.prepare(`DELETE FROM roster_entries WHERE session_id IS @sessionId`),
    rosterEntry: db.prepare(
      `INSERT INTO roster_entries (session_id, roster_name, officer_id, name, agency, email, first_name, last_name, imported_at)
       VALUES (@sessionId, @rosterName, @officerId, @name, @agency, @email, @firstName, @lastName, @at)`,
    ),
    assessmentOpen: db.prepare(
      `INSERT INTO assessments (id, session_id, key, kind, assessment_id, title, opened_at) VALUES (@id, @sessionId, @key, @kind, @assessmentId, @title, @at)`,
    ),
    assessmentRun: db.prepare(
      `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, assessment_id, position) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @assessmentId, @position)`,
    ),
    assessmentClose: db.prepare(
      `UPDATE assessments SET closed_at = @at WHERE id = @id AND closed_at IS NULL`,
    ),
    assessmentCloseRuns: db.prepare(
      `UPDATE question_runs SET closed_at = @at WHERE assessment_id = @id AND closed_at IS NULL`,
    ),
    assessmentSubmit: db.prepare(
      `INSERT INTO assessment_submissions (assessment_id, trainee_id, session_id, msg_id, submitted_at) VALUES (@assessmentId, @traineeId, @sessionId, @msgId, @at)`,
    ),
    response: db.prepare(
      `INSERT INTO responses (run_id, trainee_id, session_id, value_json, correct, first_at, answered_at) VALUES (@runId, @traineeId, @sessionId, @valueJson, @correct, @at, @at)
       ON CONFLICT (run_id, trainee_id) DO UPDATE SET value_json = excluded.value_json, correct = excluded.correct, answered_at = excluded.answered_at, changes = changes + 1`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;
/** The roster a session has (null: the one waiting for the next session), or null when there is none. */
type RosterSummaryOf = (sessionId: string | null) => RosterSummary | null;

function writeOne(s: Statements, op: RecordOp, rosterSummary: RosterSummaryOf): void {
  switch (op.op) {
    case 'session':
      s.session.run(op);
      s.module.run({ sessionId: op.id, file: op.file, title: op.title, at: op.at });
      break;
    case 'module':
      s.moduleDeck.run(op);
      s.module.run(op);
      break;
    case 'slide':
      s.slide.run(op);
      break;
    case 'end':
      s.end.run(op);
      break;
    case 'trainee':
      s.trainee.run(op);
      break;
    case 'device':
      s.device.run(op);
      break;
    case 'attendance':
      s.attendance.run(op);
      break;
    case 'runOpen':
      s.runOpen.run({
        ...op,
        questionId: op.question.id,
        questionJson: JSON.stringify(op.question),
      });
      break;
    case 'runClose':
      s.runClose.run(op);
      break;
    case 'runReveal':
      s.runReveal.run(op);
      break;
    case 'answer': {
      const row = {
        ...op,
        valueJson: JSON.stringify(op.value),
        correct: op.correct === null ? null : op.correct ? 1 : 0,
      };
      s.answerLog.run(row);
      s.response.run(row);
      break;
    }
    case 'scenarioStep':
      s.scenarioStep.run(op);
      break;
    case 'assessmentOpen':
      s.assessmentOpen.run(op);
      for (const r of op.runs)
        s.assessmentRun.run({
          runId: r.runId,
          sessionId: op.sessionId,
          slideIndex: op.slideIndex,
          questionId: r.question.id,
          questionJson: JSON.stringify(r.question),
          at: op.at,
          assessmentId: op.id,
          position: r.position,
        });
      break;
    case 'assessmentClose':
      s.assessmentClose.run(op);
      s.assessmentCloseRuns.run(op);
      break;
    case 'assessmentSubmit':
      s.assessmentSubmit.run(op);
      break;
    case 'qaAsk':
      s.qaAsk.run({ ...op, anonymousInt: op.anonymous ? 1 : 0 });
      break;
    case 'qaVote':
      s.qaVote.run(op);
      s.qaVoteCount.run(op);
      break;
    case 'qaModerate':
      s.qaModerate.run({ ...op, pinnedInt: op.pinned ? 1 : 0 });
      break;
    case 'correctTrainee':
      s.correctTrainee.run({ traineeId: op.traineeId, ...op.after });
      s.audit.run({
        ...op,
        action: 'correctTrainee',
        entity: 'trainee',
        entityId: op.traineeId,
        before: JSON.stringify(op.before),
        after: JSON.stringify(op.after),
      });
      break;
    case 'sessionDetails':
      s.sessionDetails.run({ sessionId: op.sessionId, ...op.after });
      s.audit.run({
        ...op,
        action: 'sessionDetails',
        entity: 'session',
        entityId: op.sessionId,
        before: JSON.stringify(op.before),
        after: JSON.stringify(op.after),
        reason:
          op.before.instructors || op.before.location
            ? 'session details changed by the instructor'
            : 'session details entered by the instructor',
      });
      break;
    case 'rebind':
      for (const tokenHash of op.revoked) s.revokeDevice.run({ tokenHash, at: op.at });
      s.device.run(op);
      s.audit.run({
        sessionId: op.sessionId,
        at: op.at,
        actor: op.actor,
        action: 'rebindDevice',
        entity: 'trainee',
        entityId: op.traineeId,
        before: JSON.stringify(op.before),
        after: JSON.stringify(op.after),
        reason: op.reason,
      });
      break;
    case 'claimRefused':
      s.audit.run({
        sessionId: op.sessionId,
        at: op.at,
        actor: op.actor,
        action: 'refuseClaim',
        entity: 'trainee',
        entityId: op.traineeId,
        before: null,
        after: JSON.stringify({ claimed: op.claimed }),
        reason: op.reason,
      });
      break;
    case 'moveDevice':
      s.moveDevices.run(op);
      s.audit.run({
        ...op,
        action: 'moveDevice',
        entity: 'device',
        entityId: op.fromTraineeId,
        before: JSON.stringify(op.before),
        after: JSON.stringify(op.after),
      });
      break;
    case 'adoptRoster': {
      // The session's own audit log says which roster it used (the import row has no session).
      const pending = rosterSummary(null);
      if (!pending) break;
      s.adoptRoster.run(op);
      s.audit.run({
        sessionId: op.sessionId,
        at: op.at,
        actor: 'instructor',
        action: 'adoptRoster',
        entity: 'roster',
        entityId: pending.name,
        before: null,
        after: JSON.stringify({ name: pending.name, entries: pending.entries }),
        reason: `Roster imported ${new Date(pending.importedAt).toISOString()}, before the session; adopted when it started`,
      });
      break;
    }
    case 'roster': {
      const prev = rosterSummary(op.sessionId);
      s.rosterClear.run(op);
      for (const e of op.entries)
        s.rosterEntry.run({
          sessionId: op.sessionId,
          rosterName: op.name,
          officerId: e.officerId,
          name: e.name,
          agency: e.agency,
          email: e.email || null,
          firstName: e.firstName || null,
          lastName: e.lastName || null,
          at: op.at,
        });
      s.audit.run({
        sessionId: op.sessionId,
        at: op.at,
        actor: op.actor,
        action: 'importRoster',
        entity: 'roster',
        entityId: op.name,
        before: prev ? JSON.stringify(prev) : null,
        after: JSON.stringify({ name: op.name, entries: op.entries.length }),
        reason: op.reason,
      });
      break;
    }
    default: {
      const never: never = op;
      throw new Error(`unknown record op ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The function that writes a batch of operations in one transaction: all of it is stored, or none
 * of it. `rosterSummary` is read for the audit rows of a roster import and of its adoption.
 */
export function recordWriter(
  db: Database.Database,
  rosterSummary: RosterSummaryOf,
): (ops: RecordOp[]) => void {
  const s = prepare(db);
  return db.transaction((ops: RecordOp[]) => {
    for (const op of ops) writeOne(s, op, rosterSummary);
  });
}
