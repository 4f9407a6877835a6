/**
 * The headers every page of both listeners is served with: its own scripts and styles only, its
 * sockets only to `wsOrigin`, never framed, no referrer.
 */
import type http from 'node:http';

export function securityHeaders(res: http.ServerResponse, wsOrigin: string): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ${wsOrigin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}
