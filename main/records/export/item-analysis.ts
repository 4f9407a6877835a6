/**
 * The Item analysis sheet: each question run with how many answered, the share correct and the
 * count of each choice.
 */
import { correctLabels } from '../../../shared/question';
import { fmt, tally } from '../../../shared/results';
import type { AnswerValue, QuestionDef } from '../../../shared/question';
import type { Clock } from '../../../shared/clock';
import { neutralise } from './cells';
import type { LoadedResponse, LoadedRun } from './results';
import type { Cell, SheetSpec } from './xlsx';

const MAX_CHOICES = 12;
const orBlank = (n: number | null): Cell => (n === null ? '' : n);

/** The right answer of a question as text ('' for a poll or survey). */
export function correctAnswerText(q: QuestionDef): string {
  const labels = correctLabels(q);
  if (!labels) return '';
  if (q.type === 'numeric' && q.tolerance) return `${labels[0]} ± ${fmt(q.tolerance)}`;
  return neutralise(labels.join(q.type === 'ranking' ? ' > ' : ' | '));
}

/** The choices of a question run with how many picked each (for a ranking: how many put it first). */
export function choiceCounts(q: QuestionDef, values: AnswerValue[]): [string, number][] {
  const t = tally(q.type === 'text' ? { ...q, display: 'cloud' } : q, values);
  switch (t.kind) {
    case 'bars':
      return t.labels.map((l, i) => [l, t.counts[i]]);
    case 'histogram':
      return t.bins.map((b) => [b.label, b.count]);
    case 'rank':
      return t.items.map((it) => [
        `${it.label} (mean rank ${it.averageRank === null ? '–' : fmt(it.averageRank)})`,
        it.first,
      ]);
    case 'cloud':
      return t.words.map((w) => [w.text, w.count]);
    case 'list':
      return [];
  }
}

export interface ItemStats {
  run: LoadedRun;
  answered: number;
  correct: number | null;
  share: number | null;
  choices: [string, number][];
}

export function itemStats(runs: LoadedRun[], responses: LoadedResponse[]): ItemStats[] {
  const byRun = new Map<string, AnswerValue[]>(runs.map((r) => [r.id, []]));
  const right = new Map<string, number>();
  for (const r of responses) {
    byRun.get(r.runId)?.push(r.value);
    if (r.ok) right.set(r.runId, (right.get(r.runId) ?? 0) + 1);
  }
  return runs.map((run) => {
    const values = byRun.get(run.id)!;
    const graded = correctLabels(run.q) !== undefined;
    const correct = right.get(run.id) ?? 0;
    return {
      run,
      answered: values.length,
      correct: graded ? correct : null,
      share: graded && values.length ? Math.round((correct / values.length) * 10000) / 10000 : null,
      choices: choiceCounts(run.q, values).slice(0, MAX_CHOICES),
    };
  });
}

export function itemAnalysisSheet(stats: ItemStats[], clock: Clock): SheetSpec {
  const pairs = Math.max(0, ...stats.map((s) => s.choices.length));
  const header: Cell[] = [
    '#',
    'Slide',
    'Question ID',
    'Question',
    'Type',
    'Tags',
    'Opened',
    'Answered',
    'Correct answer',
    'Correct',
    'Share correct',
    'Asked in',
  ];
  for (let i = 1; i <= pairs; i++) header.push(`Choice ${i}`, `Count ${i}`);
  const rows: Cell[][] = [header];
  stats.forEach((s, i) => {
    const row: Cell[] = [
      i + 1,
      // A self-paced question has no slide: "Asked in" names its assessment.
      s.run.assessment ? '' : s.run.slideIndex + 1,
      s.run.q.id,
      neutralise(s.run.q.prompt),
      s.run.q.type,
      neutralise((s.run.q.tags ?? []).join(', ')),
      clock.dateTime(s.run.openedAt),
      s.answered,
      correctAnswerText(s.run.q),
      orBlank(s.correct),
      orBlank(s.share),
      s.run.assessment ? neutralise(s.run.assessment.title) : 'Live',
    ];
    for (const [label, n] of s.choices) row.push(neutralise(label), n);
    rows.push(row);
  });
  const widths = [4, 6, 14, 40, 9, 14, 16, 9, 22, 8, 9, 14];
  const wrap = [2, 3, 5, 8, 11];
  for (let i = 0; i < pairs; i++) {
    wrap.push(widths.length);
    widths.push(16, 6);
  }
  return { name: 'Item analysis', rows, widths, formats: { 10: '0%' }, wrap };
}
