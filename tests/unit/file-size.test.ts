import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIMIT = 400;

/**
 * One concern per file, and a file a newcomer can read through: no source file (code, tests,
 * scripts, style sheets, pages) over 400 lines. Course content and generated files are not code.
 */
describe('source files', () => {
  it(`are at most ${LIMIT} lines each`, () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => /\.(ts|tsx|mts|js|mjs|cjs|css|html)$/.test(f) && !f.startsWith('content/'))
      .filter((f) => fs.existsSync(path.join(ROOT, f)));
    expect(files.length).toBeGreaterThan(200);
    const long = files
      .map((f) => ({
        f,
        lines: (fs.readFileSync(path.join(ROOT, f), 'utf8').match(/\n/g) ?? []).length,
      }))
      .filter((x) => x.lines > LIMIT)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });
});
