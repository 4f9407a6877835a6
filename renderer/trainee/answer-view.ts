/**
 * What the screens derive from the phone's state about the question on screen: this phone's
 * answer, what the reveal means to it, and the order a ranking's items first show in.
 */
import type { AnswerValue } from '../../shared/question';
import type { ConnState } from './conn-state';
import { matchesKey } from '../../shared/answer-key';
import { shuffled } from '../../shared/shuffle';

/** This phone's answer to the question on screen: the one waiting to be sent, or the one stored. */
export function myAnswer(ui: ConnState): AnswerValue | undefined {
  const q = ui.view?.question;
  if (!q) return undefined;
  const pending = ui.pending.find((p) => p.runId === q.runId);
  if (pending) return pending.value;
  return ui.confirmed?.runId === q.runId ? ui.confirmed.value : undefined;
}

/** What the reveal means to this phone. */
export interface Outcome {
  /** Null for a poll (nothing is right or wrong); `unanswered` when this phone gave no answer. */
  verdict: 'correct' | 'not-quite' | 'unanswered' | null;
  /** The right answer's labels (a ranking's whole order, top first), or null for a poll. */
  correct: string[] | null;
  explanation: string | null;
}

/**
 * The reveal of the question on screen, judged for this phone by the server's own rule
 * (shared/answer-key.ts: the key and, for a number, the tolerance come with the reveal); null
 * before the reveal.
 */
export function outcome(ui: ConnState): Outcome | null {
  const q = ui.view?.question;
  const r = ui.view?.reveal;
  if (!q || !r) return null;
  const mine = myAnswer(ui);
  const key = r.correct
    ? {
        type: q.q.type,
        correct: r.correct,
        ...(r.tolerance !== undefined ? { tolerance: r.tolerance } : {}),
      }
    : null;
  const verdict = !key
    ? null
    : mine === undefined
      ? 'unanswered'
      : matchesKey(key, mine)
        ? 'correct'
        : 'not-quite';
  return { verdict, correct: r.correct, explanation: r.explanation };
}

/**
 * The order this phone first shows a ranking's items in: its own shuffle, keyed by its trainee and
 * the question run, so two neighbours see different lists and a reload shows the same one.
 */
export function rankingOrder(
  ui: Pick<ConnState, 'joined'>,
  runId: string,
  options: readonly string[],
): string[] {
  return shuffled(options, `${ui.joined?.id ?? ''}:${runId}`);
}
