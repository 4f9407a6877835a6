import os from 'node:os';
import path from 'node:path';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32')
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Muster');
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'Muster');
  return path.join(process.env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Muster');
}
