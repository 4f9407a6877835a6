// What the build guarantees beyond compiling: the trainee page's budget (scripts/page-budget.mjs)
// fails a build that passes it, naming the files, and counts only the first load; the courses
// loaded in the worker thread (out/main/content-worker.mjs) are exactly those loaded in place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain build script, no types
import { BUDGET_KB, checkBudget, firstLoadFiles } from '../../scripts/page-budget.mjs';
// @ts-expect-error: a plain build script, no types
import { precompress } from '../../scripts/compress.mjs';
import { loadContentOffThread } from '../../main/content/content-thread';
import { loadAllContent } from '../../main/content/all';
import { ROOT } from '../helpers/app';

/** A built trainee page: an entry that imports a chunk statically and another dynamically. */
function fakeBuild(entryBytes: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-budget-'));
  fs.mkdirSync(path.join(dir, 'trainee'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'trainee', 'index.html'),
    '<!doctype html><script type="module" crossorigin src="/assets/entry-a1.js"></script><link rel="stylesheet" href="/assets/page-b2.css">',
  );
  // Random bytes in base64 compress to about three quarters of their length, no better.
  const noise = crypto.randomBytes(entryBytes).toString('base64');
  fs.writeFileSync(
    path.join(dir, 'assets', 'entry-a1.js'),
    `import{a as b}from"./shared-c3.js";const later=()=>import("./later-d4.js");/*${noise}*/`,
  );
  fs.writeFileSync(path.join(dir, 'assets', 'shared-c3.js'), 'export const a=1;');
  fs.writeFileSync(path.join(dir, 'assets', 'later-d4.js'), `/*${'y'.repeat(200_000)}*/`);
  fs.writeFileSync(path.join(dir, 'assets', 'page-b2.css'), 'body{margin:0}');
  return dir;
}

describe('the trainee page budget', () => {
  it('counts the HTML, its scripts and styles and their static imports, not what loads later', async () => {
    const dir = fakeBuild(1000);
    await precompress(dir);
    const files = (firstLoadFiles(dir, 'trainee') as string[])
      .map((f) => path.relative(dir, f))
      .sort();
    expect(files).toEqual([
      'assets/entry-a1.js',
      'assets/page-b2.css',
      'assets/shared-c3.js',
      'trainee/index.html',
    ]);
    expect(fs.existsSync(path.join(dir, 'assets', 'later-d4.js.gz'))).toBe(true);
    expect(checkBudget(dir).gzip).toBeLessThan(BUDGET_KB * 1024);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails past its budget, naming each file with its compressed size', async () => {
    const dir = fakeBuild(BUDGET_KB * 1024);
    await precompress(dir);
    expect(() => checkBudget(dir)).toThrow(
      /over its budget of 60 KB[\s\S]*assets\/entry-a1\.js: [0-9.]+ KB gzip/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds for the real build', () => {
    const m = checkBudget(path.join(ROOT, 'out', 'renderer'));
    expect(m.gzip).toBeLessThanOrEqual(BUDGET_KB * 1024);
    // React itself is not in the first load (Preact renders the trainee page).
    expect(m.files.some((f: { file: string }) => /Classroom/.test(f.file))).toBe(false);
  });
});

describe('courses loaded in a worker thread', () => {
  it('are the courses loaded in place, Maps and all', async () => {
    const worker = path.join(ROOT, 'out', 'main', 'content-worker.mjs');
    if (!fs.existsSync(worker))
      throw new Error('run `npm run build` first (out/main/content-worker.mjs)');
    const content = path.join(ROOT, 'content');
    const none = path.join(os.tmpdir(), 'muster-no-courses');
    const off = await loadContentOffThread(content, none, worker);
    const here = loadAllContent(content, none);
    expect(off.courses.length).toBeGreaterThan(0);
    expect(off).toEqual(here);
    await expect(
      loadContentOffThread(path.join(os.tmpdir(), 'muster-no-such-content'), none, worker),
    ).resolves.toMatchObject({ courses: [] });
    // A worker that cannot run: the courses are loaded in this thread instead.
    const broken = path.join(os.tmpdir(), 'muster-broken-worker.mjs');
    fs.writeFileSync(broken, 'throw new Error("cannot start");');
    expect(await loadContentOffThread(content, none, broken)).toEqual(here);
    expect(
      await loadContentOffThread(
        content,
        none,
        path.join(os.tmpdir(), 'muster-no-such-worker.mjs'),
      ),
    ).toEqual(here);
    fs.rmSync(broken, { force: true });
  });
});
