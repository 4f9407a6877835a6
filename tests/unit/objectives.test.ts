import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../main/content/load';
import { main } from '../../main/cli';
import { ROOT } from '../helpers/app';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'courses', 'objectives-broken');

/** A copy of the fixture course with some files replaced, loaded. */
function variant(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-objectives-'));
  const c = path.join(dir, 'objectives-broken');
  fs.cpSync(FIXTURE, c, { recursive: true });
  for (const [f, body] of Object.entries(files)) fs.writeFileSync(path.join(c, f), body);
  return loadContent(dir);
}

const GOOD_POST = `id: posttest
title: Post-test
questions:
  - {id: post-01, type: truefalse, prompt: "The term is defined in writing.", correct: true, objective: "1.1"}
  - {id: post-02, type: truefalse, prompt: "A case can be judged by the term.", correct: true, objective: "1.2"}
`;
const GOOD_PRE = `id: pretest
title: Pre-test
questions:
  - {id: pre-01, type: truefalse, prompt: "The term has a definition.", correct: true, objective: "1.1"}
  - {id: pre-02, type: truefalse, prompt: "Cases fall under the term.", correct: true, objective: "1.2"}
`;

describe('learning objectives in `muster check`', () => {
  it('fails the fixture course: an objective no item assesses, an item with no objective', async () => {
    const { problems } = loadContent(path.dirname(FIXTURE));
    const messages = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toContain(
      'objectives-broken/assessments/posttest.yaml:9: post-02: a graded item names the objective it assesses (objective: "1.2")',
    );
    expect(messages).toContain(
      'objectives-broken/course.yaml:13: objective 1.2 is not assessed by any post-test item',
    );
    // The CLI says so and exits non-zero.
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(['check', path.dirname(FIXTURE)])).toBe(1);
      expect(log.mock.calls.flat().join('\n')).toMatch(/objective 1\.2 is not assessed/);
    } finally {
      log.mockRestore();
    }
  });

  it('passes once every objective is taught and assessed and the tests are parallel', () => {
    expect(
      variant({ 'assessments/posttest.yaml': GOOD_POST, 'assessments/pretest.yaml': GOOD_PRE })
        .problems,
    ).toEqual([]);
  });

  it('reports pre- and post-tests that are not parallel by objective', () => {
    const { problems } = variant({ 'assessments/posttest.yaml': GOOD_POST });
    expect(problems.map((p) => p.message)).toEqual([
      'objective 1.2: the pre-test has 0 item(s) and the post-test 1; make them parallel',
    ]);
  });

  it('reports a post-test item copied from the pre-test or from a question asked in class', () => {
    const copied = GOOD_POST.replace(
      'A case can be judged by the term.',
      'cases fall under the term',
    );
    const deck =
      fs.readFileSync(path.join(FIXTURE, 'deck.md'), 'utf8') +
      '\n---\n```question\nid: live-1\ntype: truefalse\nprompt: "The term is defined in writing?"\ncorrect: true\nobjective: "1.1"\n```\n';
    const messages = variant({
      'assessments/posttest.yaml': copied,
      'assessments/pretest.yaml': GOOD_PRE,
      'deck.md': deck,
    }).problems.map((p) => p.message);
    expect(messages).toEqual([
      'post-01: the same question as live-1 (asked in class); a post-test item must be new',
      'post-02: the same question as pre-02 (pretest); a post-test item must be new',
    ]);
  });

  it('reports unknown slides and objectives, and objectives out of teaching order', () => {
    const course = fs
      .readFileSync(path.join(FIXTURE, 'course.yaml'), 'utf8')
      .replace('taughtOn: [define]', 'taughtOn: [apply]')
      .replace('taughtOn: [apply]\n      - id: "1.2"', 'taughtOn: [apply]\n      - id: "1.2"')
      .replace(
        /(id: "1\.2"\n\s+text: "apply the term to a case"\n\s+)taughtOn: \[apply\]/,
        '$1taughtOn: [define, nowhere]',
      );
    const post = GOOD_POST.replace('objective: "1.2"', 'objective: "9.9"');
    const messages = variant({
      'course.yaml': course,
      'assessments/posttest.yaml': post,
      'assessments/pretest.yaml': GOOD_PRE,
    }).problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'objective 1.2: no slide "nowhere" in deck.md',
        'objective 1.2 is taught before 1.1: list objectives in teaching order',
        'post-02: no objective 9.9 in course.yaml',
      ]),
    );
  });

  it("shows a module's objectives on its first slide, and the shipped course meets every rule", () => {
    const { courses, problems } = loadContent(path.join(ROOT, 'content'));
    expect(problems).toEqual([]);
    const ht = courses.find((c) => c.course.id === 'human-trafficking')!;
    for (const [i, m] of ht.course.modules.entries()) {
      expect(m.objectives?.length, m.file).toBeGreaterThan(0);
      const first = ht.decks[i].slides[0].html;
      expect(first).toContain('The participant will be able to:');
      for (const o of m.objectives!)
        expect(first).toContain(`<span class="objective-id">${o.id}</span>`);
    }
  });
});
