import { describe, expect, it } from 'vitest';
import { scrambled, shuffled } from '../../shared/shuffle';
import { matchesKey } from '../../shared/answer-key';

const items = ['a', 'b', 'c', 'd', 'e'];

describe('orders decided by a key', () => {
  it('the same key gives the same order (a reloaded phone), another key another order (the next phone)', () => {
    expect(shuffled(items, 'trainee-1:run-1')).toEqual(shuffled(items, 'trainee-1:run-1'));
    const orders = new Set(
      Array.from({ length: 50 }, (_, i) => shuffled(items, `trainee-${i}:run-1`).join('')),
    );
    expect(orders.size).toBeGreaterThan(25);
    for (const o of orders) expect([...o].sort().join('')).toBe('abcde');
  });

  it('every item is about as often first: no place is the key', () => {
    const first = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const top = shuffled(items, `k${i}`)[0];
      first.set(top, (first.get(top) ?? 0) + 1);
    }
    for (const x of items) expect(first.get(x)! / 5000).toBeGreaterThan(0.16);
    for (const x of items) expect(first.get(x)! / 5000).toBeLessThan(0.24);
  });

  it('scrambled never gives three or more items back in the order given; two are only shuffled', () => {
    for (let i = 0; i < 2000; i++)
      expect(scrambled(['x', 'y', 'z'], `k${i}`)).not.toEqual(['x', 'y', 'z']);
    const two = new Set(
      Array.from({ length: 50 }, (_, i) => scrambled(['x', 'y'], `k${i}`).join('')),
    );
    expect(two).toEqual(new Set(['xy', 'yx']));
  });
});

describe('the answer key a phone judges by', () => {
  it('says right or wrong by the same rule as the record', () => {
    expect(matchesKey({ type: 'single', correct: ['B'] }, 'B')).toBe(true);
    expect(matchesKey({ type: 'single', correct: ['B'] }, 'A')).toBe(false);
    expect(matchesKey({ type: 'multi', correct: ['A', 'C'] }, ['C', 'A'])).toBe(true);
    expect(matchesKey({ type: 'multi', correct: ['A', 'C'] }, ['A'])).toBe(false);
    expect(matchesKey({ type: 'truefalse', correct: ['False'] }, false)).toBe(true);
    expect(matchesKey({ type: 'truefalse', correct: ['False'] }, true)).toBe(false);
    expect(matchesKey({ type: 'numeric', correct: ['42'], tolerance: 0.1 }, 41.9)).toBe(true);
    expect(matchesKey({ type: 'numeric', correct: ['42'], tolerance: 0.1 }, 41.8)).toBe(false);
    expect(matchesKey({ type: 'ranking', correct: ['x', 'y', 'z'] }, ['x', 'y', 'z'])).toBe(true);
    expect(matchesKey({ type: 'ranking', correct: ['x', 'y', 'z'] }, ['y', 'x', 'z'])).toBe(false);
  });
});
