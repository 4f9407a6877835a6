/**
 * Downloads a file from the app's own loopback server to a path the user chose. No `electron`
 * import: tests run it against a real `node:http` server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';

/** Larger than any export a class produces; stops a runaway response from filling the disk. */
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/**
 * Fetches `url` with the instructor token in the `x-muster-token` header (never in the URL, so it
 * stays out of logs) and writes it to `dest` atomically: a failed download leaves an existing file
 * untouched. Resolves with the number of bytes written.
 */
export async function downloadToFile(
  url: string,
  token: string,
  dest: string,
  maxBytes = MAX_DOWNLOAD_BYTES,
): Promise<number> {
  const res = await fetch(url, { headers: { 'x-muster-token': token }, redirect: 'error' });
  if (!res.ok) {
    const why = (await res.text().catch(() => '')).slice(0, 200);
    throw new Error(`the server refused the file (${res.status}${why ? `: ${why}` : ''})`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`the file is too large (${declared} bytes)`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > maxBytes) throw new Error(`the file is too large (${body.length} bytes)`);
  const part = `${dest}.${crypto.randomBytes(4).toString('hex')}.part`;
  try {
    await fs.writeFile(part, body, { flag: 'wx' });
    await fs.rename(part, dest);
  } catch (e) {
    await fs.rm(part, { force: true });
    throw e;
  }
  return body.length;
}
