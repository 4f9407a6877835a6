/** Random ids and phone tokens; the records keep only a token's hash, never the token. */
import crypto from 'node:crypto';

export const randomId = (bytes = 12) => crypto.randomBytes(bytes).toString('base64url');
export const hashToken = (token: string) =>
  crypto.createHash('sha256').update(token).digest('base64url');
