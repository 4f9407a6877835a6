/**
 * The training records: SQLite through better-sqlite3, WAL with synchronous=FULL so a committed
 * answer survives a power cut. The engine's record operations are written here in one transaction
 * per batch (group commit); only then are the phones acknowledged.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QaStatus, RecordOp, RosterEntry } from '../session/ops';
import type { Snapshot } from '../session/state';
import type { RosterSummary } from '../../shared/roster';
import type { Deck } from '../../shared/course';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import type { SessionPhase } from '../../shared/protocol';
import { OUTBOX_MIGRATION, installOutbox } from './outbox';

const MIGRATIONS: string[] = [
  // 1: the foundation schema.
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    room_code TEXT NOT NULL,
    course TEXT NOT NULL,
    course_title TEXT NOT NULL,
    deck_file TEXT NOT NULL,
    title TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    slide_index INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE trainees (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    name TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    joined_at INTEGER NOT NULL
  );
  CREATE INDEX trainees_session ON trainees(session_id);
  CREATE TABLE devices (
    token_hash TEXT PRIMARY KEY,
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    bound_at INTEGER NOT NULL
  );
  CREATE TABLE attendance (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    event TEXT NOT NULL CHECK (event IN ('join','leave','return')),
    at INTEGER NOT NULL
  );
  CREATE INDEX attendance_session ON attendance(session_id, trainee_id);
  CREATE TABLE question_runs (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    slide_index INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    question_json TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    deadline INTEGER,
    closed_at INTEGER,
    revealed_at INTEGER
  );
  CREATE INDEX runs_session ON question_runs(session_id);
  -- Every answer a phone sent and the server accepted, in order: nothing is ever overwritten here.
  CREATE TABLE answer_log (
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    msg_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES question_runs(id),
    value_json TEXT NOT NULL,
    correct INTEGER,
    at INTEGER NOT NULL,
    PRIMARY KEY (trainee_id, msg_id)
  );
  CREATE INDEX answer_log_session ON answer_log(session_id);
  -- The answer that counts: the last one before the question closed.
  CREATE TABLE responses (
    run_id TEXT NOT NULL REFERENCES question_runs(id),
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    session_id TEXT NOT NULL,
    value_json TEXT NOT NULL,
    correct INTEGER,
    first_at INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, trainee_id)
  );
  CREATE INDEX responses_session ON responses(session_id);
  `,
  // 2: role-play scenarios: the path the class took, one row per decision followed.
  `
  CREATE TABLE scenario_steps (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    slide_index INTEGER NOT NULL,
    scenario_id TEXT NOT NULL,
    play_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    from_node TEXT NOT NULL,
    option_id TEXT NOT NULL,
    to_node TEXT NOT NULL,
    run_id TEXT REFERENCES question_runs(id),
    at INTEGER NOT NULL,
    UNIQUE (play_id, step)
  );
  CREATE INDEX scenario_steps_session ON scenario_steps(session_id, slide_index);
  `,
  // 3: what a certification record needs about the class itself, and the audit log of corrections.
  `
  ALTER TABLE sessions ADD COLUMN course_number TEXT;
  ALTER TABLE sessions ADD COLUMN credit_hours REAL;
  ALTER TABLE sessions ADD COLUMN pass_mark REAL;
  ALTER TABLE sessions ADD COLUMN instructors TEXT;
  ALTER TABLE sessions ADD COLUMN location TEXT;
  -- Corrections are new rows, never silent edits (docs/ARCHITECTURE.md, rule 7): who, when, what, why.
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT REFERENCES sessions(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    reason TEXT NOT NULL
  );
  CREATE INDEX audit_session ON audit_log(session_id);
  `,
  // Q&A board. An anonymous question has trainee_id NULL and nothing else that points to its author.
  `
  CREATE TABLE qa_questions (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    trainee_id TEXT REFERENCES trainees(id),
    text TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','approved','hidden','answered')),
    pinned INTEGER NOT NULL DEFAULT 0,
    votes INTEGER NOT NULL DEFAULT 0,
    msg_id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    CHECK (anonymous = 0 OR trainee_id IS NULL)
  );
  CREATE INDEX qa_session ON qa_questions(session_id);
  CREATE TABLE qa_votes (
    question_id TEXT NOT NULL REFERENCES qa_questions(id),
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (question_id, trainee_id)
  );
  `,
  // The class roster: who is expected, by officer ID (text: leading zeros count). session_id NULL is
  // the roster imported while no session was running; the next session adopts it when it starts.
  `
  CREATE TABLE roster_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT REFERENCES sessions(id),
    roster_name TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    name TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    email TEXT,
    imported_at INTEGER NOT NULL
  );
  CREATE INDEX roster_session ON roster_entries(session_id);
  CREATE UNIQUE INDEX roster_officer ON roster_entries(IFNULL(session_id, ''), UPPER(officer_id));
  `,
  // 6: self-paced assessments (pre-test, post-test, evaluation). Each of their questions is a
  // question_runs row with assessment_id set, so its answers go through answer_log and responses
  // like any live question; a submission says the trainee finished (review done, "Submit" pressed).
  `
  CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pretest','posttest','evaluation','quiz')),
    assessment_id TEXT NOT NULL,
    title TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER
  );
  CREATE INDEX assessments_session ON assessments(session_id);
  ALTER TABLE question_runs ADD COLUMN assessment_id TEXT REFERENCES assessments(id);
  ALTER TABLE question_runs ADD COLUMN position INTEGER;
  CREATE TABLE assessment_submissions (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    session_id TEXT NOT NULL,
    msg_id TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, trainee_id)
  );
  `,
  // 7: manual attendance corrections (a phone that died, a paper sign-in sheet). New rows, never
  // edits: the latest row (highest seq) for a trainee is the one in force; NULL keeps the recorded
  // time. Times are milliseconds like every other instant here. Each row has its audit_log entry.
  `
  CREATE TABLE attendance_corrections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    trainee_id TEXT NOT NULL REFERENCES trainees(id),
    check_in INTEGER,
    check_out INTEGER,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    CHECK (check_out IS NULL OR check_in IS NULL OR check_out >= check_in)
  );
  CREATE INDEX attendance_corrections_session ON attendance_corrections(session_id, trainee_id);
  `,
  // 8: a class day is one session that moves through the course's modules (decks): the room code,
  // the roster and attendance carry on. One row per module the session presented, in order.
  `
  CREATE TABLE session_modules (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    deck_file TEXT NOT NULL,
    title TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX session_modules_session ON session_modules(session_id);
  `,
  // 9: a phone replaced by another (an identity claim the instructor allowed, or a phone long gone)
  // stops speaking for its trainee; its row stays, with when it was revoked.
  // The session also keeps when the class last moved to a slide (or a module): a question run
  // opened before that is not the current one after a restart, even on the same slide index.
  `
  ALTER TABLE devices ADD COLUMN revoked_at INTEGER;
  ALTER TABLE sessions ADD COLUMN slide_at INTEGER;
  `,
  // 10: a roster's last and first names when the file had them in columns of their own (state
  // rosters list them apart; splitting a typed full name is only a guess).
  `
  ALTER TABLE roster_entries ADD COLUMN first_name TEXT;
  ALTER TABLE roster_entries ADD COLUMN last_name TEXT;
  `,
  // 11: the change log for the academy records server, filled by triggers (outbox.ts).
  OUTBOX_MIGRATION,
];

export interface SessionRow {
  id: string;
  room_code: string;
  course: string;
  course_title: string;
  deck_file: string;
  title: string;
  started_at: number;
  ended_at: number | null;
  slide_index: number;
  course_number: string | null;
  credit_hours: number | null;
  pass_mark: number | null;
  instructors: string | null;
  location: string | null;
  /** When the class last moved to a slide or a module (null in sessions recorded before it was kept). */
  slide_at?: number | null;
}

export class Records {
  readonly db: Database.Database;
  private readonly stmts;
  private readonly applyBatch: (ops: RecordOp[]) => void;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is fsync'd before we acknowledge it; NORMAL could roll back after a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    if (process.platform === 'darwin') this.db.pragma('fullfsync = ON');
    this.migrate();
    installOutbox(this.db);
    const db = this.db;
    this.stmts = {
      session: db.prepare(
        `INSERT INTO sessions (id, room_code, course, course_title, course_number, credit_hours, pass_mark, deck_file, title, started_at)
         VALUES (@id, @roomCode, @course, @courseTitle, @courseNumber, @creditHours, @passMark, @file, @title, @at)`,
      ),
      slide: db.prepare(`UPDATE sessions SET slide_index = @index, slide_at = @at WHERE id = @sessionId`),
      module: db.prepare(`INSERT INTO session_modules (session_id, deck_file, title, at) VALUES (@sessionId, @file, @title, @at)`),
      moduleDeck: db.prepare(`UPDATE sessions SET deck_file = @file, slide_index = 0, slide_at = @at WHERE id = @sessionId`),
      end: db.prepare(`UPDATE sessions SET ended_at = @at WHERE id = @sessionId`),
      trainee: db.prepare(
        `INSERT INTO trainees (id, session_id, name, officer_id, agency, joined_at) VALUES (@id, @sessionId, @name, @officerId, @agency, @at)`,
      ),
      device: db.prepare(`INSERT OR REPLACE INTO devices (token_hash, trainee_id, bound_at) VALUES (@tokenHash, @traineeId, @at)`),
      attendance: db.prepare(`INSERT INTO attendance (session_id, trainee_id, event, at) VALUES (@sessionId, @traineeId, @event, @at)`),
      runOpen: db.prepare(
        `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, deadline) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @deadline)`,
      ),
      runClose: db.prepare(`UPDATE question_runs SET closed_at = @at WHERE id = @runId AND closed_at IS NULL`),
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
      qaVote: db.prepare(`INSERT OR IGNORE INTO qa_votes (question_id, trainee_id, at) VALUES (@qaId, @traineeId, @at)`),
      qaVoteCount: db.prepare(`UPDATE qa_questions SET votes = (SELECT COUNT(*) FROM qa_votes WHERE question_id = @qaId) WHERE id = @qaId`),
      qaModerate: db.prepare(`UPDATE qa_questions SET status = @status, pinned = @pinnedInt WHERE id = @qaId`),
      correctTrainee: db.prepare(`UPDATE trainees SET name = @name, officer_id = @officerId, agency = @agency WHERE id = @traineeId`),
      moveDevices: db.prepare(`UPDATE devices SET trainee_id = @toTraineeId, bound_at = @at WHERE trainee_id = @fromTraineeId AND revoked_at IS NULL`),
      revokeDevice: db.prepare(`UPDATE devices SET revoked_at = @at WHERE token_hash = @tokenHash AND revoked_at IS NULL`),
      audit: db.prepare(
        `INSERT INTO audit_log (session_id, at, actor, action, entity, entity_id, before_json, after_json, reason)
         VALUES (@sessionId, @at, @actor, @action, @entity, @entityId, @before, @after, @reason)`,
      ),
      sessionDetails: db.prepare(`UPDATE sessions SET instructors = @instructors, location = @location WHERE id = @sessionId`),
      adoptRoster: db.prepare(`UPDATE roster_entries SET session_id = @sessionId WHERE session_id IS NULL`),
      rosterClear: db.prepare(`DELETE FROM roster_entries WHERE session_id IS @sessionId`),
      rosterEntry: db.prepare(
        `INSERT INTO roster_entries (session_id, roster_name, officer_id, name, agency, email, first_name, last_name, imported_at)
         VALUES (@sessionId, @rosterName, @officerId, @name, @agency, @email, @firstName, @lastName, @at)`,
      ),
      rosterSummary: db.prepare(
        `SELECT roster_name AS name, COUNT(*) AS entries, MAX(imported_at) AS importedAt FROM roster_entries WHERE session_id IS ? GROUP BY roster_name ORDER BY importedAt DESC LIMIT 1`,
      ),
      assessmentOpen: db.prepare(
        `INSERT INTO assessments (id, session_id, key, kind, assessment_id, title, opened_at) VALUES (@id, @sessionId, @key, @kind, @assessmentId, @title, @at)`,
      ),
      assessmentRun: db.prepare(
        `INSERT INTO question_runs (id, session_id, slide_index, question_id, question_json, opened_at, assessment_id, position) VALUES (@runId, @sessionId, @slideIndex, @questionId, @questionJson, @at, @assessmentId, @position)`,
      ),
      assessmentClose: db.prepare(`UPDATE assessments SET closed_at = @at WHERE id = @id AND closed_at IS NULL`),
      assessmentCloseRuns: db.prepare(`UPDATE question_runs SET closed_at = @at WHERE assessment_id = @id AND closed_at IS NULL`),
      assessmentSubmit: db.prepare(
        `INSERT INTO assessment_submissions (assessment_id, trainee_id, session_id, msg_id, submitted_at) VALUES (@assessmentId, @traineeId, @sessionId, @msgId, @at)`,
      ),
      response: db.prepare(
        `INSERT INTO responses (run_id, trainee_id, session_id, value_json, correct, first_at, answered_at) VALUES (@runId, @traineeId, @sessionId, @valueJson, @correct, @at, @at)
         ON CONFLICT (run_id, trainee_id) DO UPDATE SET value_json = excluded.value_json, correct = excluded.correct, answered_at = excluded.answered_at, changes = changes + 1`,
      ),
    };
    this.applyBatch = this.db.transaction((ops: RecordOp[]) => {
      for (const op of ops) this.applyOne(op);
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private applyOne(op: RecordOp): void {
    const s = this.stmts;
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
        s.runOpen.run({ ...op, questionId: op.question.id, questionJson: JSON.stringify(op.question) });
        break;
      case 'runClose':
        s.runClose.run(op);
        break;
      case 'runReveal':
        s.runReveal.run(op);
        break;
      case 'answer': {
        const row = { ...op, valueJson: JSON.stringify(op.value), correct: op.correct === null ? null : op.correct ? 1 : 0 };
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
          s.assessmentRun.run({ runId: r.runId, sessionId: op.sessionId, slideIndex: op.slideIndex, questionId: r.question.id, questionJson: JSON.stringify(r.question), at: op.at, assessmentId: op.id, position: r.position });
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
        s.audit.run({ ...op, action: 'correctTrainee', entity: 'trainee', entityId: op.traineeId, before: JSON.stringify(op.before), after: JSON.stringify(op.after) });
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
          reason: op.before.instructors || op.before.location ? 'session details changed by the instructor' : 'session details entered by the instructor',
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
        s.audit.run({ ...op, action: 'moveDevice', entity: 'device', entityId: op.fromTraineeId, before: JSON.stringify(op.before), after: JSON.stringify(op.after) });
        break;
      case 'adoptRoster': {
        // The session's own audit log says which roster it used (the import row has no session).
        const pending = this.rosterSummary(null);
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
        const prev = this.rosterSummary(op.sessionId);
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

  /** Writes a batch in one fsync'd transaction: all of it is stored, or none of it. */
  apply(ops: RecordOp[]): void {
    if (ops.length) this.applyBatch(ops);
  }

  /** The session that was running when the app stopped, if any, so the class resumes where it was. */
  unfinishedSession(): SessionRow | undefined {
    return this.db.prepare(`SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`).get() as SessionRow | undefined;
  }

  sessions(): SessionRow[] {
    return this.db.prepare(`SELECT * FROM sessions ORDER BY started_at DESC`).all() as SessionRow[];
  }

  session(id: string): SessionRow | undefined {
    return this.db.prepare(`SELECT * FROM sessions WHERE id = ?`).get(id) as SessionRow | undefined;
  }

  /** Reads back what the engine needs to continue a session. The deck comes from the content. */
  snapshot(row: SessionRow, deck: Deck): Snapshot {
    const db = this.db;
    const trainees = db
      .prepare(`SELECT id, name, officer_id AS officerId, agency FROM trainees WHERE session_id = ? ORDER BY joined_at, id`)
      .all(row.id) as Snapshot['trainees'];
    const tokens = db
      .prepare(`SELECT d.token_hash AS tokenHash, d.trainee_id AS traineeId FROM devices d JOIN trainees t ON t.id = d.trainee_id WHERE t.session_id = ? AND d.revoked_at IS NULL`)
      .all(row.id) as Snapshot['tokens'];
    const msgIds = db.prepare(`SELECT trainee_id AS traineeId, msg_id AS msgId FROM answer_log WHERE session_id = ?`).all(row.id) as Snapshot['msgIds'];
    // Live questions only: an assessment's questions are restored with the assessment.
    const runRow = db.prepare(`SELECT * FROM question_runs WHERE session_id = ? AND assessment_id IS NULL ORDER BY opened_at DESC, rowid DESC LIMIT 1`).get(row.id) as
      | { id: string; slide_index: number; question_json: string; opened_at: number; deadline: number | null; closed_at: number | null; revealed_at: number | null }
      | undefined;
    let run: Snapshot['run'] = null;
    let answers: Snapshot['answers'] = [];
    let phase: SessionPhase = 'presenting';
    // The latest play of the current slide's scenario, if it has one.
    // (A play from before the class last came to this slide is over: the slide starts a new one.)
    const last = db
      .prepare(`SELECT play_id, at FROM scenario_steps WHERE session_id = ? AND slide_index = ? AND at >= ? ORDER BY seq DESC LIMIT 1`)
      .get(row.id, row.slide_index, row.slide_at ?? 0) as { play_id: string; at: number } | undefined;
    const scenario: Snapshot['scenario'] = last
      ? {
          playId: last.play_id,
          steps: db
            .prepare(`SELECT from_node AS fromNode, option_id AS optionId, to_node AS toNode, run_id AS runId FROM scenario_steps WHERE play_id = ? ORDER BY step`)
            .all(last.play_id) as NonNullable<Snapshot['scenario']>['steps'],
        }
      : null;
    // The last run counts only if the instructor is still on its slide (and, in a scenario, at its decision).
    if (runRow && runRow.slide_index === row.slide_index && !(last && runRow.opened_at <= last.at) && !(row.slide_at != null && runRow.opened_at < row.slide_at)) {
      run = {
        runId: runRow.id,
        q: JSON.parse(runRow.question_json) as QuestionDef,
        slideIndex: runRow.slide_index,
        openedAt: runRow.opened_at,
        deadline: runRow.deadline,
        closedAt: runRow.closed_at,
        revealed: runRow.revealed_at !== null,
      };
      answers = (
        db.prepare(`SELECT trainee_id AS traineeId, value_json, answered_at AS at FROM responses WHERE run_id = ?`).all(runRow.id) as {
          traineeId: string;
          value_json: string;
          at: number;
        }[]
      ).map((a) => ({ traineeId: a.traineeId, value: JSON.parse(a.value_json) as AnswerValue, at: a.at, msgId: '' }));
      phase = run.revealed ? 'results' : run.closedAt !== null ? 'closed' : 'question';
    } else if (trainees.length === 0 && row.slide_index === 0) phase = 'lobby';
    return {
      session: {
        id: row.id,
        roomCode: row.room_code,
        deck,
        slideIndex: Math.min(row.slide_index, deck.slides.length - 1),
        phase,
        startedAt: row.started_at,
        moduleStartedAt: (db.prepare(`SELECT MAX(at) FROM session_modules WHERE session_id = ?`).pluck().get(row.id) as number | null) ?? row.started_at,
        instructors: row.instructors ?? '',
        location: row.location ?? '',
      },
      trainees,
      tokens,
      run,
      answers,
      msgIds,
      scenario,
      qa: this.qaItems(row.id),
      assessment: this.openAssessment(row.id),
      roster: this.rosterEntries(row.id),
    };
  }

  /** The assessment of a session still open (not closed), with its answers and submissions. */
  private openAssessment(sessionId: string): Snapshot['assessment'] {
    const db = this.db;
    const a = db.prepare(`SELECT * FROM assessments WHERE session_id = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1`).get(sessionId) as
      | { id: string; key: string; kind: NonNullable<Snapshot['assessment']>['kind']; assessment_id: string; title: string; opened_at: number }
      | undefined;
    if (!a) return null;
    const runs = (db.prepare(`SELECT id, question_json, slide_index FROM question_runs WHERE assessment_id = ? ORDER BY position`).all(a.id) as { id: string; question_json: string; slide_index: number }[]).map(
      (r) => ({ runId: r.id, q: JSON.parse(r.question_json) as QuestionDef, slideIndex: r.slide_index }),
    );
    const answers = (
      db.prepare(`SELECT r.run_id AS runId, r.trainee_id AS traineeId, r.value_json, r.answered_at AS at FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id = ?`).all(a.id) as {
        runId: string;
        traineeId: string;
        value_json: string;
        at: number;
      }[]
    ).map((x) => ({ runId: x.runId, traineeId: x.traineeId, value: JSON.parse(x.value_json) as AnswerValue, at: x.at }));
    const submitted = db.prepare(`SELECT trainee_id AS traineeId, submitted_at AS at FROM assessment_submissions WHERE assessment_id = ?`).all(a.id) as { traineeId: string; at: number }[];
    return { id: a.id, key: a.key, kind: a.kind, assessmentId: a.assessment_id, title: a.title, openedAt: a.opened_at, runs, answers, submitted };
  }

  /** The Q&A board of a session, with who voted (never who asked an anonymous question). */
  qaItems(sessionId: string): Snapshot['qa'] {
    const rows = this.db
      .prepare(`SELECT id, trainee_id, text, anonymous, status, pinned, created_at, msg_id FROM qa_questions WHERE session_id = ? ORDER BY created_at, id`)
      .all(sessionId) as { id: string; trainee_id: string | null; text: string; anonymous: number; status: QaStatus; pinned: number; created_at: number; msg_id: string }[];
    const voters = this.db.prepare(`SELECT trainee_id FROM qa_votes WHERE question_id = ?`).pluck();
    return rows.map((r) => ({
      id: r.id,
      traineeId: r.trainee_id,
      text: r.text,
      anonymous: r.anonymous === 1,
      status: r.status,
      pinned: r.pinned === 1,
      at: r.created_at,
      msgId: r.msg_id,
      voters: voters.all(r.id) as string[],
    }));
  }

  /** The roster of a session, or (null) the one the next session adopts. */
  rosterEntries(sessionId: string | null): RosterEntry[] {
    return this.db
      .prepare(
        `SELECT officer_id AS officerId, name, agency, IFNULL(email, '') AS email, IFNULL(first_name, '') AS firstName, IFNULL(last_name, '') AS lastName
         FROM roster_entries WHERE session_id IS ? ORDER BY id`,
      )
      .all(sessionId) as RosterEntry[];
  }

  rosterSummary(sessionId: string | null): RosterSummary | null {
    return (this.stmts.rosterSummary.get(sessionId) as RosterSummary | undefined) ?? null;
  }

  close(): void {
    this.db.close();
  }
}
