import { describe, expect, it } from 'vitest';
import { correctLabels, isCorrect, score } from '../../shared/question';
import {
  binInBand,
  cloudTerms,
  fmt,
  histogram,
  normaliseText,
  revealedBand,
  tally,
} from '../../shared/results';
import type { AnswerValue, QuestionDef } from '../../shared/question';
import type { ResultsView } from '../../shared/results';

const base = { prompt: 'Q?' };
const single: QuestionDef = {
  ...base,
  id: 's',
  type: 'single',
  options: ['A', 'B', 'C'],
  correct: 'B',
};
const multi: QuestionDef = {
  ...base,
  id: 'm',
  type: 'multi',
  options: ['A', 'B', 'C', 'D'],
  correct: ['A', 'B', 'C'],
};
const partial: QuestionDef = { ...multi, id: 'mp', scoring: 'partial' };
const tf: QuestionDef = { ...base, id: 't', type: 'truefalse', correct: false };
const numeric: QuestionDef = {
  ...base,
  id: 'n',
  type: 'numeric',
  correct: 42,
  tolerance: 2,
  unit: 'km',
};
const rating: QuestionDef = {
  ...base,
  id: 'r',
  type: 'rating',
  scale: { min: 1, max: 5, minLabel: 'Disagree', maxLabel: 'Agree' },
};
const cloudQ: QuestionDef = { ...base, id: 'c', type: 'text' };
const listQ: QuestionDef = { ...base, id: 'l', type: 'text', display: 'list' };
const rank: QuestionDef = {
  ...base,
  id: 'k',
  type: 'ranking',
  options: ['Safety', 'Separate', 'Screen', 'Report'],
  graded: true,
};

function kind<K extends ResultsView['kind']>(
  r: { kind: string },
  k: K,
): Extract<ResultsView, { kind: K }> {
  expect(r.kind).toBe(k);
  return r as Extract<ResultsView, { kind: K }>;
}

describe('tally: counts per option', () => {
  it('single choice', () => {
    const r = kind(tally(single, ['A', 'B', 'B', 'C', 'B']), 'bars');
    expect(r).toMatchObject({
      type: 'single',
      answered: 5,
      labels: ['A', 'B', 'C'],
      counts: [1, 3, 1],
    });
    expect(r.mean).toBeUndefined();
  });
  it('multiple select counts every pick; answered counts people', () => {
    const r = kind(tally(multi, [['A', 'B'], ['A'], ['D', 'C', 'A']]), 'bars');
    expect(r).toMatchObject({ answered: 3, labels: ['A', 'B', 'C', 'D'], counts: [3, 1, 1, 1] });
  });
  it('true/false', () => {
    const r = kind(tally(tf, [true, false, false, true, false]), 'bars');
    expect(r).toMatchObject({ labels: ['True', 'False'], counts: [2, 3], answered: 5 });
  });
  it('rating: per scale point, with the mean and the scale labels', () => {
    const r = kind(tally(rating, [1, 4, 5, 5, 4]), 'bars');
    expect(r).toMatchObject({
      labels: ['1', '2', '3', '4', '5'],
      counts: [1, 0, 0, 2, 2],
      mean: 3.8,
      minLabel: 'Disagree',
      maxLabel: 'Agree',
    });
    expect(kind(tally(rating, []), 'bars').mean).toBeNull();
  });
  it('a negative Likert scale', () => {
    const r = kind(
      tally({ ...base, id: 'l', type: 'rating', scale: { min: -2, max: 2 } }, [-2, 0, 2, 2]),
      'bars',
    );
    expect(r).toMatchObject({
      labels: ['-2', '-1', '0', '1', '2'],
      counts: [1, 0, 1, 0, 2],
      mean: 0.5,
    });
  });
  it('never carries the correct answer itself', () => {
    for (const q of [single, multi, tf, numeric, rank])
      expect(tally(q, []).correct).toBeUndefined();
    expect(JSON.stringify(tally(numeric, [10, 11]))).not.toContain('42');
  });
});

describe('tally: numeric histogram', () => {
  it('whole numbers over a small range get one bin per value', () => {
    const r = kind(tally(numeric, [40, 42, 42, 43, 47]), 'histogram');
    expect(r.bins.map((b) => [b.label, b.count])).toEqual([
      ['40', 1],
      ['41', 0],
      ['42', 2],
      ['43', 1],
      ['44', 0],
      ['45', 0],
      ['46', 0],
      ['47', 1],
    ]);
    expect(r).toMatchObject({ answered: 5, mean: 42.8, median: 42, unit: 'km', tolerance: 2 });
  });
  it('a wide range gets a few nice bins', () => {
    const { bins } = histogram([10, 15, 15, 20, 25, 31, 38, 44, 50, 60]);
    expect(bins.map((b) => b.label)).toEqual([
      '10–19',
      '20–29',
      '30–39',
      '40–49',
      '50–59',
      '60–69',
    ]);
    expect(bins.map((b) => b.count)).toEqual([3, 2, 2, 1, 1, 1]);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(10);
  });
  it('decimals get decimal bins with no float noise', () => {
    const { bins, mean, median } = histogram([0.1, 0.2, 0.3, 0.35, 0.9]);
    expect(bins.map((b) => b.label)).toEqual(['0–0.2', '0.2–0.4', '0.4–0.6', '0.6–0.8', '0.8–1']);
    expect(bins.map((b) => b.count)).toEqual([1, 3, 0, 0, 1]);
    expect(fmt(mean!)).toBe('0.37');
    expect(median).toBe(0.3);
  });
  it('one value, or none', () => {
    expect(histogram([7, 7, 7])).toEqual({
      bins: [{ label: '7', from: 7, to: 7, count: 3 }],
      mean: 7,
      median: 7,
    });
    expect(histogram([])).toEqual({ bins: [], mean: null, median: null });
  });
  it('a far outlier goes to an end bin instead of squashing the chart', () => {
    const { bins, median } = histogram([14, 15, 15, 15, 16, 1_000_000]);
    expect(bins.map((b) => [b.label, b.count])).toEqual([
      ['14', 1],
      ['15', 3],
      ['16', 1],
      ['≥ 17', 1],
    ]);
    expect(bins.at(-1)!.outlier).toBe('above');
    expect(median).toBe(15);
    const low = histogram([-5000, 20, 21, 22, 23, 24]).bins;
    expect(low[0]).toMatchObject({ label: '< 20', count: 1, outlier: 'below' });
  });
  it('negative numbers', () => {
    const { bins } = histogram([-3, -1, 0, 2]);
    expect(bins.map((b) => b.label)).toEqual(['-3', '-2', '-1', '0', '1', '2']);
  });
  it('shows the band only once the correct answer is revealed', () => {
    const r: ResultsView = { questionId: 'n', ...tally(numeric, [39, 40, 42, 44, 45]) };
    expect(revealedBand(r)).toBeNull();
    r.correct = correctLabels(numeric);
    const band = revealedBand(r)!;
    expect(band).toEqual({ value: 42, lo: 40, hi: 44 });
    const h = kind(r, 'histogram');
    expect(h.bins.filter((b) => binInBand(b, band)).map((b) => b.label)).toEqual([
      '40',
      '41',
      '42',
      '43',
      '44',
    ]);
  });
  it('ignores anything that is not a number', () => {
    expect(tally(numeric, [1, 'x', true, 2]).answered).toBe(2);
  });
});

describe('tally: open text', () => {
  it('normalises like a word cloud should', () => {
    expect(normaliseText('  Debt BONDAGE!! ')).toBe('debt bondage');
    expect(normaliseText("Don't   know…")).toBe('dont know');
    expect(normaliseText('Ｆｕｌｌ-width, café')).toBe('full width café');
  });
  it('short answers are phrases, long ones their words without stop words', () => {
    const texts = (a: string) => cloudTerms(a).map((t) => t.text);
    expect(texts('Debt bondage.')).toEqual(['debt bondage']);
    expect(texts('The')).toEqual([]);
    expect(texts('!!!')).toEqual([]);
    expect(texts('They took her passport and kept all of her wages, and the debt grew')).toEqual([
      'took',
      'passport',
      'kept',
      'wages',
      'debt',
      'grew',
    ]);
    // A short phrase reads whole, its stop words inside kept; it is grouped without them.
    expect(cloudTerms('Fear of police!')).toEqual([{ key: 'fear police', text: 'fear of police' }]);
    expect(cloudTerms('the debt')).toEqual([{ key: 'debt', text: 'debt' }]);
  });
  it('cloud: groups by word, with case, punctuation and stop words folded, and shows the commonest spelling', () => {
    const r = kind(
      tally(cloudQ, [
        'The debt',
        'debt!',
        'DEBT',
        'a debt',
        'Fear of police',
        'fear of the police',
        'fear of police.',
      ]),
      'cloud',
    );
    expect(r.words).toEqual([
      { text: 'debt', count: 4 },
      { text: 'fear of police', count: 3 },
    ]);
  });
  it('cloud: counts, most frequent first, at most 50', () => {
    const r = kind(tally(cloudQ, ['Fear', 'fear ', 'FEAR!', 'Debt', 'debt', 'isolation']), 'cloud');
    expect(r.words).toEqual([
      { text: 'fear', count: 3 },
      { text: 'debt', count: 2 },
      { text: 'isolation', count: 1 },
    ]);
    expect(r.answered).toBe(6);
    const many = kind(
      tally(
        cloudQ,
        Array.from({ length: 80 }, (_, i) => `word${i}`),
      ),
      'cloud',
    );
    expect(many.words).toHaveLength(50);
  });
  it('list: latest first, text only, at most 50', () => {
    const r = kind(tally(listQ, ['first', '  second  answer ', 'third']), 'list');
    expect(r.answers).toEqual(['third', 'second answer', 'first']);
    expect(JSON.stringify(r)).not.toMatch(/trainee|name|officer/i);
    const many = kind(
      tally(
        listQ,
        Array.from({ length: 120 }, (_, i) => `a${i}`),
      ),
      'list',
    );
    expect(many.answers).toHaveLength(50);
    expect(many.answers[0]).toBe('a119');
    expect(many.answers.at(-1)).toBe('a70');
  });
});

describe('tally: ranking', () => {
  it('average rank per item, best first', () => {
    const r = kind(
      tally(rank, [
        ['Safety', 'Separate', 'Screen', 'Report'],
        ['Safety', 'Screen', 'Separate', 'Report'],
        ['Separate', 'Safety', 'Screen', 'Report'],
        ['Report', 'Safety', 'Separate', 'Screen'],
      ]),
      'rank',
    );
    expect(r.items).toEqual([
      { label: 'Safety', averageRank: 1.5, first: 2 },
      { label: 'Separate', averageRank: 2.25, first: 1 },
      { label: 'Screen', averageRank: 3, first: 0 },
      { label: 'Report', averageRank: 3.25, first: 1 },
    ]);
  });
  it('keeps the authored order before anyone answers', () => {
    const r = kind(tally(rank, []), 'rank');
    expect(r.items.map((i) => [i.label, i.averageRank])).toEqual([
      ['Safety', null],
      ['Separate', null],
      ['Screen', null],
      ['Report', null],
    ]);
  });
  it('the correct answer of a graded ranking is the whole order', () => {
    expect(correctLabels(rank)).toEqual(['Safety', 'Separate', 'Screen', 'Report']);
    expect(correctLabels({ ...rank, graded: false })).toBeUndefined();
  });
});

describe('tally is fast enough to run ten times a second', () => {
  it('500 answers of each kind, ten times, well under 100 ms', () => {
    const long =
      'They kept her passport and said she owed them for the trip, the room and the food';
    const sets: [QuestionDef, AnswerValue[]][] = [
      [single, Array.from({ length: 500 }, (_, i) => ['A', 'B', 'C'][i % 3])],
      [multi, Array.from({ length: 500 }, () => ['A', 'C'])],
      [numeric, Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000)],
      [rating, Array.from({ length: 500 }, (_, i) => (i % 5) + 1)],
      [cloudQ, Array.from({ length: 500 }, (_, i) => (i % 2 ? `${long} ${i}` : `word ${i % 40}`))],
      [listQ, Array.from({ length: 500 }, (_, i) => `answer ${i}`)],
      [rank, Array.from({ length: 500 }, () => ['Report', 'Screen', 'Separate', 'Safety'])],
    ];
    for (const [q, a] of sets) tally(q, a); // warm up
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) for (const [q, a] of sets) tally(q, a);
    expect(performance.now() - t0).toBeLessThan(100 * 7);
  });
});

describe('score', () => {
  it('partial credit: (right picks − wrong picks) / right options, at least 0', () => {
    expect(score(partial, ['A', 'B', 'C'])).toBe(1);
    expect(score(partial, ['A', 'B'])).toBeCloseTo(2 / 3);
    expect(score(partial, ['A', 'B', 'D'])).toBeCloseTo(1 / 3);
    expect(score(partial, ['A', 'D'])).toBe(0);
    expect(score(partial, ['D'])).toBe(0);
    expect(score(partial, ['A', 'B', 'C', 'D'])).toBeCloseTo(2 / 3);
    expect(score(partial, 'A')).toBe(0);
  });
  it('all-or-nothing multiple select is 1 or 0, as isCorrect', () => {
    expect(score(multi, ['C', 'A', 'B'])).toBe(1);
    expect(score(multi, ['A', 'B'])).toBe(0);
    expect(score({ ...multi, scoring: 'all-or-nothing' }, ['A', 'B', 'C', 'D'])).toBe(0);
    expect(isCorrect(partial, ['A', 'B'])).toBe(false); // isCorrect stays "fully right"
    expect(isCorrect(partial, ['A', 'B', 'C'])).toBe(true);
  });
  it('other graded types score 1 or 0', () => {
    expect(score(single, 'B')).toBe(1);
    expect(score(single, 'A')).toBe(0);
    expect(score(tf, false)).toBe(1);
    expect(score(tf, true)).toBe(0);
    expect(score(numeric, 44)).toBe(1);
    expect(score(numeric, 44.5)).toBe(0);
    expect(score(rank, ['Safety', 'Separate', 'Screen', 'Report'])).toBe(1);
    expect(score(rank, ['Separate', 'Safety', 'Screen', 'Report'])).toBe(0);
  });
  it('polls and surveys have no score', () => {
    expect(score({ ...single, correct: undefined }, 'A')).toBeNull();
    expect(score(rating, 3)).toBeNull();
    expect(score(cloudQ, 'x')).toBeNull();
    expect(
      score({ ...rank, graded: false }, ['Safety', 'Separate', 'Screen', 'Report']),
    ).toBeNull();
  });
  it('a numeric tolerance edge is inside, despite binary fractions', () => {
    const q: QuestionDef = { ...base, id: 'f', type: 'numeric', correct: 42, tolerance: 0.1 };
    expect(isCorrect(q, 41.9)).toBe(true);
    expect(isCorrect(q, 42.1)).toBe(true);
    expect(isCorrect(q, 42.11)).toBe(false);
    expect(score(q, 41.9)).toBe(1);
  });
});
