// What the build guarantees beyond compiling: the trainee page's budget (scripts/page-budget.mjs)
// fails a build that passes it, naming the files, and counts only the first load; the courses
// loaded off the main thread (out/main/content-worker.mjs, in a process or a worker thread) are
// exactly those loaded in place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain build script, no types
import { BUDGET_KB, checkBudget, firstLoadFiles } from '../../scripts/page-budget.mjs';
// @ts-expect-error: a plain build script, no types
import { precompress } from '../../scripts/compress.mjs';
import { defaultLoaderHost, loadContentOffThread } from '../../main/content/content-thread';
import { loadAllContent } from '../../main/content/all';
import type { LoadResult } from '../../main/content/load';
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

describe('courses loaded off the main thread', () => {
  const worker = path.join(ROOT, 'out', 'main', 'content-worker.mjs');
  const content = path.join(ROOT, 'content');
  const none = path.join(os.tmpdir(), 'muster-no-courses');
  let here: LoadResult;
  /** The demo course alone: quick to load in this thread, where a loader that fails sends it. */
  let demo: string;
  let demoHere: LoadResult;
  beforeAll(() => {
    if (!fs.existsSync(worker))
      throw new Error('run `npm run build` first (out/main/content-worker.mjs)');
    here = loadAllContent(content, none);
    demo = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-demo-content-'));
    fs.cpSync(path.join(content, 'demo'), path.join(demo, 'demo'), { recursive: true });
    demoHere = loadAllContent(demo, none);
  });
  afterAll(() => fs.rmSync(demo, { recursive: true, force: true }));

  // In a process of its own under Node (`muster serve`), in a worker thread inside Electron.
  for (const host of ['process', 'thread'] as const)
    it(`in a ${host}: are the courses loaded in place, Maps and all`, async () => {
      const off = await loadContentOffThread(content, none, worker, host);
      expect(off.courses.length).toBeGreaterThan(1);
      expect(off.courses.some((c) => c.assessments.size > 0)).toBe(true);
      expect(off).toEqual(here);
      await expect(
        loadContentOffThread(path.join(os.tmpdir(), 'muster-no-such-content'), none, worker, host),
      ).resolves.toMatchObject({ courses: [] });
      // A loader that cannot run, or ends without a word: the courses are loaded in this thread.
      const broken = path.join(os.tmpdir(), `muster-broken-loader-${host}.mjs`);
      fs.writeFileSync(broken, 'throw new Error("cannot start");');
      const silent = path.join(os.tmpdir(), `muster-silent-loader-${host}.mjs`);
      fs.writeFileSync(silent, 'process.exitCode = 0;');
      const missing = path.join(os.tmpdir(), 'muster-no-such-loader.mjs');
      for (const file of [broken, silent, missing])
        expect(await loadContentOffThread(demo, none, file, host)).toEqual(demoHere);
      expect(demoHere.courses.map((c) => c.course.id)).toEqual(['demo']);
      fs.rmSync(broken, { force: true });
      fs.rmSync(silent, { force: true });
    });

  it('under Node in a process (its memory goes back to the system when it ends)', async () => {
    expect(defaultLoaderHost()).toBe(process.versions.electron ? 'thread' : 'process');
    // A loader that says where it ran (and, in a process, the folders it was given).
    const where = path.join(os.tmpdir(), 'muster-where-loader.mjs');
    fs.writeFileSync(
      where,
      `import { parentPort, threadId } from 'node:worker_threads';
const at = JSON.stringify({ pid: process.pid, threadId, args: process.argv.slice(2) });
const reply = { result: { courses: [], problems: [{ file: at, line: 1, message: '' }] } };
if (parentPort) parentPort.postMessage(reply);
else process.send(reply, () => process.disconnect());`,
    );
    const ranAt = async (host: 'process' | 'thread') =>
      JSON.parse((await loadContentOffThread(content, none, where, host)).problems[0].file) as {
        pid: number;
        threadId: number;
        args: string[];
      };
    const inProcess = await ranAt('process');
    expect(inProcess.pid).not.toBe(process.pid);
    expect(inProcess.args).toEqual([content, none]);
    const inThread = await ranAt('thread');
    expect(inThread.pid).toBe(process.pid);
    expect(inThread.threadId).toBeGreaterThan(0);
    fs.rmSync(where, { force: true });
  });
});
