// Precompresses the built pages: beside every text file worth it, a brotli (.br) and a gzip (.gz)
// copy, so the server only picks the one the browser accepts (main/server/static-files.ts) and
// never compresses while a class runs. A copy that would not be smaller is not written.
// Browsers ask for brotli only over HTTPS; the room's plain-HTTP pages reach phones as gzip.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/** The same list as COMPRESSIBLE in main/server/static-files.ts. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json']);

export function compressedCopies(data) {
  return Promise.all([
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        // The best ratio for what phones load; the console's large PDF worker a notch lower (build time).
        [zlib.constants.BROTLI_PARAM_QUALITY]: data.length > 512 * 1024 ? 9 : 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzip(data, { level: 9 }),
  ]);
}

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (COMPRESSIBLE.has(path.extname(e.name))) yield p;
  }
}

/** Writes the .br and .gz copies for every compressible file under `dir`; returns how many files. */
export async function precompress(dir) {
  const list = [...files(dir)];
  await Promise.all(
    list.map(async (file) => {
      const data = fs.readFileSync(file);
      const [br, gz] = await compressedCopies(data);
      if (br.length < data.length) fs.writeFileSync(`${file}.br`, br);
      if (gz.length < data.length) fs.writeFileSync(`${file}.gz`, gz);
    }),
  );
  return list.length;
}
