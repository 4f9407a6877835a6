/**
 * Reading a session back for the engine: what it needs to continue a class after a restart (the
 * trainees and their phones, the question on screen with its answers, the scenario's path, the Q&A
 * board, the open assessment, the roster). restore.ts replays it through the same apply as a live
 * class. Which question still counts is decided here, from where the class was when it stopped.
 */
import type Database from 'better-sqlite3';
import type { QaStatus, RosterEntry } from '../session/ops';
import type { Snapshot } from '../session/state';
import type { Deck } from '../../shared/course';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import type { SessionPhase } from '../../shared/protocol';
import type { SessionRow } from './db';

/** Reads back what the engine needs to continue a session. The deck comes from the content. */
export function readSnapshot(db: Database.Database, row: SessionRow, deck: Deck): Snapshot {
  const trainees = db
    .prepare(
      `SELECT id, name, officer_id AS officerId, agency FROM trainees WHERE session_id = ? ORDER BY joined_at, id`,
    )
    .all(row.id) as Snapshot['trainees'];
  const tokens = db
    .prepare(
      `SELECT d.token_hash AS tokenHash, d.trainee_id AS traineeId FROM devices d JOIN trainees t ON t.id = d.trainee_id WHERE t.session_id = ? AND d.revoked_at IS NULL`,
    )
    .all(row.id) as Snapshot['tokens'];
  const msgIds = db
    .prepare(`SELECT trainee_id AS traineeId, msg_id AS msgId FROM answer_log WHERE session_id = ?`)
    .all(row.id) as Snapshot['msgIds'];
  // Live questions only: an assessment's questions are restored with the assessment.
  const runRow = db
    .prepare(
      `SELECT * FROM question_runs WHERE session_id = ? AND assessment_id IS NULL ORDER BY opened_at DESC, rowid DESC LIMIT 1`,
    )
    .get(row.id) as
    | {
        id: string;
        slide_index: number;
        question_json: string;
        opened_at: number;
        deadline: number | null;
        closed_at: number | null;
        revealed_at: number | null;
      }
    | undefined;
  let run: Snapshot['run'] = null;
  let answers: Snapshot['answers'] = [];
  let phase: SessionPhase = 'presenting';
  // The latest play of the current slide's scenario, if it has one.
  // (A play from before the class last came to this slide is over: the slide starts a new one.)
  const last = db
    .prepare(
      `SELECT play_id, at FROM scenario_steps WHERE session_id = ? AND slide_index = ? AND at >= ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(row.id, row.slide_index, row.slide_at ?? 0) as { play_id: string; at: number } | undefined;
  const scenario: Snapshot['scenario'] = last
    ? {
        playId: last.play_id,
        steps: db
          .prepare(
            `SELECT from_node AS fromNode, option_id AS optionId, to_node AS toNode, run_id AS runId FROM scenario_steps WHERE play_id = ? ORDER BY step`,
          )
          .all(last.play_id) as NonNullable<Snapshot['scenario']>['steps'],
      }
    : null;
  // The last run counts only if the instructor is still on its slide (and, in a scenario, at its decision).
  if (
    runRow &&
    runRow.slide_index === row.slide_index &&
    !(last && runRow.opened_at <= last.at) &&
    !(row.slide_at != null && runRow.opened_at < row.slide_at)
  ) {
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
      db
        .prepare(
          `SELECT trainee_id AS traineeId, value_json, answered_at AS at FROM responses WHERE run_id = ?`,
        )
        .all(runRow.id) as {
        traineeId: string;
        value_json: string;
        at: number;
      }[]
    ).map((a) => ({
      traineeId: a.traineeId,
      value: JSON.parse(a.value_json) as AnswerValue,
      at: a.at,
      msgId: '',
    }));
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
      moduleStartedAt:
        (db
          .prepare(`SELECT MAX(at) FROM session_modules WHERE session_id = ?`)
          .pluck()
          .get(row.id) as number | null) ?? row.started_at,
      instructors: row.instructors ?? '',
      location: row.location ?? '',
    },
    trainees,
    tokens,
    run,
    answers,
    msgIds,
    scenario,
    qa: qaItems(db, row.id),
    assessment: openAssessment(db, row.id),
    roster: rosterEntries(db, row.id),
  };
}

/** The assessment of a session still open (not closed), with its answers and submissions. */
function openAssessment(db: Database.Database, sessionId: string): Snapshot['assessment'] {
  const a = db
    .prepare(
      `SELECT * FROM assessments WHERE session_id = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1`,
    )
    .get(sessionId) as
    | {
        id: string;
        key: string;
        kind: NonNullable<Snapshot['assessment']>['kind'];
        assessment_id: string;
        title: string;
        opened_at: number;
      }
    | undefined;
  if (!a) return null;
  const runs = (
    db
      .prepare(
        `SELECT id, question_json, slide_index FROM question_runs WHERE assessment_id = ? ORDER BY position`,
      )
      .all(a.id) as { id: string; question_json: string; slide_index: number }[]
  ).map((r) => ({
    runId: r.id,
    q: JSON.parse(r.question_json) as QuestionDef,
    slideIndex: r.slide_index,
  }));
  const answers = (
    db
      .prepare(
        `SELECT r.run_id AS runId, r.trainee_id AS traineeId, r.value_json, r.answered_at AS at FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id = ?`,
      )
      .all(a.id) as {
      runId: string;
      traineeId: string;
      value_json: string;
      at: number;
    }[]
  ).map((x) => ({
    runId: x.runId,
    traineeId: x.traineeId,
    value: JSON.parse(x.value_json) as AnswerValue,
    at: x.at,
  }));
  const submitted = db
    .prepare(
      `SELECT trainee_id AS traineeId, submitted_at AS at FROM assessment_submissions WHERE assessment_id = ?`,
    )
    .all(a.id) as { traineeId: string; at: number }[];
  return {
    id: a.id,
    key: a.key,
    kind: a.kind,
    assessmentId: a.assessment_id,
    title: a.title,
    openedAt: a.opened_at,
    runs,
    answers,
    submitted,
  };
}

/** The Q&A board of a session, with who voted (never who asked an anonymous question). */
export function qaItems(db: Database.Database, sessionId: string): Snapshot['qa'] {
  const rows = db
    .prepare(
      `SELECT id, trainee_id, text, anonymous, status, pinned, created_at, msg_id FROM qa_questions WHERE session_id = ? ORDER BY created_at, id`,
    )
    .all(sessionId) as {
    id: string;
    trainee_id: string | null;
    text: string;
    anonymous: number;
    status: QaStatus;
    pinned: number;
    created_at: number;
    msg_id: string;
  }[];
  const voters = db.prepare(`SELECT trainee_id FROM qa_votes WHERE question_id = ?`).pluck();
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
export function rosterEntries(db: Database.Database, sessionId: string | null): RosterEntry[] {
  return db
    .prepare(
      `SELECT officer_id AS officerId, name, agency, IFNULL(email, '') AS email, IFNULL(first_name, '') AS firstName, IFNULL(last_name, '') AS lastName
       FROM roster_entries WHERE session_id IS ? ORDER BY id`,
    )
    .all(sessionId) as RosterEntry[];
}
