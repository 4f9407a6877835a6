// Phone tokens and ids (main/server/tokens.ts): the records keep a token's hash, and a phone that
// joined before an update must still be known after it, so the hash is pinned to SHA-256 in
// base64url; ids from the pool are fresh each time and of the length asked.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashToken, randomId } from '../../main/server/tokens';

describe('tokens', () => {
  it("a token's hash is its SHA-256 in base64url, as the records have always kept it", () => {
    // FIPS 180-2's first example, in base64url.
    expect(hashToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    for (let i = 0; i < 50; i++) {
      const token = randomId(24);
      expect(hashToken(token)).toBe(crypto.createHash('sha256').update(token).digest('base64url'));
    }
    expect(hashToken('Ünïcödé token')).toBe(
      crypto.createHash('sha256').update('Ünïcödé token', 'utf8').digest('base64url'),
    );
  });

  it('ids are fresh, of the length asked, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = randomId(i % 2 ? 12 : 24);
      expect(id).toMatch(i % 2 ? /^[A-Za-z0-9_-]{16}$/ : /^[A-Za-z0-9_-]{32}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(2000);
  });
});
