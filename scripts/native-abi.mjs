// better-sqlite3 is built for one ABI at a time: Node's (tests, browser mode) or Electron's
// (`npm start` with a desktop). Rebuild it for Node when it was last built for Electron.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export function ensureNodeAbi() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    { encoding: 'utf8' },
  );
  if (probe.status === 0) return;
  if (!/NODE_MODULE_VERSION|was compiled against a different Node/.test(probe.stderr)) {
    console.error(probe.stderr);
    throw new Error('better-sqlite3 does not load');
  }
  console.log('Rebuilding better-sqlite3 for Node (it was built for Electron)…');
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) throw new Error('npm rebuild better-sqlite3 failed');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) ensureNodeAbi();
