/**
 * The per-launch console token: the loopback listener's pages, API and instructor socket need it,
 * so a page on another site (or another user of this computer) cannot drive the class.
 */
import type http from 'node:http';
import crypto from 'node:crypto';

/** Constant-time token check. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The token a request carries: the header the console's fetches send, or `?token=` on a page link. */
export const tokenOf = (req: http.IncomingMessage, url: URL) =>
  req.headers['x-muster-token']?.toString() ?? url.searchParams.get('token');
