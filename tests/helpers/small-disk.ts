import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real, small file system (tmpfs) that can be filled to the last byte: for the tests of what
 * happens when the disk is full. Mounting needs root, as in CI; elsewhere this says so.
 */
export function smallDisk(megabytes = 8): {
  dir: string;
  fill(): void;
  free(): void;
  release(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (e) {
    throw new Error(
      `the disk-full test mounts a small tmpfs and needs root for it (as CI runs): ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    release() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
