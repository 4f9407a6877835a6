// PDF import, server side: the /courses/… path resolution, request validation, and the course folder
// an import writes (which must load like any hand-written course).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllContent } from '../../main/app';
import { courseImageSrc, loadContent } from '../../main/content/load';
import { realFileInside, resolveCoursePath } from '../../main/server/course-files';
import { IMPORT_LIMITS, handleImport, parseImportRequest, slugify, writeImportedCourse } from '../../main/server/import-api';
import type { ImportContext } from '../../main/server/import-api';

/** A valid 1×1 PNG. */
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
/** The start of a JPEG (SOI + APP0 marker): enough for the signature check. */
const JPEG_URL = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]).toString('base64')}`;

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `muster-${prefix}-`));

describe('resolveCoursePath (/courses/<course>/<file>)', () => {
  const root = path.resolve('/srv/courses/demo');
  const dirs: Record<string, string> = { demo: root };
  const resolve = (p: string) => resolveCoursePath(p, (id) => dirs[id]);

  it('maps an image inside a loaded course to its file', () => {
    expect(resolve('/courses/demo/images/page-001.png')).toBe(path.join(root, 'images', 'page-001.png'));
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
    for (const p of ['/courses/demo/course.yaml', '/courses/demo/deck.md', '/courses/demo/images/x.png.txt', '/courses/demo/images/x', '/courses/other/x.png', '/courses/Demo/x.png', '/courses/demo/'])
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
    expect(courseImageSrc('images/page-001.png', 'my-deck')).toBe('/courses/my-deck/images/page-001.png');
    expect(courseImageSrc('./map.png', 'c')).toBe('/courses/c/map.png');
    for (const src of ['/assets/x.png', '//host/x.png', 'https://x.test/a.png', 'data:image/png;base64,AAAA', '#x']) expect(courseImageSrc(src, 'c')).toBe(src);
  });
});

describe('parseImportRequest', () => {
  it('accepts a title and PNG/JPEG data: URLs, and decodes them', () => {
    const r = parseImportRequest({ title: '  Patrol briefing  ', pages: [PNG_URL, JPEG_URL] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.title).toBe('Patrol briefing');
    expect(r.pages.map((p) => p.ext)).toEqual(['png', 'jpg']);
    expect(r.pages[0].data.equals(Buffer.from(PNG_B64, 'base64'))).toBe(true);
  });

  const refused = (body: unknown) => {
    const r = parseImportRequest(body);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.message;
  };

  it('refuses too many pages, or none', () => {
    expect(refused({ title: 'T', pages: Array(IMPORT_LIMITS.pages + 1).fill(PNG_URL) })).toMatch(/at most 400 pages/);
    expect(refused({ title: 'T', pages: [] })).toMatch(/no pages/);
  });

  it('refuses pages that are not data: URLs of PNG or JPEG images', () => {
    expect(refused({ title: 'T', pages: ['https://example.test/page.png'] })).toMatch(/pages\.0: .*data: URL/);
    expect(refused({ title: 'T', pages: [PNG_URL, 'data:image/gif;base64,R0lGODlhAQABAAAAACw='] })).toMatch(/pages\.1/);
    expect(refused({ title: 'T', pages: ['data:image/svg+xml;base64,PHN2Zz4='] })).toMatch(/data: URL/);
    expect(refused({ title: 'T', pages: ['data:image/png,notbase64'] })).toMatch(/data: URL/);
    expect(refused({ title: 'T', pages: [42] })).toMatch(/pages\.0/);
  });

  it('refuses data that is not the image type it claims', () => {
    expect(refused({ title: 'T', pages: [`data:image/png;base64,${Buffer.from('GIF89a not a png').toString('base64')}`] })).toMatch(/page 1: the data is not a PNG image/);
    expect(refused({ title: 'T', pages: [PNG_URL, `data:image/jpeg;base64,${PNG_B64}`] })).toMatch(/page 2: the data is not a JPEG image/);
    expect(refused({ title: 'T', pages: ['data:image/png;base64,'] })).toMatch(/page 1: the image is empty/);
  });

  it('refuses a page over 8 MB decoded', () => {
    const big = Buffer.alloc(IMPORT_LIMITS.pageBytes + 1);
    Buffer.from(PNG_B64, 'base64').copy(big);
    expect(refused({ title: 'T', pages: [`data:image/png;base64,${big.toString('base64')}`] })).toMatch(/8 MB/);
  });

  it('refuses bad titles and unknown fields', () => {
    expect(refused({ title: '   ', pages: [PNG_URL] })).toMatch(/title/);
    expect(refused({ title: 'x'.repeat(201), pages: [PNG_URL] })).toMatch(/200/);
    expect(refused({ title: 'two\nlines', pages: [PNG_URL] })).toMatch(/one line/);
    expect(refused({ pages: [PNG_URL] })).toMatch(/title/);
    expect(refused({ title: 'T', pages: [PNG_URL], course: '../../etc' })).toMatch(/course/);
    expect(refused(null)).not.toBe('');
  });
});

describe('slugify', () => {
  it('makes a course id from a title', () => {
    expect(slugify('Human Trafficking — Awareness (2026)')).toBe('human-trafficking-awareness-2026');
    expect(slugify('Café Über Señal')).toBe('cafe-uber-senal');
    expect(slugify('!!!')).toBe('imported-deck');
    expect(slugify('a'.repeat(100))).toHaveLength(60);
  });
});

describe('writeImportedCourse', () => {
  it('writes a course folder that loadContent loads with one slide per page and no problems', async () => {
    const data = tmp('import');
    const coursesDir = path.join(data, 'courses');
    const pages = parseImportRequest({ title: 'Roadside Interviews', pages: [PNG_URL, PNG_URL, PNG_URL] });
    if (!pages.ok) throw new Error(pages.message);
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
    for (const n of ['001', '002', '003']) expect(fs.readFileSync(path.join(coursesDir, r.course, 'images', `page-${n}.png`)).toString('base64')).toBe(PNG_B64);
    // Nothing is left behind from the temporary folder.
    expect(fs.readdirSync(data).sort()).toEqual(['courses']);

    // The same title again, and a title whose slug a shipped course already uses: -2.
    const again = await writeImportedCourse(coursesDir, ['roadside-interviews'], pages.title, pages.pages);
    expect(again.course).toBe('roadside-interviews-2');
    const taken = await writeImportedCourse(coursesDir, ['demo'], 'Demo', pages.pages.slice(0, 1));
    expect(taken.course).toBe('demo-2');
    const all = loadContent(coursesDir);
    expect(all.problems).toEqual([]);
    expect(all.courses.map((x) => x.course.id).sort()).toEqual(['demo-2', 'roadside-interviews', 'roadside-interviews-2']);
  });

  it('keeps JPEG pages as .jpg', async () => {
    const coursesDir = path.join(tmp('jpeg'), 'courses');
    const r = await writeImportedCourse(coursesDir, [], 'Photos', [{ ext: 'jpg', data: Buffer.from(JPEG_URL.split(',')[1], 'base64') }]);
    expect(fs.readFileSync(path.join(coursesDir, r.course, 'deck.md'), 'utf8')).toContain('![Page 1](images/page-001.jpg)');
  });
});

describe('loadAllContent', () => {
  it('adds imported courses to the content folder, skipping an id the content folder already uses', async () => {
    const data = tmp('all');
    const coursesDir = path.join(data, 'courses');
    const page = [{ ext: 'png' as const, data: Buffer.from(PNG_B64, 'base64') }];
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
    expect(loadAllContent(content, path.join(data, 'none')).courses.map((c) => c.course.id)).toEqual(loadContent(content).courses.map((c) => c.course.id));
  });
});

describe('handleImport over HTTP', () => {
  let server: http.Server;
  let base = '';
  let coursesDir = '';
  let reloads = 0;
  let views = 0;
  beforeAll(async () => {
    coursesDir = path.join(tmp('http'), 'courses');
    const ctx: ImportContext = {
      coursesDir,
      courseDir: () => undefined,
      courseIds: () => ['demo'],
      reloadContent: () => void reloads++,
      classroom: { markViews: () => void views++ },
    };
    server = http.createServer((req, res) => void handleImport(req, res, ctx));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (body: string, type = 'application/json') => fetch(`${base}/api/import/pdf`, { method: 'POST', headers: { 'Content-Type': type }, body });
  const written = () => (fs.existsSync(coursesDir) ? fs.readdirSync(coursesDir) : []);

  it('saves a valid import, reloads the content and updates the console', async () => {
    const res = await post(JSON.stringify({ title: 'Demo', pages: [PNG_URL, PNG_URL] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ course: 'demo-2', file: 'deck.md', slides: 2 });
    expect(written()).toEqual(['demo-2']);
    expect([reloads, views]).toEqual([1, 1]);
  });

  it('answers 400 with a clear message, 415 for another content type, and writes nothing', async () => {
    const before = written();
    let res = await post(JSON.stringify({ title: 'Bad', pages: ['data:image/gif;base64,R0lGODlh'] }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/pages\.0: .*PNG or JPEG/);
    res = await post('{"title": "Bad", "pages": [');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not valid JSON/);
    res = await post(JSON.stringify({ title: 'Bad', pages: [PNG_URL] }), 'text/plain');
    expect(res.status).toBe(415);
    expect(written()).toEqual(before);
    expect(reloads).toBe(1);
  });

  it('refuses a body over the limit without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/import/pdf`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(IMPORT_LIMITS.bodyBytes + 1) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"title":"x","pages":["');
    });
    expect(status).toBe(413);
  });

  it('stops reading a body that grows past the limit (no Content-Length)', async () => {
    const chunk = Buffer.alloc(4 * 1024 * 1024, 0x41);
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request(`${base}/api/import/pdf`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } });
      req.on('response', (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      req.on('error', (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code}`));
      let sent = 0;
      const pump = () => {
        while (sent <= IMPORT_LIMITS.bodyBytes + chunk.length && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    // Either the 413 arrives first, or the server has already closed the connection.
    expect(outcome).toMatch(/^(413|error: (ECONNRESET|EPIPE))$/);
    expect(written()).toEqual(['demo-2']);
  });
});
