/**
 * Which record tables go to the academy records server, with their keys and column types: the
 * console's change log (./outbox.ts) writes a trigger for each, and the records server creates its
 * tables from the same list (main/records-server/schema.ts).
 *
 * Phone token hashes (`devices`) are never replicated: they never leave the laptop.
 *
 * How to add a column or a table: add a migration in migrations.ts, then {@link REPLICATED}
 * here; the triggers are rebuilt on the next start, and tests/unit/outbox.test.ts fails until
 * both agree.
 */

/** Column types, as the records server stores them. */
export type ColumnType = 'text' | 'bigint' | 'double precision';

export interface ReplicatedTable {
  name: string;
  /** The row's key in SQLite (the records server adds the console in front). */
  key: string[];
  /** Every column, in SQLite's order, with the type the records server gives it. */
  columns: Record<string, ColumnType>;
  /** The column naming the row's session, if any: the records server re-derives that session's results. */
  session: string | null;
}

const T = 'text' as const;
const I = 'bigint' as const;
const R = 'double precision' as const;

/** Every record table that goes to the records server, in an order that follows the references. */
export const REPLICATED: ReplicatedTable[] = [
  {
    name: 'sessions',
    key: ['id'],
    columns: {
      id: T,
      room_code: T,
      course: T,
      course_title: T,
      deck_file: T,
      title: T,
      started_at: I,
      ended_at: I,
      slide_index: I,
      course_number: T,
      credit_hours: R,
      pass_mark: R,
      instructors: T,
      location: T,
      slide_at: I,
    },
    session: 'id',
  },
  {
    name: 'trainees',
    key: ['id'],
    columns: { id: T, session_id: T, name: T, officer_id: T, agency: T, joined_at: I },
    session: 'session_id',
  },
  {
    name: 'attendance',
    key: ['seq'],
    columns: { seq: I, session_id: T, trainee_id: T, event: T, at: I },
    session: 'session_id',
  },
  {
    name: 'assessments',
    key: ['id'],
    columns: {
      id: T,
      session_id: T,
      key: T,
      kind: T,
      assessment_id: T,
      title: T,
      opened_at: I,
      closed_at: I,
    },
    session: 'session_id',
  },
  {
    name: 'question_runs',
    key: ['id'],
    columns: {
      id: T,
      session_id: T,
      slide_index: I,
      question_id: T,
      question_json: T,
      opened_at: I,
      deadline: I,
      closed_at: I,
      revealed_at: I,
      assessment_id: T,
      position: I,
    },
    session: 'session_id',
  },
  {
    name: 'answer_log',
    key: ['trainee_id', 'msg_id'],
    columns: {
      trainee_id: T,
      msg_id: T,
      session_id: T,
      run_id: T,
      value_json: T,
      correct: I,
      at: I,
    },
    session: 'session_id',
  },
  {
    name: 'responses',
    key: ['run_id', 'trainee_id'],
    columns: {
      run_id: T,
      trainee_id: T,
      session_id: T,
      value_json: T,
      correct: I,
      first_at: I,
      answered_at: I,
      changes: I,
    },
    session: 'session_id',
  },
  {
    name: 'scenario_steps',
    key: ['seq'],
    columns: {
      seq: I,
      session_id: T,
      slide_index: I,
      scenario_id: T,
      play_id: T,
      step: I,
      from_node: T,
      option_id: T,
      to_node: T,
      run_id: T,
      at: I,
    },
    session: 'session_id',
  },
  {
    name: 'audit_log',
    key: ['seq'],
    columns: {
      seq: I,
      session_id: T,
      at: I,
      actor: T,
      action: T,
      entity: T,
      entity_id: T,
      before_json: T,
      after_json: T,
      reason: T,
    },
    session: 'session_id',
  },
  {
    name: 'qa_questions',
    key: ['id'],
    columns: {
      id: T,
      session_id: T,
      trainee_id: T,
      text: T,
      anonymous: I,
      status: T,
      pinned: I,
      votes: I,
      msg_id: T,
      created_at: I,
    },
    session: 'session_id',
  },
  {
    name: 'qa_votes',
    key: ['question_id', 'trainee_id'],
    columns: { question_id: T, trainee_id: T, at: I },
    session: null,
  },
  {
    name: 'roster_entries',
    key: ['id'],
    columns: {
      id: I,
      session_id: T,
      roster_name: T,
      officer_id: T,
      name: T,
      agency: T,
      email: T,
      imported_at: I,
      first_name: T,
      last_name: T,
    },
    session: 'session_id',
  },
  {
    name: 'assessment_submissions',
    key: ['assessment_id', 'trainee_id'],
    columns: { assessment_id: T, trainee_id: T, session_id: T, msg_id: T, submitted_at: I },
    session: 'session_id',
  },
  {
    name: 'attendance_corrections',
    key: ['seq'],
    columns: {
      seq: I,
      session_id: T,
      trainee_id: T,
      check_in: I,
      check_out: I,
      reason: T,
      actor: T,
      at: I,
    },
    session: 'session_id',
  },
  {
    name: 'session_modules',
    key: ['seq'],
    columns: { seq: I, session_id: T, deck_file: T, title: T, at: I },
    session: 'session_id',
  },
];

/** Record tables that stay on the laptop, and why. */
export const NOT_REPLICATED: Record<string, string> = {
  devices: 'phone token hashes never leave the laptop',
};
