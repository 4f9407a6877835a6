// PDF import, what it writes: a course id from the title, and a course folder that loads like any
// hand-written course, beside the shipped content.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllContent } from '../../main/content/all';
import { loadContent } from '../../main/content/load';
import { slugify, writeImportedCourse } from '../../main/server/import-api';
import { PNG_B64, pageFiles, tmp } from '../helpers/import-pages';

describe('slugify', () => {
  it('makes a course id from a title', () => {
    expect(slugify('Human Trafficking — Awareness (2026)')).toBe(
      'human-trafficking-awareness-2026',
    );
    expect(slugify('Café Über Señal')).toBe('cafe-uber-senal');
    expect(slugify('!!!')).toBe('imported-deck');
    expect(slugify('a'.repeat(100))).toHaveLength(60);
  });
});

describe('writeImportedCourse', () => {
  it('writes a course folder that loadContent loads with one slide per page and no problems', async () => {
    const data = tmp('import');
    const coursesDir = path.join(data, 'courses');
    const pages = { title: 'Roadside Interviews', pages: pageFiles(['png', 'png', 'png']) };
    const r = await writeImportedCourse(coursesDir, [], pages.title, pages.pages);
    expect(r).toEqual({ course: 'roadside-interviews', file: 'deck.md', slides: 3 });

    const loaded = loadContent(coursesDir);
    expect(loaded.problems).toEqual([]);
    expect(loaded.courses).toHaveLength(1);
    const c = loaded.courses[0];
    expect(c.course.id).toBe('roadside-interviews');
    expect(c.course.title).toBe('Roadside Interviews');
    expect(c.decks).toHaveLength(1);
    const deck = c.decks[0];
    expect(deck.title).toBe('Roadside Interviews');
    expect(deck.slides.map((s) => s.id)).toEqual(['page-001', 'page-002', 'page-003']);
    expect(deck.slides.map((s) => s.notes)).toEqual(['', '', '']);
    expect(deck.slides[1].html).toContain('src="/courses/roadside-interviews/images/page-002.png"');
    expect(deck.slides[1].html).toContain('alt="Page 2"');
    for (const n of ['001', '002', '003'])
      expect(
        fs
          .readFileSync(path.join(coursesDir, r.course, 'images', `page-${n}.png`))
          .toString('base64'),
      ).toBe(PNG_B64);
    // Nothing is left behind from the temporary folder.
    expect(fs.readdirSync(data).sort()).toEqual(['courses']);

    // The same title again, and a title whose slug a shipped course already uses: -2.
    const again = await writeImportedCourse(
      coursesDir,
      ['roadside-interviews'],
      pages.title,
      pages.pages,
    );
    expect(again.course).toBe('roadside-interviews-2');
    const taken = await writeImportedCourse(coursesDir, ['demo'], 'Demo', pages.pages.slice(0, 1));
    expect(taken.course).toBe('demo-2');
    const all = loadContent(coursesDir);
    expect(all.problems).toEqual([]);
    expect(all.courses.map((x) => x.course.id).sort()).toEqual([
      'demo-2',
      'roadside-interviews',
      'roadside-interviews-2',
    ]);
  });

  it('keeps JPEG pages as .jpg', async () => {
    const coursesDir = path.join(tmp('jpeg'), 'courses');
    const r = await writeImportedCourse(coursesDir, [], 'Photos', pageFiles(['jpg']));
    expect(fs.readFileSync(path.join(coursesDir, r.course, 'deck.md'), 'utf8')).toContain(
      '![Page 1](images/page-001.jpg)',
    );
  });
});

describe('loadAllContent', () => {
  it('adds imported courses to the content folder, skipping an id the content folder already uses', async () => {
    const data = tmp('all');
    const coursesDir = path.join(data, 'courses');
    const page = pageFiles(['png']);
    await writeImportedCourse(coursesDir, [], 'Extra Deck', page);
    await writeImportedCourse(coursesDir, [], 'Demo', page); // a clash, as if written by hand
    const content = path.resolve(import.meta.dirname, '../../content');
    const r = loadAllContent(content, coursesDir);
    const ids = r.courses.map((c) => c.course.id);
    expect(ids).toContain('extra-deck');
    expect(ids.filter((id) => id === 'demo')).toHaveLength(1);
    expect(r.courses.find((c) => c.course.id === 'demo')!.dir).toBe(path.join(content, 'demo'));
    expect(r.problems.some((p) => /course id "demo" is already used/.test(p.message))).toBe(true);
    // Without an imports folder, it is just the content folder.
    expect(
      loadAllContent(content, path.join(data, 'none')).courses.map((c) => c.course.id),
    ).toEqual(loadContent(content).courses.map((c) => c.course.id));
  });
});
