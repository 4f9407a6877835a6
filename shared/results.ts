/**
 * Live results: how a question's answers are tallied for the console and the projector (bars,
 * histogram, word cloud, list, ranking), and the numbers behind them.
 * The histogram's bins are made in ./histogram.ts, the cloud's terms in ./cloud-terms.ts.
 */
import type { AnswerValue, QuestionDef } from './question';
import type { QuestionType } from './vocabulary';
import { cloudTerms } from './cloud-terms';
import { histogram } from './histogram';
import type { HistogramBin } from './histogram';

export { binInBand, fmt, histogram } from './histogram';
export type { HistogramBin } from './histogram';
export { CLOUD_PHRASE_MAX, CLOUD_PHRASE_WORDS, cloudTerms, normaliseText } from './cloud-terms';
export type { CloudTerm } from './cloud-terms';

export interface CloudWord {
  text: string;
  count: number;
}

export interface RankItem {
  label: string;
  /** Mean position given by the class, 1 = top; null before anyone answered. */
  averageRank: number | null;
  /** How many put it first. */
  first: number;
}

interface ResultsCommon {
  questionId: string;
  type: QuestionType;
  /** How many trainees answered. */
  answered: number;
  /** The correct labels ({@link correctLabels}), present only once results are shown. */
  correct?: string[];
}

/** Counts per option: single, multi, true/false, rating (per scale point, with the mean). */
export interface BarsResults extends ResultsCommon {
  kind: 'bars';
  labels: string[];
  counts: number[];
  /** Rating only: the mean of the answers (null before any) and the scale's end labels. */
  mean?: number | null;
  minLabel?: string;
  maxLabel?: string;
}

/** Numeric answers in bins chosen from the answers. */
export interface HistogramResults extends ResultsCommon {
  kind: 'histogram';
  bins: HistogramBin[];
  mean: number | null;
  median: number | null;
  unit?: string;
  /** The tolerance of a graded question (not the answer itself): the band is drawn once `correct` is there. */
  tolerance?: number;
}

/** Open text as a word cloud: the most frequent words and short answers, normalised. */
export interface CloudResults extends ResultsCommon {
  kind: 'cloud';
  words: CloudWord[];
}

/** Open text as a list: the latest answers first, text only (never who wrote them). */
export interface ListResults extends ResultsCommon {
  kind: 'list';
  answers: string[];
}

/** Ranking: the average position of each item, best (lowest) first. */
export interface RankResults extends ResultsCommon {
  kind: 'rank';
  items: RankItem[];
}

/** Aggregate shown on the projector and console; `kind` says which view draws it. */
export type ResultsView = BarsResults | HistogramResults | CloudResults | ListResults | RankResults;
export type ResultsKind = ResultsView['kind'];
/** A {@link ResultsView} without its question id (what {@link tally} returns), kept a discriminated union. */
export type Tally = WithoutId<ResultsView>;
type WithoutId<T> = T extends unknown ? Omit<T, 'questionId'> : never;

export const CLOUD_WORDS = 50;
export const LIST_ANSWERS = 50;

/**
 * The aggregate of the answers so far. Runs several times a second over up to a few hundred
 * answers, so it stays linear (plus one sort of numbers for a histogram).
 */
export function tally(q: QuestionDef, answers: Iterable<AnswerValue>): Tally {
  switch (q.type) {
    case 'single':
    case 'multi':
      return bars(q, q.options, answers, (v) => (Array.isArray(v) ? v : [v as string]));
    case 'truefalse':
      return bars(q, ['True', 'False'], answers, (v) => [
        v === true ? 'True' : v === false ? 'False' : '',
      ]);
    case 'rating': {
      const { min, max, minLabel, maxLabel } = q.scale;
      const labels = Array.from({ length: Math.max(0, max - min + 1) }, (_, i) => String(min + i));
      let sum = 0;
      let n = 0;
      const out = bars(q, labels, answers, (v) => {
        if (typeof v === 'number') {
          sum += v;
          n++;
        }
        return [String(v)];
      });
      return {
        ...out,
        mean: n ? sum / n : null,
        ...(minLabel ? { minLabel } : {}),
        ...(maxLabel ? { maxLabel } : {}),
      };
    }
    case 'numeric': {
      const values: number[] = [];
      for (const v of answers) if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
      return {
        kind: 'histogram',
        type: q.type,
        answered: values.length,
        ...histogram(values),
        ...(q.unit ? { unit: q.unit } : {}),
        ...(q.correct !== undefined ? { tolerance: q.tolerance ?? 0 } : {}),
      };
    }
    case 'text':
      return q.display === 'list' ? textList(q.type, answers) : cloud(q.type, answers);
    case 'ranking':
      return ranking(q.type, q.options, answers);
  }
}

function bars(
  q: QuestionDef,
  labels: readonly string[],
  answers: Iterable<AnswerValue>,
  keys: (v: AnswerValue) => readonly string[],
): BarsTally {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => 0);
  let answered = 0;
  for (const v of answers) {
    answered++;
    for (const k of keys(v)) {
      const i = index.get(k);
      if (i !== undefined) counts[i]++;
    }
  }
  return { kind: 'bars', type: q.type, answered, labels: [...labels], counts };
}
type BarsTally = Omit<BarsResults, 'questionId'>;

function ranking(
  type: QuestionType,
  options: readonly string[],
  answers: Iterable<AnswerValue>,
): Omit<RankResults, 'questionId'> {
  const index = new Map(options.map((o, i) => [o, i]));
  const sums = options.map(() => 0);
  const firsts = options.map(() => 0);
  let answered = 0;
  for (const v of answers) {
    if (!Array.isArray(v)) continue;
    answered++;
    v.forEach((item, pos) => {
      const i = index.get(item);
      if (i !== undefined) sums[i] += pos + 1;
    });
    const top = index.get(v[0]);
    if (top !== undefined) firsts[top]++;
  }
  const items = options.map((label, i) => ({
    label,
    averageRank: answered ? sums[i] / answered : null,
    first: firsts[i],
    i,
  }));
  items.sort((a, b) => (a.averageRank ?? 0) - (b.averageRank ?? 0) || a.i - b.i);
  return { kind: 'rank', type, answered, items: items.map(({ i: _i, ...item }) => item) };
}

function textList(
  type: QuestionType,
  answers: Iterable<AnswerValue>,
): Omit<ListResults, 'questionId'> {
  const latest: string[] = [];
  let answered = 0;
  for (const v of answers) {
    answered++;
    const text = String(v).replace(/\s+/g, ' ').trim();
    if (!text) continue;
    latest.push(text);
    if (latest.length > LIST_ANSWERS * 2) latest.splice(0, LIST_ANSWERS);
  }
  return { kind: 'list', type, answered, answers: latest.slice(-LIST_ANSWERS).reverse() };
}

function cloud(
  type: QuestionType,
  answers: Iterable<AnswerValue>,
): Omit<CloudResults, 'questionId'> {
  // Per key: how many answers, and how often each way of writing it came (the commonest is shown).
  const counts = new Map<string, { count: number; texts: Map<string, number> }>();
  let answered = 0;
  for (const v of answers) {
    answered++;
    for (const t of cloudTerms(String(v))) {
      let e = counts.get(t.key);
      if (!e) counts.set(t.key, (e = { count: 0, texts: new Map() }));
      e.count++;
      e.texts.set(t.text, (e.texts.get(t.text) ?? 0) + 1);
    }
  }
  const words = [...counts]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, CLOUD_WORDS)
    .map(([, e]) => ({ text: commonest(e.texts), count: e.count }));
  return { kind: 'cloud', type, answered, words };
}

/** The most frequent way of writing it; the shorter one on a tie. */
function commonest(texts: Map<string, number>): string {
  let best = '';
  let n = 0;
  for (const [t, c] of texts) if (c > n || (c === n && t.length < best.length)) [best, n] = [t, c];
  return best;
}

/** The tolerance band of a revealed numeric question, or null (not numeric, ungraded or not revealed). */
export function revealedBand(r: ResultsView): { value: number; lo: number; hi: number } | null {
  if (r.kind !== 'histogram' || !r.correct?.length || r.tolerance === undefined) return null;
  const value = Number(r.correct[0]);
  if (!Number.isFinite(value)) return null;
  return { value, lo: value - r.tolerance, hi: value + r.tolerance };
}
