/**
 * The records server credential in the desktop app: encrypted with Electron's safeStorage (the
 * operating system's keychain: Keychain on macOS, DPAPI on Windows, the Secret Service / kwallet
 * on Linux) and kept as ciphertext in userData. Where no keychain is available (safeStorage would
 * fall back to a fixed key on Linux), it is the browser-mode file, readable by this user only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { fileCredential } from '../records/push/credential';
import type { RecordsCredential } from '../records/push/credential';

export function keychainCredential(userData: string): RecordsCredential {
  const usable =
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) return fileCredential(userData);
  const file = path.join(userData, 'records-server.keychain');
  return {
    storage: 'keychain',
    get() {
      try {
        return safeStorage.decryptString(fs.readFileSync(file)) || undefined;
      } catch {
        return undefined;
      }
    },
    set(url) {
      if (url === undefined) return fs.rmSync(file, { force: true });
      fs.writeFileSync(file, safeStorage.encryptString(url), { mode: 0o600 });
    },
  };
}
