// PDF import, what the server accepts: the title and page count that begin an import, and pages
// that are the images they claim to be.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, ImportStart, imageKind } from '../../main/server/import-api';
import { JPEG, PNG_B64, tmp } from '../helpers/import-pages';

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
