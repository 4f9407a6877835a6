/** Random ids and phone tokens; the records keep only a token's hash, never the token. */
import crypto from 'node:crypto';

/*
 * Ids come from a pool: crypto.randomBytes per id costs a call into the system's generator each
 * time, and a room joining at once asks for two per phone (a trainee id and a token). The same
 * generator fills the pool a few kilobytes at a time; each id takes its own bytes, never reused.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `bytes` random bytes as base64url (9 bytes: 12 characters; 24: a 32-character token). */
export function randomId(bytes = 12): string {
  if (bytes > POOL_BYTES) return crypto.randomBytes(bytes).toString('base64url');
  if (used + bytes > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + bytes);
  // Taken: wiped, so a later read of the pool cannot find an id or a token that was handed out.
  pool.fill(0, used, used + bytes);
  used += bytes;
  return id;
}
/**
 * A token's SHA-256 as base64url: what the records keep. One call, no hash object: a room joining
 * at once hashes a token per phone, and Node's one-shot `crypto.hash` takes a fifth of the time of
 * `createHash().update().digest()`.
 */
export const hashToken = (token: string) => crypto.hash('sha256', token, 'base64url');
