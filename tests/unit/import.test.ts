// PDF import, server side: the /courses/… path resolution, request validation, and the course folder
// an import writes (which must load like any hand-written course).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllContent } from '../../main/content/all';
import { courseImageSrc, loadContent } from '../../main/content/load';
import { realFileInside, resolveCoursePath } from '../../main/server/course-files';
import {
  IMPORT_LIMITS,
  ImportStart,
  handlePdfImport,
  imageKind,
  slugify,
  writeImportedCourse,
} from '../../main/server/import-api';
import type { ImportContext, ImportedPage } from '../../main/server/import-api';

/** A valid 1×1 PNG. */
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** The start of a JPEG (SOI + APP0 marker): enough for the signature check. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `muster-${prefix}-`));

/** Page files on disk, as an upload leaves them. */
function pageFiles(kinds: ('png' | 'jpg')[]): ImportedPage[] {
  const dir = tmp('pages');
  return kinds.map((ext, i) => {
    const file = path.join(dir, `p${i}.${ext}`);
    fs.writeFileSync(file, ext === 'png' ? Buffer.from(PNG_B64, 'base64') : JPEG);
    return { ext, file };
  });
}

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

describe('ImportStart (the title and page count that begin an import)', () => {
  const refused = (body: unknown) => {
    const r = ImportStart.safeParse(body);
    expect(r.success).toBe(false);
    return r.success ? '' : r.error.issues[0].message;
  };
  it('accepts a title and a page count', () => {
    expect(ImportStart.parse({ title: '  Patrol briefing  ', pages: 2 })).toEqual({
      title: 'Patrol briefing',
      pages: 2,
    });
  });
  it('refuses too many pages, none, bad titles and unknown fields', () => {
    expect(refused({ title: 'T', pages: IMPORT_LIMITS.pages + 1 })).toMatch(/at most 400 pages/);
    expect(refused({ title: 'T', pages: 0 })).toMatch(/no pages/);
    expect(refused({ title: 'T', pages: 1.5 })).not.toBe('');
    expect(refused({ title: '   ', pages: 1 })).toMatch(/title/);
    expect(refused({ title: 'x'.repeat(201), pages: 1 })).toMatch(/200/);
    expect(refused({ title: 'two\nlines', pages: 1 })).toMatch(/one line/);
    expect(refused({ title: 'T', pages: 1, course: '../../etc' })).not.toBe('');
  });
});

describe('imageKind (a page is the image it claims to be)', () => {
  it('tells PNG and JPEG by their first bytes, and nothing else', async () => {
    const dir = tmp('kind');
    const at = (name: string, data: Buffer) => {
      fs.writeFileSync(path.join(dir, name), data);
      return imageKind(path.join(dir, name));
    };
    expect(await at('a', Buffer.from(PNG_B64, 'base64'))).toBe('png');
    expect(await at('b', JPEG)).toBe('jpg');
    expect(await at('c', Buffer.from('GIF89a not a png'))).toBeNull();
    expect(await at('d', Buffer.alloc(0))).toBeNull();
  });
});

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

describe('PDF import over HTTP: pages uploaded one at a time, streamed to disk', () => {
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
    server = http.createServer(
      (req, res) => void handlePdfImport(req, res, new URL(req.url!, 'http://x'), ctx),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (p: string, body: string | Buffer, type = 'application/json') =>
    fetch(`${base}/api/import/pdf/${p}`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const start = async (title: string, pages: number) =>
    ((await (await post('start', JSON.stringify({ title, pages }))).json()) as { upload: string })
      .upload;
  const written = () => (fs.existsSync(coursesDir) ? fs.readdirSync(coursesDir) : []);
  const staged = () => {
    const dir = path.join(path.dirname(coursesDir), '.imports');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('saves a valid import, reloads the content and updates the console; nothing is left staged', async () => {
    const upload = await start('Demo', 2);
    expect(
      (await post(`page?upload=${upload}&n=1`, Buffer.from(PNG_B64, 'base64'), 'image/png')).status,
    ).toBe(200);
    expect((await post(`page?upload=${upload}&n=2`, JPEG, 'image/jpeg')).status).toBe(200);
    const res = await post(`finish?upload=${upload}`, '');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ course: 'demo-2', file: 'deck.md', slides: 2 });
    expect(written()).toEqual(['demo-2']);
    expect(fs.readFileSync(path.join(coursesDir, 'demo-2', 'deck.md'), 'utf8')).toContain(
      'images/page-002.jpg',
    );
    expect([reloads, views]).toEqual([1, 1]);
    expect(staged()).toEqual([]);
  });

  it('answers 4xx with a clear message and writes nothing', async () => {
    const before = written();
    let res = await post('start', '{"title": "Bad", "pages": [');
    expect([res.status, await res.text()]).toEqual([400, 'the body is not valid JSON']);
    res = await post('start', JSON.stringify({ title: 'Bad', pages: 1 }), 'text/plain');
    expect(res.status).toBe(415);
    // A refused page ends its import: the upload is dropped, nothing is left staged.
    let upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=1`, Buffer.from('GIF89a not a png'), 'image/png');
    expect([res.status, await res.text()]).toEqual([
      400,
      'page 1: the data is not a PNG image; nothing was imported',
    ]);
    expect((await post(`finish?upload=${upload}`, '')).status).toBe(404);
    upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=1`, Buffer.from(PNG_B64, 'base64'), 'image/gif');
    expect(res.status).toBe(415);
    upload = await start('Bad', 2);
    res = await post(`page?upload=${upload}&n=3`, Buffer.from(PNG_B64, 'base64'), 'image/png');
    expect(res.status).toBe(400);
    res = await post(
      `page?upload=not-an-upload-id&n=1`,
      Buffer.from(PNG_B64, 'base64'),
      'image/png',
    );
    expect(res.status).toBe(404);
    upload = await start('Half', 2);
    expect(
      (await post(`page?upload=${upload}&n=2`, Buffer.from(PNG_B64, 'base64'), 'image/png')).status,
    ).toBe(200);
    res = await post(`finish?upload=${upload}`, '');
    expect([res.status, await res.text()]).toEqual([400, 'pages not received: 1']);
    expect(written()).toEqual(before);
    expect(staged()).toEqual([upload]);
    // Two imports at once at most.
    const other = await start('Other', 1);
    expect((await post('start', JSON.stringify({ title: 'Third', pages: 1 }))).status).toBe(503);
    for (const u of [upload, other])
      expect((await post(`page?upload=${u}&n=1`, Buffer.from('x'), 'image/png')).status).toBe(400);
    expect(staged()).toEqual([]);
    expect(reloads).toBe(1);
  });

  it('refuses a page over the limit without reading it', async () => {
    const upload = await start('Big', 1);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/import/pdf/page?upload=${upload}&n=1`, {
        method: 'POST',
        headers: {
          'Content-Type': 'image/png',
          'Content-Length': String(IMPORT_LIMITS.pageBytes + 1),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.from(PNG_B64, 'base64'));
    });
    expect(status).toBe(413);
  });

  it('stops a page that grows past the limit (no Content-Length) and keeps none of it', async () => {
    const upload = await start('Growing', 1);
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request(`${base}/api/import/pdf/page?upload=${upload}&n=1`, {
        method: 'POST',
        headers: { 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      req.on('error', (e) => resolve(`error: ${(e as NodeJS.ErrnoException).code}`));
      let sent = 0;
      const pump = () => {
        while (sent <= IMPORT_LIMITS.pageBytes + chunk.length && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    // Either the 413 arrives first, or the server has already closed the connection.
    expect(outcome).toMatch(/^(413|error: (ECONNRESET|EPIPE))$/);
    const dir = path.join(path.dirname(coursesDir), '.imports', upload);
    await expect.poll(() => fs.existsSync(dir)).toBe(false);
  });
});
