/**
 * Where a console keeps its records server credential (the enrolment URL, which holds its
 * password). One small interface, two homes: the operating system's keychain in the desktop app
 * (main/electron/credential.ts, Electron safeStorage) and, in browser mode, a file in the data
 * folder that only this user may read or write (0600).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RecordsCredential {
  /** Where it is kept, in a word the console shows. */
  readonly storage: 'keychain' | 'file';
  get(): string | undefined;
  /** Stores (or, with undefined, forgets) the credential. */
  set(url: string | undefined): void;
}

export const CREDENTIAL_FILE = 'records-server.credential';

/** A file only its owner can read: written to a temp file created 0600, then renamed over the old one. */
export function fileCredential(dataDir: string): RecordsCredential {
  const file = path.join(dataDir, CREDENTIAL_FILE);
  return {
    storage: 'file',
    get() {
      try {
        return fs.readFileSync(file, 'utf8').trim() || undefined;
      } catch {
        return undefined;
      }
    },
    set(url) {
      if (url === undefined) return fs.rmSync(file, { force: true });
      fs.mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, url, { mode: 0o600 });
      // The mode of a file that already existed is not changed by writeFileSync.
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, file);
    },
  };
}
