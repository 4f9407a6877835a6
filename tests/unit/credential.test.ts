/**
 * Where a console keeps its records server credential: in browser mode a file only its owner can
 * read (also when an older, wider file was there); in the desktop app the keychain through
 * Electron's safeStorage (the one thing mocked here: the thin Electron adapter), or that same file
 * when no keychain is available.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CREDENTIAL_FILE, fileCredential } from '../../main/records/push/credential';

const keychain = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => keychain.available,
    getSelectedStorageBackend: () => keychain.backend,
    encryptString: (s: string) => Buffer.from(`enc:${[...s].reverse().join('')}`),
    decryptString: (b: Buffer) => {
      const s = b.toString();
      if (!s.startsWith('enc:')) throw new Error('not ours');
      return [...s.slice(4)].reverse().join('');
    },
  },
}));

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cred-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const URL1 = 'postgres://muster_c_room_3_ab12cd:s3cret@records.academy.local/muster';

describe('the records server credential', () => {
  it('in browser mode: a file only its owner may read, replaced whole, removed on disconnect', () => {
    const dir = tmp();
    const file = path.join(dir, CREDENTIAL_FILE);
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    const c = fileCredential(dir);
    expect(c.storage).toBe('file');
    c.set(URL1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(c.get()).toBe(URL1);
    expect(fs.readdirSync(dir)).toEqual([CREDENTIAL_FILE]);
    c.set(undefined);
    expect(fs.existsSync(file)).toBe(false);
    expect(c.get()).toBeUndefined();
  });

  it('in the desktop app: encrypted by the keychain, never as plain text on disk', async () => {
    const { keychainCredential } = await import('../../main/electron/credential');
    const dir = tmp();
    keychain.available = true;
    keychain.backend = 'gnome_libsecret';
    const c = keychainCredential(dir);
    expect(c.storage).toBe('keychain');
    c.set(URL1);
    const stored = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain('s3cret');
    expect(c.get()).toBe(URL1);
    c.set(undefined);
    expect(c.get()).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('without a keychain (or with the fixed-key fallback on Linux): the owner-only file', async () => {
    const { keychainCredential } = await import('../../main/electron/credential');
    keychain.available = false;
    expect(keychainCredential(tmp()).storage).toBe('file');
    keychain.available = true;
    keychain.backend = 'basic_text';
    const dir = tmp();
    const c = keychainCredential(dir);
    expect(c.storage).toBe(process.platform === 'linux' ? 'file' : 'keychain');
    c.set(URL1);
    expect(c.get()).toBe(URL1);
  });
});
