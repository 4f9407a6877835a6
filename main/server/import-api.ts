/**
 * PDF import, server side, on the loopback listener (token checked by the caller). The console
 * renders the PDF's pages to images in the browser (pdf.js) and uploads them one at a time, each
 * streamed to disk with its size counted as it arrives — so a huge or hostile upload never sits in
 * the server's memory:
 *
 *   POST /api/import/pdf/start               JSON { title, pages }            → { upload }
 *   POST /api/import/pdf/page?upload=&n=     the page image (image/png | image/jpeg, ≤ 8 MB) → { ok }
 *   POST /api/import/pdf/finish?upload=      → { course, file, slides }
 *
 * `finish` checks every page is there and is the image it claims to be, then writes an ordinary
 * course folder into `<dataDir>/courses/<slug>/` (under a temporary name, renamed into place):
 *
 *   course.yaml            id = slug, the title, one module (deck.md)
 *   deck.md                one slide per page: `<!-- id: page-001 -->` + `![Page 1](images/page-001.png)`
 *   images/page-001.png    (or .jpg)
 *
 * then reloads the content and tells the console, so the new deck appears in the deck list.
 * Unfinished uploads are removed after an hour.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import type YAMLModule from 'yaml';
import { z } from 'zod';
import { describeZodError } from '../../shared/protocol';
import { bodyToFile, readBody, refuseBody } from './body';
import { errorCode, errorMessage, isMusterError } from '../../shared/errors';

export const IMPORT_LIMITS = {
  titleChars: 200,
  pages: 400,
  /** One page image. */
  pageBytes: 8 * 1024 * 1024,
  /** All the pages of one import together. */
  totalBytes: 200 * 1024 * 1024,
  /** Imports being uploaded at once. */
  uploads: 2,
  /** An upload not finished within this long is thrown away. */
  uploadMs: 60 * 60_000,
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
  reloadContent(): void | Promise<void>;
}

export interface ImportContext extends CourseAccess {
  classroom: { markViews(): void };
}

export interface ImportResult {
  course: string;
  file: string;
  slides: number;
}

/** A page image on disk, checked to be what its extension says. */
export interface ImportedPage {
  ext: 'png' | 'jpg';
  file: string;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,32}$/;

export const ImportStart = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'the deck needs a title')
      .max(IMPORT_LIMITS.titleChars, `a title has at most ${IMPORT_LIMITS.titleChars} characters`)
      .regex(/^[^\p{Cc}]*$/u, 'a title is one line of text'),
    pages: z
      .number()
      .int()
      .min(1, 'the PDF has no pages')
      .max(IMPORT_LIMITS.pages, `at most ${IMPORT_LIMITS.pages} pages can be imported at once`),
  })
  .strict();

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

/** The YAML writer, loaded at the first import (the server does not otherwise need it). */
let yamlModule: typeof YAMLModule | null = null;
function YAML(): typeof YAMLModule {
  // The Electron bundle is CommonJS (import.meta is empty there); the CLI bundle and tests are ES modules.
  yamlModule ??= createRequire((import.meta.url as string | undefined) ?? __filename)(
    'yaml',
  ) as typeof YAMLModule;
  return yamlModule;
}

/** The deck: front matter, then one slide per page with an id, the page image and empty notes. */
export function deckMarkdown(title: string, pages: readonly { ext: string }[]): string {
  const slides = pages.map((p, i) => {
    const n = String(i + 1).padStart(3, '0');
    return `<!-- id: page-${n} -->\n![Page ${i + 1}](images/${pageName(i, p.ext)})\n\nNotes:\n`;
  });
  return `---\n${YAML().stringify({ title }).trimEnd()}\n---\n${slides.join('\n---\n')}`;
}

export function courseYaml(id: string, title: string, slides: number): string {
  // Planned time: two minutes a page, for the console's time-left display; edit it freely.
  const minutes = Math.min(1000, Math.max(5, slides * 2));
  return `# Imported from a PDF by Muster. Edit freely: see content/README.md.\n${YAML().stringify({ id, title, modules: [{ file: 'deck.md', title, minutes }] })}`;
}

/** The image type of a file by its first bytes, or null when it is neither PNG nor JPEG. */
export async function imageKind(file: string): Promise<'png' | 'jpg' | null> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fd.read(head, 0, 8, 0);
    if (bytesRead >= 8 && head.equals(PNG_MAGIC)) return 'png';
    if (bytesRead >= 3 && head.subarray(0, 3).equals(JPEG_MAGIC)) return 'jpg';
    return null;
  } finally {
    await fd.close();
  }
}

/**
 * Writes the course folder: first under a temporary name next to `coursesDir` (the page files are
 * moved in, not copied), then renamed into `coursesDir/<slug>` — so a half-written import is never
 * seen as a course. The slug is made unique against `takenIds` and existing folders.
 */
export async function writeImportedCourse(
  coursesDir: string,
  takenIds: readonly string[],
  title: string,
  pages: readonly ImportedPage[],
): Promise<ImportResult> {
  await fs.promises.mkdir(coursesDir, { recursive: true });
  const tmp = await fs.promises.mkdtemp(
    path.join(path.dirname(coursesDir), `.import-${crypto.randomBytes(3).toString('hex')}-`),
  );
  try {
    await fs.promises.mkdir(path.join(tmp, 'images'));
    for (const [i, p] of pages.entries())
      await fs.promises.copyFile(p.file, path.join(tmp, 'images', pageName(i, p.ext)));
    await fs.promises.writeFile(path.join(tmp, 'deck.md'), deckMarkdown(title, pages));
    const ids = new Set(takenIds);
    const base = slugify(title);
    for (let attempt = 0; attempt < 50; attempt++) {
      const slug = uniqueSlug(base, (s) => ids.has(s) || fs.existsSync(path.join(coursesDir, s)));
      await fs.promises.writeFile(
        path.join(tmp, 'course.yaml'),
        courseYaml(slug, title, pages.length),
      );
      try {
        await fs.promises.rename(tmp, path.join(coursesDir, slug));
        return { course: slug, file: 'deck.md', slides: pages.length };
      } catch (e) {
        // Another import took this name between the check and the rename: try the next one.
        const code = errorCode(e);
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

interface Upload {
  id: string;
  dir: string;
  title: string;
  pages: number;
  bytes: number;
  received: Map<number, 'png' | 'jpg'>;
  startedAt: number;
  busy: boolean;
}

/** The uploads in progress, per staging folder (`<dataDir>/.imports`). */
const uploadsByDir = new Map<string, Map<string, Upload>>();

function stagingDir(ctx: CourseAccess): string {
  return path.join(path.dirname(ctx.coursesDir), '.imports');
}

async function dropUpload(uploads: Map<string, Upload>, u: Upload): Promise<void> {
  uploads.delete(u.id);
  await fs.promises.rm(u.dir, { recursive: true, force: true });
}

/** Removes uploads older than the limit, and staging folders left by an earlier run. */
async function sweep(staging: string, uploads: Map<string, Upload>, now: number): Promise<void> {
  for (const u of [...uploads.values()])
    if (now - u.startedAt > IMPORT_LIMITS.uploadMs) await dropUpload(uploads, u);
  const names = fs.existsSync(staging) ? await fs.promises.readdir(staging) : [];
  for (const n of names)
    if (!uploads.has(n))
      await fs.promises.rm(path.join(staging, n), { recursive: true, force: true });
}

function reply(res: http.ServerResponse, status: number, body: string | object): void {
  if (res.headersSent) return;
  const json = typeof body === 'object';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(json ? JSON.stringify(body) : body);
}

/** `POST /api/import/pdf/{start,page,finish}`. */
export async function handlePdfImport(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  ctx: ImportContext,
): Promise<void> {
  const refuse = (status: number, message: string) => refuseBody(req, res, status, message);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`)
    return refuse(403, 'wrong origin');
  const staging = stagingDir(ctx);
  let uploads = uploadsByDir.get(staging);
  if (!uploads) uploadsByDir.set(staging, (uploads = new Map()));
  const now = Date.now();

  if (url.pathname === '/api/import/pdf/start') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(415, 'send the import as application/json');
    let body: Buffer;
    try {
      body = await readBody(req, 4096);
    } catch (e) {
      if (isMusterError(e, 'body-too-large'))
        return refuse(e.status, 'the request is larger than 4 KB');
      req.destroy();
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(res, 400, 'the body is not valid JSON');
    }
    const r = ImportStart.safeParse(data);
    if (!r.success) return reply(res, 400, describeZodError(r.error));
    await sweep(staging, uploads, now);
    if (uploads.size >= IMPORT_LIMITS.uploads)
      return reply(res, 503, 'another import is being uploaded; try again when it is done');
    const id = crypto.randomBytes(18).toString('base64url');
    const dir = path.join(staging, id);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    uploads.set(id, {
      id,
      dir,
      title: r.data.title,
      pages: r.data.pages,
      bytes: 0,
      received: new Map(),
      startedAt: now,
      busy: false,
    });
    return reply(res, 200, { upload: id });
  }

  const id = url.searchParams.get('upload') ?? '';
  const u = UPLOAD_ID.test(id) ? uploads.get(id) : undefined;
  if (!u) return refuse(404, 'no such import in progress; start again');

  if (url.pathname === '/api/import/pdf/page') {
    // A page refused is the import refused: its upload is dropped, and the console starts again.
    const drop = async (status: number, message: string) => {
      await dropUpload(uploads, u);
      refuse(status, `${message}; nothing was imported`);
    };
    const n = Number(url.searchParams.get('n'));
    if (!Number.isInteger(n) || n < 1 || n > u.pages)
      return drop(400, `n: a page number from 1 to ${u.pages}`);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const ext = type === 'image/png' ? 'png' : type === 'image/jpeg' ? 'jpg' : null;
    if (!ext) return drop(415, 'a page is sent as image/png or image/jpeg');
    if (u.received.has(n) || u.busy)
      return refuse(409, `page ${n} was already sent, or another page is being received`);
    const left = IMPORT_LIMITS.totalBytes - u.bytes;
    const limit = Math.min(IMPORT_LIMITS.pageBytes, left);
    const file = path.join(u.dir, pageName(n - 1, ext));
    u.busy = true;
    try {
      u.bytes += await bodyToFile(req, file, limit);
    } catch (e) {
      u.busy = false;
      if (isMusterError(e, 'body-too-large'))
        return drop(
          e.status,
          limit < IMPORT_LIMITS.pageBytes
            ? `the pages come to more than ${IMPORT_LIMITS.totalBytes / 1024 / 1024} MB; split the PDF into smaller decks`
            : `page ${n}: a page image is at most ${IMPORT_LIMITS.pageBytes / 1024 / 1024} MB`,
        );
      await dropUpload(uploads, u);
      req.destroy();
      return;
    }
    u.busy = false;
    const kind = await imageKind(file);
    if (kind !== ext)
      return drop(400, `page ${n}: the data is not a ${ext === 'png' ? 'PNG' : 'JPEG'} image`);
    u.received.set(n, ext);
    return reply(res, 200, { ok: true });
  }

  if (url.pathname === '/api/import/pdf/finish') {
    if (u.received.size !== u.pages) {
      const missing = Array.from({ length: u.pages }, (_, i) => i + 1).filter(
        (n) => !u.received.has(n),
      );
      return reply(
        res,
        400,
        `pages not received: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      );
    }
    const pages: ImportedPage[] = Array.from({ length: u.pages }, (_, i) => {
      const ext = u.received.get(i + 1)!;
      return { ext, file: path.join(u.dir, pageName(i, ext)) };
    });
    let result: ImportResult;
    try {
      result = await writeImportedCourse(ctx.coursesDir, ctx.courseIds(), u.title, pages);
    } catch (e) {
      return reply(res, 500, `could not save the deck: ${errorMessage(e)}`);
    } finally {
      await dropUpload(uploads, u);
    }
    try {
      await ctx.reloadContent();
    } catch (e) {
      return reply(
        res,
        500,
        `the deck was saved in ${path.join(ctx.coursesDir, result.course)} but could not be loaded: ${errorMessage(e)}`,
      );
    }
    ctx.classroom.markViews();
    return reply(res, 200, result);
  }
  refuse(404, 'not found');
}
