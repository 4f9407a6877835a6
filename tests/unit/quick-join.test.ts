/**
 * The join message's own check (quickJoin) against its zod schema, which stays the definition: on
 * messages made to sit on every edge of the schema (texts that clean to nothing or to exactly the
 * limit, invisible and full-width characters, tokens and room codes one off), and on any JSON at
 * all, it accepts exactly what zod accepts and hands back what zod would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heldToSchema, wire } from '../helpers/quick-check';
import { LIMITS, TraineeJoin, TraineeMessage, quickJoin } from '../../shared/protocol';

const { agrees, onGenerated, onAnyJson } = heldToSchema(TraineeJoin, quickJoin);

/** Characters a name may hold or lose to cleaning: spaces, invisibles, full-width, compatibility. */
const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '  ',
  '\t',
  '\u200b',
  '\u202e',
  '\u00ad',
  '０',
  'ﬁ',
  'é',
  'e\u0301',
  '😀',
  '\u0000',
];
const textArb = (max: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...CHARS), minLength: 0, maxLength: 6 }),
    // Around the limit after cleaning, and around the raw bound of eight times it.
    fc.integer({ min: max - 2, max: max + 2 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: max - 2, max: max + 2 }).map((n) => ` ${'y'.repeat(n)} \u200b`),
    fc
      .integer({ min: max * 8 - 1, max: max * 8 + 1 })
      .map((n) => 'z'.repeat(Math.min(n, 3)) + ' '.repeat(Math.max(0, n - 3))),
    fc.constantFrom(null, 5, ['Ana'], ''),
  );

/** Join-shaped messages: each field valid, at its edge, or wrong; keys missing or extra. */
const joinish = fc
  .record({
    t: fc.oneof({ arbitrary: fc.constant('join'), weight: 8 }, fc.constantFrom('Join', 'resume')),
    name: textArb(LIMITS.nameMax),
    officerId: textArb(LIMITS.officerIdMax),
    agency: textArb(LIMITS.agencyMax),
    roomCode: fc.oneof(
      { arbitrary: fc.stringMatching(/^[0-9]{6}$/), weight: 6 },
      fc.constantFrom('12345', '1234567', '12345a', ' 123456', '１２３４５６', 123456),
    ),
    token: fc.oneof(
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{32,64}$/), weight: 4 },
      fc.constant(undefined),
      fc.integer({ min: 30, max: 66 }).map((n) => 'k'.repeat(n)),
      fc.constantFrom('k'.repeat(40) + '=', null, 7),
    ),
    drop: fc.oneof(
      { arbitrary: fc.constant(''), weight: 8 },
      fc.constantFrom('t', 'name', 'officerId', 'agency', 'roomCode', 'token'),
    ),
    extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, fc.constantFrom('', null, 1)),
  })
  .map(({ drop, extra, ...m }) => {
    const out: Record<string, unknown> = { ...m };
    delete out[drop];
    if (extra !== undefined) out[`x${String(extra).length}`] = extra;
    return out;
  });

describe('quickJoin', () => {
  it('accepts exactly the joins zod accepts, on every edge of the schema', () => {
    const accepted = onGenerated(joinish, 5000);
    // The generator reaches both sides of the schema, or the property above says little.
    expect(accepted).toBeGreaterThan(300);
  });

  it('accepts nothing from arbitrary JSON that zod refuses', () => {
    onAnyJson(2000);
  });

  it('holds on the limits one by one, and cleans as zod does', () => {
    const ok = {
      t: 'join',
      name: 'Ana Ortiz',
      officerId: 'B00417',
      agency: 'Metro PD',
      roomCode: '123456',
    };
    const token = 'A'.repeat(32);
    const cases: unknown[] = [
      ok,
      { ...ok, token },
      { ...ok, token: 'A'.repeat(31) },
      { ...ok, token: 'A'.repeat(64) },
      { ...ok, token: 'A'.repeat(65) },
      { ...ok, name: 'x'.repeat(LIMITS.nameMax) },
      { ...ok, name: 'x'.repeat(LIMITS.nameMax + 1) },
      { ...ok, name: ` ${'x'.repeat(LIMITS.nameMax)}\u200b ` },
      { ...ok, name: 'x' + ' '.repeat(LIMITS.nameMax * 8 - 1) },
      { ...ok, name: 'x' + ' '.repeat(LIMITS.nameMax * 8) },
      { ...ok, name: '\u200b \u202e' },
      { ...ok, officerId: '０４１７' },
      { ...ok, agency: 'Metro\u0000  PD' },
      { ...ok, roomCode: '12345' },
      { ...ok, extra: 1 },
      { t: 'join', name: 'Ana', officerId: 'B1', agency: 'PD' },
      [ok],
      'join',
      null,
    ];
    for (const c of cases) agrees(wire(c));
    agrees(
      JSON.parse(
        `{"t":"join","name":"A","officerId":"B","agency":"C","roomCode":"123456","__proto__":{}}`,
      ),
    );
    agrees(
      JSON.parse(
        `{"t":"join","name":"A","officerId":"B","agency":"C","__proto__":{"roomCode":"123456"}}`,
      ),
    );
    expect(quickJoin(wire({ ...ok, officerId: ' ０４１７\u200b ' }))).toStrictEqual({
      ...ok,
      officerId: '0417',
    });
    expect(quickJoin(wire({ ...ok, name: 'x'.repeat(LIMITS.nameMax + 1) }))).toBeNull();
  });

  it('leaves every other message to zod', () => {
    for (const m of [
      { t: 'ping' },
      { t: 'resume', token: 'A'.repeat(32) },
      { t: 'answer', id: 'abcdef', runId: 'r', value: 'Days' },
    ]) {
      expect(TraineeMessage.safeParse(m).success).toBe(true);
      expect(quickJoin(m)).toBeNull();
    }
  });
});
