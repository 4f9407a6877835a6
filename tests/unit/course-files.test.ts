// Serving course images: a /courses/<course>/<file> path resolves to an image inside a loaded
// course's folder or to nothing, and a deck's relative image paths are rewritten to such paths.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseImageSrc } from '../../main/content/load';
import { realFileInside, resolveCoursePath } from '../../main/server/course-files';
import { tmp } from '../helpers/import-pages';

describe('resolveCoursePath (/courses/<course>/<file>)', () => {
  const root = path.resolve('/srv/courses/demo');
  const dirs: Record<string, string> = { demo: root };
  const resolve = (p: string) => resolveCoursePath(p, (id) => dirs[id]);

  it('maps an image inside a loaded course to its file', () => {
    expect(resolve('/courses/demo/images/page-001.png')).toBe(
      path.join(root, 'images', 'page-001.png'),
    );
    expect(resolve('/courses/demo/map.JPG')).toBe(path.join(root, 'map.JPG'));
    expect(resolve('/courses/demo/images/a%20b.webp')).toBe(path.join(root, 'images', 'a b.webp'));
  });

  it('refuses .. and . segments, plain or percent-encoded', () => {
    for (const p of [
      '/courses/demo/../secret.png',
      '/courses/demo/images/../../other/x.png',
      '/courses/demo/%2e%2e/x.png',
      '/courses/demo/%2E%2E/%2e%2e/etc/x.png',
      '/courses/demo/images/%2e%2e%2f%2e%2e%2fx.png',
      '/courses/demo/./images/x.png',
      '/courses/%2e%2e/demo/x.png',
      '/courses/demo/images/.hidden.png',
    ])
      expect(resolve(p), p).toBeNull();
  });

  it('refuses absolute paths, encoded separators, drive letters, NUL and bad encoding', () => {
    for (const p of [
      '/courses/demo//etc/x.png',
      '/courses/demo/%2fetc%2fx.png',
      '/courses/demo/images%5c..%5c..%5cx.png',
      '/courses/demo/C:%5cx.png',
      '/courses/demo/x%00.png',
      '/courses/demo/%E0%A4%A.png',
    ])
      expect(resolve(p), p).toBeNull();
  });

  it('refuses non-image files and unknown courses', () => {
    for (const p of [
      '/courses/demo/course.yaml',
      '/courses/demo/deck.md',
      '/courses/demo/images/x.png.txt',
      '/courses/demo/images/x',
      '/courses/other/x.png',
      '/courses/Demo/x.png',
      '/courses/demo/',
    ])
      expect(resolve(p), p).toBeNull();
  });

  it('refuses symlinks that leave the course folder or end at a non-image (realFileInside)', () => {
    const dir = tmp('links');
    const course = path.join(dir, 'course');
    fs.mkdirSync(path.join(course, 'images'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'secret.png'), 'outside');
    fs.writeFileSync(path.join(course, 'notes.txt'), 'inside, not an image');
    fs.writeFileSync(path.join(course, 'images', 'ok.png'), 'inside');
    fs.symlinkSync(path.join(dir, 'secret.png'), path.join(course, 'images', 'escape.png'));
    fs.symlinkSync(path.join(course, 'notes.txt'), path.join(course, 'images', 'notes.png'));
    fs.symlinkSync(path.join(course, 'images', 'ok.png'), path.join(course, 'images', 'alias.png'));
    const at = (f: string) => realFileInside(path.join(course, 'images', f), course);
    expect(at('ok.png')).toBe(fs.realpathSync(path.join(course, 'images', 'ok.png')));
    expect(at('alias.png')).toBe(fs.realpathSync(path.join(course, 'images', 'ok.png')));
    expect(at('escape.png')).toBeNull();
    expect(at('notes.png')).toBeNull();
    expect(at('missing.png')).toBeNull();
    expect(realFileInside(path.join(course, 'images'), course)).toBeNull(); // a folder
  });
});

describe('courseImageSrc (deck images point at /courses/<course>/…)', () => {
  it('rewrites relative paths only', () => {
    expect(courseImageSrc('images/page-001.png', 'my-deck')).toBe(
      '/courses/my-deck/images/page-001.png',
    );
    expect(courseImageSrc('./map.png', 'c')).toBe('/courses/c/map.png');
    for (const src of [
      '/assets/x.png',
      '//host/x.png',
      'https://x.test/a.png',
      'data:image/png;base64,AAAA',
      '#x',
    ])
      expect(courseImageSrc(src, 'c')).toBe(src);
  });
});
