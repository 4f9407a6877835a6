/**
 * Live results: how a question's answers are tallied for the console and the projector (bars,
 * histogram, word cloud, list, ranking), and the numbers behind them.
 */
import type { AnswerValue, QuestionDef } from './question';
import type { QuestionType } from './vocabulary';

/** One bar of a numeric histogram: the answers from `from` up to but not including `to`. */
export interface HistogramBin {
  label: string;
  from: number;
  to: number;
  count: number;
  /** Answers far away from the rest (a typo, a joke), gathered in one bin at either end. */
  outlier?: 'below' | 'above';
}

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
/** Whole answers up to this many characters (once normalised) count as one phrase in the cloud. */
export const CLOUD_PHRASE_MAX = 30;

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

/** Case-folded, trimmed, punctuation and symbols removed (apostrophes join: "don't" → "dont"), spaces collapsed. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

// Common English function words: they would crowd the cloud and say nothing.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers herself him himself his how
  i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own same she should so some such than that thats the their theirs them themselves then there these they this those
  through to too under until up very was we were what when where which while who whom why will with would you your yours
  yourself yourselves im ive id youre theyre dont doesnt didnt isnt arent wasnt cant wont also get got like really`.split(
    /\s+/,
  ),
);

/** A short answer of at most this many words (once stop words are folded) counts as one phrase in the cloud. */
export const CLOUD_PHRASE_WORDS = 3;

/** One entry an answer adds to the cloud: what it is grouped by, and how it reads. */
export interface CloudTerm {
  /** Case, punctuation and stop words folded: "The debt!" and "debt" share a key. */
  key: string;
  /** Case and punctuation folded, the words kept ("fear of police"). */
  text: string;
}

/**
 * What one answer adds to the cloud, grouped by its words: case, punctuation and stop words are
 * folded ("The debt!" and "debt" are one entry). A short answer stays whole as a phrase ("fear of
 * police"); a longer one counts each of its distinct words once.
 */
export function cloudTerms(answer: string): CloudTerm[] {
  const all = normaliseText(answer).split(' ').filter(Boolean);
  const words = all.filter((w) => !STOP_WORDS.has(w));
  if (!words.length) return [];
  const key = words.join(' ');
  if (words.length <= CLOUD_PHRASE_WORDS && all.join(' ').length <= CLOUD_PHRASE_MAX) {
    // How it reads: without the stop words at either end ("the debt" reads "debt"), with those inside.
    const first = all.indexOf(words[0]);
    const last = all.lastIndexOf(words[words.length - 1]);
    return [{ key, text: all.slice(first, last + 1).join(' ') }];
  }
  return [...new Set(words.filter((w) => w.length > 1))].map((w) => ({ key: w, text: w }));
}

/**
 * Bins for numeric answers: about log2(n)+1 of them (at most 12), a "nice" width (1, 2, 2.5 or 5
 * × 10^k; whole numbers for whole-number answers, one bin per value when they span 12 or fewer),
 * and far outliers (beyond 3 × the interquartile range, or a quarter of the median if wider) gathered in an end bin so one typo does
 * not squash the chart.
 */
export function histogram(values: readonly number[]): {
  bins: HistogramBin[];
  mean: number | null;
  median: number | null;
} {
  const n = values.length;
  if (n === 0) return { bins: [], mean: null, median: null };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  // Far outliers (Tukey's outer fences), once there are enough answers to tell.
  let first = 0;
  let last = n - 1;
  if (n >= 5) {
    // Never narrower than a quarter of the median (or 1): a tight class must not make 47 an outlier next to 42.
    const iqr = quantile(s, 0.75) - quantile(s, 0.25);
    const spread = 3 * Math.max(iqr, Math.abs(median) / 4, 1);
    const lowFence = quantile(s, 0.25) - spread;
    const highFence = quantile(s, 0.75) + spread;
    while (first < last && s[first] < lowFence) first++;
    while (last > first && s[last] > highFence) last--;
  }
  const lo = s[first];
  const hi = s[last];
  const integers = s.subarray(first, last + 1).every(Number.isInteger);
  const bins: HistogramBin[] = [];
  if (lo === hi) {
    bins.push({ label: fmt(lo), from: lo, to: lo, count: last - first + 1 });
  } else {
    const target = Math.min(12, Math.ceil(Math.log2(last - first + 1)) + 1);
    const width =
      integers && hi - lo < 12 ? 1 : niceStep((hi - lo) / Math.max(target, 2), integers);
    const decimals = decimalsOf(width);
    const start = round(Math.floor(lo / width + 1e-9) * width, decimals);
    const count = Math.floor((hi - start) / width + 1e-9) + 1;
    for (let i = 0; i < count; i++) {
      const from = round(start + i * width, decimals);
      const to = round(start + (i + 1) * width, decimals);
      const label = integers
        ? width === 1
          ? fmt(from)
          : `${fmt(from)}–${fmt(to - 1)}`
        : `${fmt(from)}–${fmt(to)}`;
      bins.push({ label, from, to, count: 0 });
    }
    for (let j = first; j <= last; j++)
      bins[Math.min(count - 1, Math.max(0, Math.floor((s[j] - start) / width + 1e-9)))].count++;
  }
  if (first > 0)
    bins.unshift({
      label: `< ${fmt(bins[0].from)}`,
      from: s[0],
      to: bins[0].from,
      count: first,
      outlier: 'below',
    });
  if (last < n - 1) {
    const end = bins[bins.length - 1].to;
    bins.push({
      label: integers && lo !== hi ? `≥ ${fmt(end)}` : `> ${fmt(end)}`,
      from: end,
      to: s[n - 1],
      count: n - 1 - last,
      outlier: 'above',
    });
  }
  return { bins, mean: sum / n, median };
}

function quantile(sorted: Float64Array, p: number): number {
  const x = (sorted.length - 1) * p;
  const i = Math.floor(x);
  return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (x - i) : sorted[i];
}

function niceStep(raw: number, integers: boolean): number {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const w = m * p;
    if (w >= raw * 0.999 && (!integers || Number.isInteger(w)))
      return integers ? Math.max(1, w) : w;
  }
  return 10 * p;
}

function decimalsOf(step: number): number {
  let d = 0;
  while (d < 12 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9 * 10 ** d) d++;
  return d;
}

const round = (x: number, decimals: number) => Number(x.toFixed(Math.min(decimals, 20))) + 0;

/** A number for people: at most `decimals` decimals, no float noise ("0.30000000000000004" → "0.3"). */
export function fmt(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e15 || (x !== 0 && Math.abs(x) < 1e-6)) return x.toPrecision(3);
  return String(Number(x.toFixed(decimals)) + 0);
}

/** The tolerance band of a revealed numeric question, or null (not numeric, ungraded or not revealed). */
export function revealedBand(r: ResultsView): { value: number; lo: number; hi: number } | null {
  if (r.kind !== 'histogram' || !r.correct?.length || r.tolerance === undefined) return null;
  const value = Number(r.correct[0]);
  if (!Number.isFinite(value)) return null;
  return { value, lo: value - r.tolerance, hi: value + r.tolerance };
}

/** Whether a histogram bin holds answers inside the band. */
export function binInBand(b: HistogramBin, band: { lo: number; hi: number }): boolean {
  if (b.outlier)
    return b.outlier === 'below'
      ? b.from <= band.hi && b.to > band.lo
      : b.from <= band.hi && b.to >= band.lo;
  return b.from === b.to
    ? b.from >= band.lo && b.from <= band.hi
    : b.from <= band.hi && b.to > band.lo;
}
