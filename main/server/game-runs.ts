/**
 * Reads back what the optional game layer needs after a restart (or when the instructor turns the
 * game on mid-class): the session's revealed live question runs and the answers that count, with
 * their times. Read-only: the game writes nothing to the records.
 */
import type { Records } from '../records/db';
import type { GameRun } from '../session/game';
import { countsForGame } from '../session/game';
import type { AnswerValue, QuestionDef } from '../../shared/question';

/** Revealed, graded live runs of a session (never assessment runs), oldest first, with their answers. */
export function revealedGameRuns(records: Records, sessionId: string): GameRun[] {
  const runs = records.db
    .prepare(
      `SELECT id, question_json, opened_at, deadline FROM question_runs
       WHERE session_id = ? AND assessment_id IS NULL AND revealed_at IS NOT NULL ORDER BY opened_at, rowid`,
    )
    .all(sessionId) as {
    id: string;
    question_json: string;
    opened_at: number;
    deadline: number | null;
  }[];
  const answers = records.db
    .prepare(
      `SELECT p.run_id, p.trainee_id, p.value_json, p.answered_at FROM responses p JOIN question_runs r ON r.id = p.run_id
       WHERE r.session_id = ? AND r.assessment_id IS NULL AND r.revealed_at IS NOT NULL`,
    )
    .all(sessionId) as {
    run_id: string;
    trainee_id: string;
    value_json: string;
    answered_at: number;
  }[];
  const byRun = new Map<string, GameRun['answers'][number][]>();
  for (const a of answers) {
    let list = byRun.get(a.run_id);
    if (!list) byRun.set(a.run_id, (list = []));
    list.push({
      traineeId: a.trainee_id,
      value: JSON.parse(a.value_json) as AnswerValue,
      at: a.answered_at,
    });
  }
  const out: GameRun[] = [];
  for (const r of runs) {
    const q = JSON.parse(r.question_json) as QuestionDef;
    if (!countsForGame(q, false)) continue;
    out.push({
      runId: r.id,
      q,
      openedAt: r.opened_at,
      deadline: r.deadline,
      answers: byRun.get(r.id) ?? [],
    });
  }
  return out;
}
