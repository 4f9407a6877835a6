import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent, summarize } from '../../main/content/load';
import { ROOT } from '../helpers/app';

/** Writes a one-deck course into a temp folder and loads it. */
function courseWith(deck: string, extra: Record<string, string> = {}, courseExtra = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-course-'));
  const c = path.join(dir, 'broken');
  fs.mkdirSync(c);
  fs.writeFileSync(
    path.join(c, 'course.yaml'),
    'id: broken\ntitle: Broken\nmodules:\n  - file: deck.md\n    title: Deck\n    minutes: 10\n' +
      courseExtra,
  );
  fs.writeFileSync(path.join(c, 'deck.md'), deck);
  for (const [f, body] of Object.entries(extra)) fs.writeFileSync(path.join(c, f), body);
  return loadContent(dir);
}

const FRONT = '---\ntitle: Deck\n---\n';

describe('course checking', () => {
  it('reports an unknown question type with file and line', () => {
    const { problems } = courseWith(
      `${FRONT}# One\n---\n\`\`\`question\nid: q1\ntype: essay\nprompt: Why?\n\`\`\`\n`,
    );
    // Line 8 is the `type: essay` line inside the block.
    expect(problems).toEqual([
      { file: 'broken/deck.md', line: 8, message: 'type: unknown question type "essay"' },
    ]);
  });

  it('reports a correct answer that is not one of the options', () => {
    const { problems } = courseWith(
      `${FRONT}\`\`\`question\nid: q1\ntype: single\nprompt: Pick\noptions: [A, B]\ncorrect: C\n\`\`\`\n`,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'broken/deck.md', line: 9 });
    expect(problems[0].message).toMatch(/correct answer "C" is not one of the options/);
  });

  it('keeps statute citations as written: "(c)" is not a copyright sign, in slides and in notes', () => {
    const { problems, courses } = courseWith(
      `${FRONT}# Continued Presence\n\n22 U.S.C. §7105(c)(3), (C) abuse of process\n\nNotes:\nSee §7105(c)(3) and (r) and (tm); "quotes" stay curly.\n`,
    );
    expect(problems).toEqual([]);
    const slide = courses[0].decks[0].slides[0];
    expect(slide.html).toContain('§7105(c)(3), (C) abuse');
    expect(slide.notesHtml).toContain('§7105(c)(3) and (r) and (tm)');
    expect(slide.notesHtml).toContain('“quotes”');
    expect(`${slide.html}${slide.notesHtml}`).not.toMatch(/[©®™]/);
  });

  it('lets only a poll show its answers live, and takes the course default', () => {
    const graded = courseWith(
      `${FRONT}\`\`\`question\nid: q1\ntype: single\nprompt: Pick\noptions: [A, B]\ncorrect: A\nlive: true\n\`\`\`\n`,
    );
    expect(graded.problems).toHaveLength(1);
    expect(graded.problems[0].message).toMatch(/live: only a poll/);
    const poll = courseWith(
      `${FRONT}\`\`\`question\nid: q1\ntype: single\nprompt: Pick\noptions: [A, B]\nlive: false\n\`\`\`\n`,
      {},
      'livePolls: true\n',
    );
    expect(poll.problems).toEqual([]);
    expect(poll.courses[0].decks[0].livePolls).toBe(true);
  });

  it('reports a duplicate slide id at its second use', () => {
    const { problems } = courseWith(
      `${FRONT}<!-- id: same -->\n# A\n---\n<!-- id: same -->\n# B\n`,
    );
    expect(problems).toEqual([
      {
        file: 'broken/deck.md',
        line: 7,
        message: expect.stringMatching(/duplicate id "same" \(first used at broken\/deck.md:4\)/),
      },
    ]);
  });

  it('reports a missing image', () => {
    const { problems } = courseWith(`${FRONT}# A\n\n![map](images/map.png)\n`);
    expect(problems).toEqual([
      { file: 'broken/deck.md', line: 6, message: 'image not found: images/map.png' },
    ]);
  });

  it('reports invalid YAML at its line', () => {
    const { problems } = courseWith(
      `${FRONT}# A\n---\n\`\`\`question\nid: q1\ntype: single\nprompt: "unclosed\noptions: [A, B]\n\`\`\`\n`,
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].file).toBe('broken/deck.md');
    expect(problems[0].message).toMatch(/invalid YAML/);
    expect(problems[0].line).toBeGreaterThanOrEqual(9);
  });

  it('reads slides, notes and questions, and never splits inside a fenced block', () => {
    const { courses, problems } = courseWith(
      `${FRONT}# A\nBody\n\nNotes:\nSay this.\n---\n\`\`\`question\nid: q1\ntype: text\nprompt: "---"\n\`\`\`\n`,
    );
    expect(problems).toEqual([]);
    const slides = courses[0].decks[0].slides;
    expect(slides).toHaveLength(2);
    expect(slides[0].notes).toBe('Say this.');
    expect(slides[0].notesHtml).toBe('<p>Say this.</p>\n');
    expect(slides[0].html).not.toContain('Say this');
    expect(slides[1].question).toMatchObject({ id: 'q1', type: 'text' });
  });

  it('renders Markdown with raw HTML turned off', () => {
    const { courses } = courseWith(
      `${FRONT}# A\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n`,
    );
    const html = courses[0].decks[0].slides[0].html;
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('fills a contacts slide from resources.yaml, escaped, and marks values to verify', () => {
    const deck = `${FRONT}# Who to call\n\n\`\`\`resources\nshow: [hotline, stateLaw]\n\`\`\`\n`;
    const resources =
      'contacts:\n  hotline: {label: "Hotline <b>", value: "1-888-373-7888", verify: true}\nstateLaw:\n  - {label: "State statute", value: "FILL IN"}\n';
    const { courses, problems } = courseWith(
      deck,
      { 'resources.yaml': resources },
      'resources: resources.yaml\n',
    );
    expect(problems).toEqual([]);
    const html = courses[0].decks[0].slides[0].html;
    expect(html).toContain(
      '<th scope="row">Hotline &#60;b&#62;</th><td>1-888-373-7888 <span class="verify">verify before class</span></td>',
    );
    expect(html).toContain('<th scope="row">State statute</th><td>FILL IN</td>');
    const missing = courseWith(
      deck.replace('hotline', 'taskForce'),
      { 'resources.yaml': resources },
      'resources: resources.yaml\n',
    );
    expect(missing.problems).toEqual([
      {
        file: 'broken/deck.md',
        line: 4,
        message: 'resources: no entry "taskForce" in resources.yaml',
      },
    ]);
  });

  it('the shipped content passes the check', () => {
    const { courses, problems } = loadContent(path.join(ROOT, 'content'));
    expect(problems).toEqual([]);
    expect(courses.map((c) => c.course.id)).toEqual(
      expect.arrayContaining(['demo', 'human-trafficking']),
    );
    const ht = summarize(courses.find((c) => c.course.id === 'human-trafficking')!);
    expect(ht.modules).toBe(5);
    expect(ht.scenarios).toBeGreaterThanOrEqual(5);
  });
});
