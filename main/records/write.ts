/**
 * The write path of the records: the engine's record operations (session/ops.ts) as SQL, each
 * batch in one transaction. The statements are prepared once; an operation that corrects or
 * rebinds something writes its audit_log row in the same transaction (docs/ARCHITECTURE.md,
 * rule 7), so a correction is never stored without who, when and why.
 */
import type Database from 'better-sqlite3';
import type { RecordOp } from '../session/ops';
import type { RosterSummary } from '../../shared/roster';

/** Every statement of the write path, by name: prepared here, and by the off-thread writer (writer-worker.mjs). */
export const SQL = {
  session: `INSERT INTO sessions (id, room_code, course, course_title, course_number, credit_hours, pass_mark, deck_file, title, started_at)
     VALUES (@id, @roomCode, @course, @courseTitle, @courseNumber, @creditHours, @passMark, @file, @title, @at)`,
  slide: `UPDATE sessions SET slide_index = @index, slide_at = @at WHERE id = @sessionId`,
  module: `INSERT INTO session_modules (session_id, deck_file, title, at) VALUES (@sessionId, @file, @title, @at)`,
  moduleDeck: `UPDATE sessions SET deck_file = @file, slide_index = 0, slide_at = @at WHERE id = @sessionId`,
  end: `UPDATE sessions SET ended_at = @at WHERE id = @sessionId`,
  // A room joining comes in runs too (see writeArrivals): each run's trainees, then their phones,
  // then their attendance, one statement each, from one JSON array of rows.
  trainees: `INSERT INTO trainees (id, session_id, name, officer_id, agency, joined_at)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM jsonb_each(?) ORDER BY key`,
  devices: `INSERT OR REPLACE INTO devices (token_hash, trainee_id, bound_at)
     SELECT value ->> 0, value ->> 1, value ->> 2 FROM jsonb_each(?) ORDER BY key`,
  attendance: `INSERT INTO attendance (session_id, trainee_id, event, at)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM jsonb_each(?) ORDER BY key`,
  device: `INSERT OR REPLACE INTO devices (token_hash, trainee_id, bound_at) VALUES (@tokenHash, @traineeId, @at)`,
  runOpen: `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, deadline) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @deadline)`,
  runClose: `UPDATE question_runs SET closed_at = @at WHERE id = @runId AND closed_at IS NULL`,
  runReveal: `UPDATE question_runs SET revealed_at = @at WHERE id = @runId`,
  // Answers go in runs, one statement per table for a run of them (see writeAll): the rows come as
  // one JSON array of AnswerRow, so a class answering at once is two statements a batch, not two
  // an answer (per answer, the writer thread did the statement's round trip from JavaScript and
  // SQLite's for each row: a third of its time). jsonb_each, not json_each: json_each hands each
  // row back as JSON text, which every `->>` parsed again; jsonb_each hands it as SQLite's binary
  // JSON, read as it is (3–5 of the 20–27 µs an answer costs with its indexes and change log).
  answers: `INSERT INTO answer_log (trainee_id, msg_id, session_id, run_id, value_json, correct, at)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM jsonb_each(?) ORDER BY key`,
  scenarioStep: `INSERT INTO scenario_steps (session_id, slide_index, scenario_id, play_id, step, from_node, option_id, to_node, run_id, at)
     VALUES (@sessionId, @slideIndex, @scenarioId, @playId, @step, @fromNode, @optionId, @toNode, @runId, @at)`,
  qaAsk: `INSERT INTO qa_questions (id, session_id, trainee_id, text, anonymous, status, msg_id, created_at)
     VALUES (@id, @sessionId, @traineeId, @text, @anonymousInt, 'pending', @msgId, @at)`,
  qaVote: `INSERT OR IGNORE INTO qa_votes (question_id, trainee_id, at) VALUES (@qaId, @traineeId, @at)`,
  qaVoteCount: `UPDATE qa_questions SET votes = (SELECT COUNT(*) FROM qa_votes WHERE question_id = @qaId) WHERE id = @qaId`,
  qaModerate: `UPDATE qa_questions SET status = @status, pinned = @pinnedInt WHERE id = @qaId`,
  correctTrainee: `UPDATE trainees SET name = @name, officer_id = @officerId, agency = @agency WHERE id = @traineeId`,
  moveDevices: `UPDATE devices SET trainee_id = @toTraineeId, bound_at = @at WHERE trainee_id = @fromTraineeId AND revoked_at IS NULL`,
  revokeDevice: `UPDATE devices SET revoked_at = @at WHERE token_hash = @tokenHash AND revoked_at IS NULL`,
  audit: `INSERT INTO audit_log (session_id, at, actor, action, entity, entity_id, before_json, after_json, reason)
     VALUES (@sessionId, @at, @actor, @action, @entity, @entityId, @before, @after, @reason)`,
  sessionDetails: `UPDATE sessions SET instructors = @instructors, location = @location WHERE id = @sessionId`,
  adoptRoster: `UPDATE roster_entries SET session_id = @sessionId WHERE session_id IS NULL`,
  rosterClear: `DELETE FROM roster_entries WHERE session_id IS @sessionId`,
  rosterEntry: `INSERT INTO roster_entries (session_id, roster_name, officer_id, name, agency, email, first_name, last_name, imported_at)
     VALUES (@sessionId, @rosterName, @officerId, @name, @agency, @email, @firstName, @lastName, @at)`,
  assessmentOpen: `INSERT INTO assessments (id, session_id, key, kind, assessment_id, title, opened_at) VALUES (@id, @sessionId, @key, @kind, @assessmentId, @title, @at)`,
  assessmentRun: `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, assessment_id, position) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @assessmentId, @position)`,
  assessmentClose: `UPDATE assessments SET closed_at = @at WHERE id = @id AND closed_at IS NULL`,
  assessmentCloseRuns: `UPDATE question_runs SET closed_at = @at WHERE assessment_id = @id AND closed_at IS NULL`,
  assessmentSubmit: `INSERT INTO assessment_submissions (assessment_id, trainee_id, session_id, msg_id, submitted_at) VALUES (@assessmentId, @traineeId, @sessionId, @msgId, @at)`,
  // Row by row in the array's order: a trainee's second answer in the same run updates the first.
  answerResponses: `INSERT INTO responses (run_id, trainee_id, session_id, value_json, correct, first_at, answered_at)
     SELECT value ->> 3, value ->> 0, value ->> 2, value ->> 4, value ->> 5, value ->> 6, value ->> 6 FROM jsonb_each(?) ORDER BY key
     ON CONFLICT (run_id, trainee_id) DO UPDATE SET value_json = excluded.value_json, correct = excluded.correct, answered_at = excluded.answered_at, changes = changes + 1`,
} as const;

export type StatementName = keyof typeof SQL;
/**
 * One statement of a batch, or several in turn that take the same parameters, and those
 * parameters: named (an object), or the one JSON text of a run of rows (answers, arrivals).
 */
export type WriteStep = [StatementName | StatementName[], object | string];
type Run = (name: StatementName, params: object | string) => void;

/** An answer's row as the `answers` statements read it (positions 0–6 of each array element). */
type AnswerRow = [
  traineeId: string,
  msgId: string,
  sessionId: string,
  runId: string,
  valueJson: string,
  correct: 0 | 1 | null,
  at: number,
];
const answerRow = (op: Extract<RecordOp, { op: 'answer' }>): AnswerRow => [
  op.traineeId,
  op.msgId,
  op.sessionId,
  op.runId,
  JSON.stringify(op.value),
  op.correct === null ? null : op.correct ? 1 : 0,
  op.at,
];
/** A run of answers: its log rows, then its responses, each one statement. */
function writeAnswers(run: Run, rows: AnswerRow[]): void {
  const json = JSON.stringify(rows);
  run('answers', json);
  run('answerResponses', json);
}

/** The operations of a room arriving: a trainee, the phone that speaks for them, their attendance. */
type Arrival = Extract<RecordOp, { op: 'trainee' | 'device' | 'attendance' }>;
const ARRIVAL = new Set<RecordOp['op']>(['trainee', 'device', 'attendance']);
const isArrival = (op: RecordOp): op is Arrival => ARRIVAL.has(op.op);

/**
 * A run of arrivals in a row, as three statements: every trainee of the run, then every phone, then
 * every attendance event, each table's rows in the run's order. Only the order between tables
 * changes, and only so that a row comes after the trainee it names (the foreign keys, and the
 * records server applying the change log in order, need no more). Written one statement an
 * operation, a room of 2,000 joining was 6,000 statements from JavaScript, each binding its
 * parameters by name, on the writer thread and in the hand-off to it.
 */
function writeArrivals(run: Run, ops: readonly Arrival[]): void {
  const trainees: unknown[][] = [];
  const devices: unknown[][] = [];
  const attendance: unknown[][] = [];
  for (const op of ops)
    if (op.op === 'trainee')
      trainees.push([op.id, op.sessionId, op.name, op.officerId, op.agency, op.at]);
    else if (op.op === 'device') devices.push([op.tokenHash, op.traineeId, op.at]);
    else attendance.push([op.sessionId, op.traineeId, op.event, op.at]);
  if (trainees.length) run('trainees', JSON.stringify(trainees));
  if (devices.length) run('devices', JSON.stringify(devices));
  if (attendance.length) run('attendance', JSON.stringify(attendance));
}
/** The roster a session has (null: the one waiting for the next session), or null when there is none. */
type RosterSummaryOf = (sessionId: string | null) => RosterSummary | null;

function writeOne(run: Run, op: RecordOp, rosterSummary: RosterSummaryOf): void {
  switch (op.op) {
    case 'session':
      run('session', op);
      run('module', { sessionId: op.id, file: op.file, title: op.title, at: op.at });
      break;
    case 'module':
      run('moduleDeck', op);
      run('module', op);
      break;
    case 'slide':
      run('slide', op);
      break;
    case 'end':
      run('end', op);
      break;
    case 'trainee':
    case 'device':
    case 'attendance':
      // writeAll writes these in runs before they come here; one given here alone is a run of one.
      writeArrivals(run, [op]);
      break;
    case 'runOpen':
      run('runOpen', {
        ...op,
        questionId: op.question.id,
        questionJson: JSON.stringify(op.question),
      });
      break;
    case 'runClose':
      run('runClose', op);
      break;
    case 'runReveal':
      run('runReveal', op);
      break;
    case 'answer':
      // writeAll writes answers in runs before they come here; one given here alone is a run of one.
      writeAnswers(run, [answerRow(op)]);
      break;
    case 'scenarioStep':
      run('scenarioStep', op);
      break;
    case 'assessmentOpen':
      run('assessmentOpen', op);
      for (const r of op.runs)
        run('assessmentRun', {
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
      run('assessmentClose', op);
      run('assessmentCloseRuns', op);
      break;
    case 'assessmentSubmit':
      run('assessmentSubmit', op);
      break;
    case 'qaAsk':
      run('qaAsk', { ...op, anonymousInt: op.anonymous ? 1 : 0 });
      break;
    case 'qaVote':
      run('qaVote', op);
      run('qaVoteCount', op);
      break;
    case 'qaModerate':
      run('qaModerate', { ...op, pinnedInt: op.pinned ? 1 : 0 });
      break;
    case 'correctTrainee':
      run('correctTrainee', { traineeId: op.traineeId, ...op.after });
      run('audit', {
        ...op,
        action: 'correctTrainee',
        entity: 'trainee',
        entityId: op.traineeId,
        before: JSON.stringify(op.before),
        after: JSON.stringify(op.after),
      });
      break;
    case 'sessionDetails':
      run('sessionDetails', { sessionId: op.sessionId, ...op.after });
      run('audit', {
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
      for (const tokenHash of op.revoked) run('revokeDevice', { tokenHash, at: op.at });
      run('device', op);
      run('audit', {
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
      run('audit', {
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
      run('moveDevices', op);
      run('audit', {
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
      run('adoptRoster', op);
      run('audit', {
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
      run('rosterClear', op);
      for (const e of op.entries)
        run('rosterEntry', {
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
      run('audit', {
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
  const s = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<StatementName, Database.Statement>;
  const run: Run = (name, params) => s[name].run(params);
  return db.transaction((ops: RecordOp[]) => writeAll(run, ops, rosterSummary));
}

/**
 * Writes a batch's operations in order; answers in a row go together (two statements), and so do
 * arrivals in a row (three: {@link writeArrivals}).
 */
function writeAll(run: Run, ops: readonly RecordOp[], rosterSummary: RosterSummaryOf): void {
  let answers: AnswerRow[] = [];
  let arrivals: Arrival[] = [];
  for (const op of ops) {
    if (op.op === 'answer') {
      if (arrivals.length) writeArrivals(run, arrivals);
      arrivals = [];
      answers.push(answerRow(op));
      continue;
    }
    if (answers.length) writeAnswers(run, answers);
    answers = [];
    if (isArrival(op)) {
      arrivals.push(op);
      continue;
    }
    if (arrivals.length) writeArrivals(run, arrivals);
    arrivals = [];
    writeOne(run, op, rosterSummary);
  }
  if (answers.length) writeAnswers(run, answers);
  if (arrivals.length) writeArrivals(run, arrivals);
}

/** Operations whose rows depend on what the file holds (a roster's audit rows): written only by {@link recordWriter}. */
const READS = new Set<RecordOp['op']>(['roster', 'adoptRoster']);

/**
 * A batch as the statements that write it, for a writer on another connection (writer-worker.mjs);
 * null when an operation must read the file to be written (a roster import, its adoption).
 */
export function planWrite(ops: readonly RecordOp[]): WriteStep[] | null {
  if (ops.some((op) => READS.has(op.op))) return null;
  const steps: WriteStep[] = [];
  const noReads = () => {
    throw new Error('a planned write cannot read the records');
  };
  const run: Run = (name, params) => {
    // Statements in a row with the same parameters (a run of answers' log rows and responses)
    // are one step, so the parameters cross to the thread once.
    const last = steps[steps.length - 1];
    if (last && last[1] === params) last[0] = [last[0], name].flat();
    else steps.push([name, params]);
  };
  writeAll(run, ops, noReads);
  return steps;
}
