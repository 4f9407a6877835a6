import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found from this file whether run from source (tsx) or from the bundle in out/.
 * A module of its own (only Node's fs, path and url) so that the CLI can find package.json for
 * `muster --version` and `--help` without loading the server.
 */
export function packageRoot(): string {
  // The Electron bundle is CommonJS (no import.meta there); the CLI bundle and tests are ES modules.
  const here = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url);
  let dir = path.dirname(here);
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${here}`);
    dir = up;
  }
  return dir;
}
