/**
 * Random ids for messages. Phones load the page over plain http on the LAN, which is not a secure
 * context, so crypto.randomUUID is missing there; getRandomValues works everywhere.
 */
export function newId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A phone's own join token: 32 base64url characters (192 random bits), as the server expects. */
export function newToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  // 64 divides 256: each byte's low six bits are uniform.
  return Array.from(bytes, (b) => BASE64URL[b & 63]).join('');
}
