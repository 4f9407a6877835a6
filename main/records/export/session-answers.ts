/**
 * The sheets with one row per answer: Responses (every answer) and Evaluation (the course
 * evaluation's). Both are made as they are written, never held whole.
 */
import { answerCell, neutralise } from './cells';
import type { LoadedResponse, LoadedRun } from './results';
import type { Cell, SheetSpec } from './xlsx';
import type { Clock } from '../../../shared/clock';

/** The record score of one answer (0–1, partial credit where the question allows it), or '' for a poll or survey. */
const scoreCell = (s: number | null): number | '' =>
  s === null ? '' : Math.round(s * 10000) / 10000;

/** Each trainee's name, officer ID and agency by trainee id, already neutralised. */
export interface People {
  name: Map<string, string>;
  officerId: Map<string, string>;
  agency: Map<string, string>;
}

export function responsesSheet(
  runs: Map<string, LoadedRun>,
  responses: LoadedResponse[],
  people: People,
  idLabel: string,
  clock: Clock,
): SheetSpec {
  const prompts = new Map<string, string>();
  function* each(): Iterable<Cell[]> {
    yield [
      'Name',
      idLabel,
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Correct',
      'Score',
      'First answered',
      'Final answer at',
      'Changes',
    ];
    for (const r of responses) {
      const run = runs.get(r.runId)!;
      let prompt = prompts.get(r.runId);
      if (prompt === undefined) prompts.set(r.runId, (prompt = neutralise(run.q.prompt)));
      yield [
        people.name.get(r.traineeId) ?? '',
        people.officerId.get(r.traineeId) ?? '',
        run.q.id,
        prompt,
        run.q.type,
        answerCell(run.q, r.value),
        r.correct === null ? '' : r.correct ? 'Yes' : 'No',
        scoreCell(r.score),
        clock.dateTime(r.firstAt),
        clock.dateTime(r.answeredAt),
        r.changes,
      ];
    }
  }
  // Made as they are written: 120,000 answers are never all rows at once.
  const rows = { count: responses.length + 1, width: 11, each };
  // The question's text is cut to its column here (Item analysis has it whole): one line per answer.
  return {
    name: 'Responses',
    rows,
    widths: [22, 11, 16, 44, 9, 30, 8, 7, 16, 16, 8],
    formats: { 7: '0%' },
    wrap: [0, 5],
  };
}

export function evaluationSheet(
  runs: Map<string, LoadedRun>,
  responses: LoadedResponse[],
  people: People,
  idLabel: string,
  clock: Clock,
): SheetSpec {
  function* each(): Iterable<Cell[]> {
    yield ['Name', idLabel, 'Agency', 'Question ID', 'Question', 'Type', 'Answer', 'Answered at'];
    for (const r of responses) {
      const run = runs.get(r.runId)!;
      if (!run.evaluation) continue;
      yield [
        people.name.get(r.traineeId) ?? '',
        people.officerId.get(r.traineeId) ?? '',
        people.agency.get(r.traineeId) ?? '',
        run.q.id,
        neutralise(run.q.prompt),
        run.q.type,
        answerCell(run.q, r.value),
        clock.dateTime(r.answeredAt),
      ];
    }
  }
  let count = 1;
  for (const r of responses) if (runs.get(r.runId)!.evaluation) count++;
  return {
    name: 'Evaluation',
    rows: { count, width: 8, each },
    widths: [22, 11, 18, 14, 40, 8, 40, 16],
    wrap: [0, 2, 4, 6],
  };
}
