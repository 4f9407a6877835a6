/**
 * PDF import, server side: `POST /api/import/pdf` on the loopback listener (token checked by the
 * caller). The console renders the PDF's pages to images in the browser (pdf.js) and sends them
 * here as data: URLs; this writes an ordinary course folder into `<dataDir>/courses/<slug>/`:
 *
 *   course.yaml            id = slug, the title, one module (deck.md)
 *   deck.md                one slide per page: `<!-- id: page-001 -->` + `![Page 1](images/page-001.png)`
 *   images/page-001.png    (or .jpg)
 *
 * Everything is validated before anything is written (DESIGN.md rule 2), the folder is written
 * under a temporary name and renamed into place, and then the content is reloaded and the console
 * told, so the new deck appears in the deck list.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { describeZodError } from '../../shared/protocol';

export const IMPORT_LIMITS = {
  titleChars: 200,
  pages: 400,
  /** Per page, decoded. */
  pageBytes: 8 * 1024 * 1024,
  /** The whole request body. */
  bodyBytes: 200 * 1024 * 1024,
} as const;

/** What the server needs from the app to find, add and reload courses. */
export interface CourseAccess {
  /** Where imported courses are written: `<dataDir>/courses`. */
  coursesDir: string;
  /** The folder of a loaded course, by its id (for `/courses/<id>/…` images). */
  courseDir(id: string): string | undefined;
  /** Ids of every loaded course (content folder and imported): an import never reuses one. */
  courseIds(): string[];
  /** Loads the content folder and the imported courses again. */
  reloadContent(): void;
}

export interface ImportContext extends CourseAccess {
  classroom: { markViews(): void };
}

export interface ImportResult {
  course: string;
  file: string;
  slides: number;
}

export interface ImportedPage {
  ext: 'png' | 'jpg';
  data: Buffer;
}

const PREFIX_MAX = 'data:image/jpeg;base64,'.length;
const DATA_URL = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/]*={0,2})$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

export const ImportRequest = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'the deck needs a title')
      .max(IMPORT_LIMITS.titleChars, `a title has at most ${IMPORT_LIMITS.titleChars} characters`)
      .regex(/^[^\p{Cc}]*$/u, 'a title is one line of text'),
    pages: z
      .array(
        z
          .string()
          // Cheap length check first, so a huge string is refused before the regular expression.
          .max(PREFIX_MAX + Math.ceil(IMPORT_LIMITS.pageBytes / 3) * 4, `a page image is at most ${IMPORT_LIMITS.pageBytes / 1024 / 1024} MB`)
          .regex(DATA_URL, 'each page is a data: URL of a PNG or JPEG image (data:image/png;base64,…)'),
      )
      .min(1, 'the PDF has no pages')
      .max(IMPORT_LIMITS.pages, `at most ${IMPORT_LIMITS.pages} pages can be imported at once`),
  })
  .strict();

/** Validates an import request completely (schema, decoded sizes, image signatures); writes nothing. */
export function parseImportRequest(data: unknown): { ok: true; title: string; pages: ImportedPage[] } | { ok: false; message: string } {
  const r = ImportRequest.safeParse(data);
  if (!r.success) return { ok: false, message: describeZodError(r.error) };
  const pages: ImportedPage[] = [];
  for (const [i, url] of r.data.pages.entries()) {
    const m = DATA_URL.exec(url)!;
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length === 0) return { ok: false, message: `page ${i + 1}: the image is empty` };
    if (bytes.length > IMPORT_LIMITS.pageBytes) return { ok: false, message: `page ${i + 1}: a page image is at most ${IMPORT_LIMITS.pageBytes / 1024 / 1024} MB` };
    const png = m[1] === 'png';
    const magic = png ? PNG_MAGIC : JPEG_MAGIC;
    if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic))
      return { ok: false, message: `page ${i + 1}: the data is not a ${png ? 'PNG' : 'JPEG'} image` };
    pages.push({ ext: png ? 'png' : 'jpg', data: bytes });
  }
  return { ok: true, title: r.data.title, pages };
}

/** A course id and folder name from a title: lowercase ASCII letters, digits and hyphens. */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'imported-deck';
}

/** `base`, or `base-2`, `base-3`, … : the first that is not taken. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

const pageName = (i: number, ext: string) => `page-${String(i + 1).padStart(3, '0')}.${ext}`;

/** The deck: front matter, then one slide per page with an id, the page image and empty notes. */
export function deckMarkdown(title: string, pages: readonly { ext: string }[]): string {
  const slides = pages.map((p, i) => {
    const n = String(i + 1).padStart(3, '0');
    return `<!-- id: page-${n} -->\n![Page ${i + 1}](images/${pageName(i, p.ext)})\n\nNotes:\n`;
  });
  return `---\n${YAML.stringify({ title }).trimEnd()}\n---\n${slides.join('\n---\n')}`;
}

export function courseYaml(id: string, title: string, slides: number): string {
  // Planned time: two minutes a page, for the console's time-left display; edit it freely.
  const minutes = Math.min(1000, Math.max(5, slides * 2));
  return `# Imported from a PDF by Muster. Edit freely: see content/README.md.\n${YAML.stringify({ id, title, modules: [{ file: 'deck.md', title, minutes }] })}`;
}

/**
 * Writes the course folder: first under a temporary name next to `coursesDir`, then renamed into
 * `coursesDir/<slug>` — so a half-written import is never seen as a course. The slug is made unique
 * against `takenIds` and existing folders.
 */
export async function writeImportedCourse(
  coursesDir: string,
  takenIds: readonly string[],
  title: string,
  pages: readonly ImportedPage[],
): Promise<ImportResult> {
  await fs.promises.mkdir(coursesDir, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(path.dirname(coursesDir), `.import-${crypto.randomBytes(3).toString('hex')}-`));
  try {
    await fs.promises.mkdir(path.join(tmp, 'images'));
    for (const [i, p] of pages.entries()) await fs.promises.writeFile(path.join(tmp, 'images', pageName(i, p.ext)), p.data);
    await fs.promises.writeFile(path.join(tmp, 'deck.md'), deckMarkdown(title, pages));
    const ids = new Set(takenIds);
    const base = slugify(title);
    for (let attempt = 0; attempt < 50; attempt++) {
      const slug = uniqueSlug(base, (s) => ids.has(s) || fs.existsSync(path.join(coursesDir, s)));
      await fs.promises.writeFile(path.join(tmp, 'course.yaml'), courseYaml(slug, title, pages.length));
      try {
        await fs.promises.rename(tmp, path.join(coursesDir, slug));
        return { course: slug, file: 'deck.md', slides: pages.length };
      } catch (e) {
        // Another import took this name between the check and the rename: try the next one.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw e;
        ids.add(slug);
      }
    }
    throw new Error('could not find a free folder name');
  } catch (e) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

export class BodyTooLarge extends Error {}

/** Reads a request body, refusing (without buffering further) anything over `limit` bytes. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (e) reject(e);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        return finish(new BodyTooLarge());
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (e) => finish(e));
    req.once('aborted', () => finish(new Error('the upload was aborted')));
  });
}

function reply(res: http.ServerResponse, status: number, body: string | object, close = false): void {
  if (res.headersSent) return;
  const json = typeof body === 'object';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(json ? JSON.stringify(body) : body);
}

/** `POST /api/import/pdf`: JSON `{ title, pages: [data: URL, …] }` → `{ course, file, slides }`. */
export async function handleImport(req: http.IncomingMessage, res: http.ServerResponse, ctx: ImportContext): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const origin = req.headers.origin;
  const refuse = (status: number, message: string) => {
    // Do not read what the client still sends: answer and close the connection.
    reply(res, status, message, true);
    res.once('finish', () => req.destroy());
  };
  if (type !== 'application/json') return refuse(415, 'send the import as application/json');
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return refuse(403, 'wrong origin');

  let body: Buffer;
  try {
    body = await readBody(req, IMPORT_LIMITS.bodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) return refuse(413, `the import is larger than ${IMPORT_LIMITS.bodyBytes / 1024 / 1024} MB; split the PDF into smaller decks`);
    req.destroy();
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return reply(res, 400, 'the body is not valid JSON');
  }
  const parsed = parseImportRequest(data);
  if (!parsed.ok) return reply(res, 400, parsed.message);

  let result: ImportResult;
  try {
    result = await writeImportedCourse(ctx.coursesDir, ctx.courseIds(), parsed.title, parsed.pages);
  } catch (e) {
    return reply(res, 500, `could not save the deck: ${(e as Error).message}`);
  }
  try {
    ctx.reloadContent();
  } catch (e) {
    return reply(res, 500, `the deck was saved in ${path.join(ctx.coursesDir, result.course)} but could not be loaded: ${(e as Error).message}`);
  }
  ctx.classroom.markViews();
  reply(res, 200, result);
}
