/**
 * Scenario judgement: each trainee's own vote at each role-play decision, scored against the
 * choice the scenario's debrief recommends — a checklist score, as standards bodies count scenario
 * evaluation. It is reported beside the record score and never changes it (scenario votes are
 * polls: the pass/fail rule in results.ts does not see them).
 *
 * The recommended choice is read from the decision as it was put to the class and stored with the
 * question run: the engine's scenarioQuestion() writes "Recommended: <option>" as its explanation
 * (main/session/state.ts), so a course edited later does not rescore old classes.
 */
import type { QuestionDef } from '../../../shared/question';
import { round1 } from './cells';
import type { LoadedResponse, LoadedRun, SessionResults } from './results';
import type { SheetSpec } from './xlsx';

const RECOMMENDED = 'Recommended: ';

/** The recommended option of a scenario decision, or null for anything else. */
export function recommendedChoice(q: QuestionDef): string | null {
  if (
    q.type !== 'single' ||
    !q.tags?.includes('scenario') ||
    !q.explanation?.startsWith(RECOMMENDED)
  )
    return null;
  const choice = q.explanation.slice(RECOMMENDED.length);
  return q.options.includes(choice) ? choice : null;
}

export interface Judgement {
  /** Decisions the trainee voted on (each decision once: a replayed one counts its latest vote). */
  voted: number;
  /** Of those, votes for the recommended choice. */
  recommended: number;
}

/** Each trainee's scenario judgement in a session; empty when no decision with a recommendation was voted on. */
export function scenarioJudgement(
  runs: LoadedRun[],
  responses: LoadedResponse[],
): Map<string, Judgement> {
  const decisions = new Map<string, { q: string; best: string }>();
  for (const r of runs) {
    const best = recommendedChoice(r.q);
    if (best !== null) decisions.set(r.id, { q: r.q.id, best });
  }
  // Responses come in run order: the last vote seen for a (trainee, decision) is the latest.
  const latest = new Map<string, Map<string, boolean>>();
  for (const resp of responses) {
    const d = decisions.get(resp.runId);
    if (!d) continue;
    let mine = latest.get(resp.traineeId);
    if (!mine) latest.set(resp.traineeId, (mine = new Map()));
    mine.set(d.q, resp.value === d.best);
  }
  const out = new Map<string, Judgement>();
  for (const [trainee, votes] of latest)
    out.set(trainee, {
      voted: votes.size,
      recommended: [...votes.values()].filter(Boolean).length,
    });
  return out;
}

/**
 * The Scores sheet with two columns added at its end: decisions voted on and the share of them that
 * matched the recommended choice. A session without scenario votes gets the columns, blank.
 */
export function withScenarioJudgement(
  scores: SheetSpec,
  res: SessionResults,
  runs: LoadedRun[],
  responses: LoadedResponse[],
): SheetSpec {
  if (!Array.isArray(scores.rows)) return scores;
  const j = scenarioJudgement(runs, responses);
  const rows = scores.rows.map((row, i) => {
    if (i === 0) return [...row, 'Scenario decisions voted', 'Scenario judgement %'];
    const t = j.get(res.trainees[i - 1]?.traineeId ?? '');
    return [...row, t ? t.voted : '', t && t.voted ? round1((t.recommended / t.voted) * 100) : ''];
  });
  return { ...scores, rows, widths: [...scores.widths, 22, 20] };
}
