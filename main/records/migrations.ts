/**
 * The records' schema, as the list of migrations that built it: each runs once, in its own
 * transaction, and `user_version` counts those done. A change to the schema is a new entry at the
 * end, never an edit of one that shipped (a laptop in the field has already run it). A table or
 * column the academy records server should see also goes into replicated.ts's list.
 */
import type Database from 'better-sqlite3';
import { OUTBOX_MIGRATION } from './outbox';

export const MIGRATIONS: readonly string[] = [
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

/** Runs the migrations this file has not had yet, each with its version in one transaction. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
