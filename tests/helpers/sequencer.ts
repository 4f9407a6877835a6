import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

/**
 * The long files first, so they run beside the many short ones instead of alone at the end (a
 * fresh clone has no timings cached to go by). The soak, which holds real time for ninety seconds
 * while using little of the machine, runs in a vitest process of its own (scripts/vitest.mjs) and
 * first when it runs with the rest.
 */
const FIRST = [
  'integration/soak.test.ts',
  'projector-fit.test.ts',
  'integration/kill.test.ts',
  'e2e/offline.test.ts',
  'e2e/assessment.test.ts',
];

export default class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = FIRST.findIndex((x) => f.moduleId.replaceAll('\\', '/').endsWith(x));
      return i < 0 ? FIRST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
