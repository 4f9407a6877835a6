// Page images and folders for the tests of PDF import and of the course files it writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportedPage } from '../../main/server/import-api';

/** A valid 1×1 PNG. */
export const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** The start of a JPEG (SOI + APP0 marker): enough for the signature check. */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

/** A new folder in the system temp folder. */
export const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `muster-${prefix}-`));

/** Page files on disk, as an upload leaves them. */
export function pageFiles(kinds: ('png' | 'jpg')[]): ImportedPage[] {
  const dir = tmp('pages');
  return kinds.map((ext, i) => {
    const file = path.join(dir, `p${i}.${ext}`);
    fs.writeFileSync(file, ext === 'png' ? Buffer.from(PNG_B64, 'base64') : JPEG);
    return { ext, file };
  });
}
