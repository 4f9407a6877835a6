/**
 * Images from course folders, for the console and projector pages: `/courses/<course id>/<path>`
 * on the loopback listener. `<img>` tags cannot send the instructor token, so these are served
 * without it — but only image files inside a loaded course's folder (images are not secret; the
 * loopback listener already refuses other Host names).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { decode } from './guard';

export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

const COURSE_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Maps a request path `/courses/<course>/<file…>` to the file inside that course's folder, or null.
 * Pure (string work only): refuses `..` and `.` segments (also percent-encoded), hidden names,
 * empty segments (`//`, so no absolute paths), encoded slashes or backslashes, drive letters, NUL,
 * unknown courses and anything that is not an image by its extension.
 */
export function resolveCoursePath(
  pathname: string,
  courseDir: (id: string) => string | undefined,
): string | null {
  const m = /^\/courses\/([^/]+)\/(.+)$/.exec(pathname);
  if (!m) return null;
  let id: string;
  let segments: string[];
  try {
    id = decodeURIComponent(m[1]);
    segments = m[2].split('/').map((s) => decodeURIComponent(s));
  } catch {
    return null; // malformed percent-encoding
  }
  if (!COURSE_ID.test(id)) return null;
  for (const s of segments) if (s === '' || s.startsWith('.') || /[\\/:\0]/.test(s)) return null;
  const ext = path.extname(segments[segments.length - 1]).toLowerCase();
  if (!Object.hasOwn(IMAGE_TYPES, ext)) return null;
  const dir = courseDir(id);
  if (!dir) return null;
  const root = path.resolve(dir);
  const file = path.resolve(root, ...segments);
  return file.startsWith(root + path.sep) ? file : null;
}

/** The real path of `file` when it is a regular file that stays inside `root` after symlinks, else null. */
export function realFileInside(file: string, root: string): string | null {
  try {
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(file);
    if (!real.startsWith(realRoot + path.sep)) return null;
    // A link inside the folder must still end at an image.
    if (!Object.hasOwn(IMAGE_TYPES, path.extname(real).toLowerCase())) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Serves `/courses/<course>/<image>`; 404 for everything refused. */
export function serveCourseFile(
  res: http.ServerResponse,
  pathname: string,
  head: boolean,
  courseDir: ((id: string) => string | undefined) | undefined,
): void {
  const notFound = () => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
  };
  const file = courseDir ? resolveCoursePath(pathname, courseDir) : null;
  if (!file || !courseDir) return notFound();
  // resolveCoursePath decoded this segment already; decode() states that it cannot throw here.
  const id = decode(pathname.split('/')[2]);
  const real = id === null ? null : realFileInside(file, courseDir(id)!);
  if (!real) return notFound();
  fs.readFile(real, (err, data) => {
    if (err) return notFound();
    res.writeHead(200, {
      'Content-Type': IMAGE_TYPES[path.extname(file).toLowerCase()],
      'Content-Length': data.length,
      'Cache-Control': 'no-cache',
    });
    res.end(head ? undefined : data);
  });
}
