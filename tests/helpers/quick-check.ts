// A hand-written check of a message (shared/protocol/trainee.ts: quickAnswer, quickJoin) held to
// the zod schema that stays its definition: on every value, it accepts exactly what zod accepts
// and returns what zod returns.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';

/** As the network delivers it: JSON text parsed (no undefined, no functions, own keys only). */
export const wire = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');

export function heldToSchema<T>(schema: z.ZodType<T>, quick: (v: unknown) => T | null) {
  const agrees = (v: unknown): void => {
    const zod = schema.safeParse(v);
    const mine = quick(v);
    expect(mine !== null, JSON.stringify(v)).toBe(zod.success);
    if (mine && zod.success) expect(mine).toStrictEqual(zod.data);
  };
  return {
    agrees,
    /** Agrees on `runs` values of `arb` as the network delivers them; how many it accepted. */
    onGenerated(arb: fc.Arbitrary<unknown>, runs: number): number {
      let accepted = 0;
      fc.assert(
        fc.property(arb, (m) => {
          const v = wire(m);
          agrees(v);
          if (quick(v)) accepted++;
        }),
        { numRuns: runs },
      );
      return accepted;
    },
    /** Agrees on `runs` arbitrary JSON values. */
    onAnyJson(runs: number): void {
      fc.assert(
        fc.property(fc.jsonValue(), (j) => agrees(wire(j))),
        { numRuns: runs },
      );
    },
  };
}
