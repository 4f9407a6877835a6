/**
 * The answer message's own check (quickAnswer) against its zod schema, which stays the definition:
 * on messages made to sit on every edge of the schema, and on any JSON at all, it accepts exactly
 * what zod accepts and hands back what zod would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heldToSchema, wire } from '../helpers/quick-check';
import { TraineeAnswer, TraineeMessage, quickAnswer } from '../../shared/protocol';

const { agrees, onGenerated, onAnyJson } = heldToSchema(TraineeAnswer, quickAnswer);

/** A string of exactly n characters from a small alphabet (some outside a message id's). */
const str = (min: number, max: number, chars = 'aZ09_-. é\u{1F600}') =>
  fc.string({ unit: fc.constantFrom(...[...chars]), minLength: min, maxLength: max });

const valueArb = fc.oneof(
  str(0, 502),
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e308, -1e308, Number.MIN_VALUE),
  fc.boolean(),
  fc.array(str(0, 202), { maxLength: 10 }),
  fc.array(fc.oneof(str(0, 3), fc.integer(), fc.boolean(), fc.constant(null)), { maxLength: 3 }),
  fc.constant(null),
  fc.dictionary(str(1, 3), str(0, 3), { maxKeys: 2 }),
);

/** Answer-shaped messages: each field valid, at its edge, or wrong; keys missing or extra. */
const answerish = fc
  .record({
    t: fc.oneof({ arbitrary: fc.constant('answer'), weight: 8 }, fc.constantFrom('Answer', 'vote')),
    id: fc.oneof({ arbitrary: str(4, 66, 'aZ09_-'), weight: 6 }, str(6, 10), fc.integer()),
    runId: fc.oneof({ arbitrary: str(0, 66), weight: 6 }, fc.integer(), fc.constant(null)),
    value: valueArb,
    drop: fc.oneof(
      { arbitrary: fc.constant(''), weight: 8 },
      fc.constantFrom('t', 'id', 'runId', 'value'),
    ),
    extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, str(0, 3), fc.constant(null)),
  })
  .map(({ drop, extra, ...m }) => {
    const out: Record<string, unknown> = { ...m };
    delete out[drop];
    if (extra !== undefined) out[`x${String(extra).length}`] = extra;
    return out;
  });

describe('quickAnswer', () => {
  it('accepts exactly the answers zod accepts, on every edge of the schema', () => {
    const accepted = onGenerated(answerish, 5000);
    // The generator reaches both sides of the schema, or the property above says little.
    expect(accepted).toBeGreaterThan(500);
  });

  it('accepts nothing from arbitrary JSON that zod refuses', () => {
    onAnyJson(2000);
  });

  it('holds on the limits one by one', () => {
    const ok = { t: 'answer', id: 'abcdef', runId: 'r', value: 'Days' };
    const cases: unknown[] = [
      ok,
      { ...ok, id: 'abcde' },
      { ...ok, id: 'a'.repeat(64) },
      { ...ok, id: 'a'.repeat(65) },
      { ...ok, id: 'abc def' },
      { ...ok, id: 'abcdef\n' },
      { ...ok, runId: '' },
      { ...ok, runId: 'r'.repeat(64) },
      { ...ok, runId: 'r'.repeat(65) },
      { ...ok, value: 'x'.repeat(500) },
      { ...ok, value: 'x'.repeat(501) },
      { ...ok, value: Array(8).fill('y'.repeat(200)) },
      { ...ok, value: Array(9).fill('y') },
      { ...ok, value: ['y'.repeat(201)] },
      { ...ok, value: [] },
      { ...ok, value: 3.5 },
      { ...ok, value: -0 },
      { ...ok, value: false },
      { ...ok, value: null },
      { ...ok, value: { a: 1 } },
      { ...ok, extra: 1 },
      { t: 'answer', id: 'abcdef', runId: 'r' },
      [ok],
      'answer',
      null,
    ];
    for (const c of cases) agrees(wire(c));
    // A key named __proto__ in the text is an own key after JSON.parse: an extra key, refused.
    agrees(JSON.parse('{"t":"answer","id":"abcdef","runId":"r","value":"x","__proto__":{}}'));
    agrees(JSON.parse('{"t":"answer","id":"abcdef","runId":"r","__proto__":{"value":"x"}}'));
    expect(quickAnswer(wire(ok))).toStrictEqual(ok);
    expect(quickAnswer(wire({ ...ok, value: 'x'.repeat(501) }))).toBeNull();
  });

  it('leaves every other message to zod', () => {
    for (const m of [
      { t: 'ping' },
      { t: 'vote', qaId: 'q1', id: 'abcdef' },
      { t: 'submit', id: 'abcdef', assessmentId: 'a1' },
    ]) {
      expect(TraineeMessage.safeParse(m).success).toBe(true);
      expect(quickAnswer(m)).toBeNull();
    }
  });
});
