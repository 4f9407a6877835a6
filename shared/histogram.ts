/**
 * A numeric question's answers as a histogram: the bins (a "nice" width, far outliers gathered at
 * either end), and the numbers written for people.
 */

/** One bar of a numeric histogram: the answers from `from` up to but not including `to`. */
export interface HistogramBin {
  label: string;
  from: number;
  to: number;
  count: number;
  /** Answers far away from the rest (a typo, a joke), gathered in one bin at either end. */
  outlier?: 'below' | 'above';
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
