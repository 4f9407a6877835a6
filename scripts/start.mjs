// `npm start`: the desktop app where Electron can start; otherwise browser mode, said out loud.
// Electron 45+ fetches its binary on first start. Where that download is impossible (no route to
// its host), or there is no display, Muster runs the same server and opens the console in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ensureNodeAbi } from './native-abi.mjs';

const require = createRequire(import.meta.url);

function electronBinary() {
  // Resolving the binary may download it; bound the wait so a dead network does not hang the start.
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status === 0 && r.stdout) return { path: r.stdout };
  // The download's own error ("fetch failed") says more than the generic one thrown after it.
  const lines = (r.stderr || r.error?.message || 'unknown error').split('\n').map((l) => l.trim());
  const why =
    lines
      .filter((l) => /^(\w*Error|Error):/.test(l))
      .map((l) => l.replace(/^\w*Error: /, ''))
      .join('; ') || lines.filter(Boolean).at(-1);
  return { error: why };
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function browserMode(reason) {
  console.log(`Electron cannot start here (${reason}).`);
  console.log(
    'Starting Muster in browser mode instead: same server, the console opens in your browser.\n',
  );
  ensureNodeAbi();
  const child = spawn(process.execPath, ['bin/muster.js', 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.env.MUSTER_BROWSER_MODE === '1') {
  browserMode('MUSTER_BROWSER_MODE=1');
} else if (!hasDisplay()) {
  browserMode('no display: DISPLAY and WAYLAND_DISPLAY are not set');
} else {
  const bin = electronBinary();
  if (bin.error) {
    browserMode(`its binary could not be fetched: ${bin.error}`);
  } else {
    // better-sqlite3 is a native module: Electron needs it built for its own ABI.
    const rebuilt = spawnSync(
      process.execPath,
      [require.resolve('electron-builder/cli.js'), 'install-app-deps'],
      { stdio: 'inherit' },
    );
    if (rebuilt.status !== 0) {
      browserMode('native modules could not be rebuilt for Electron');
    } else {
      const started = Date.now();
      const child = spawn(bin.path, ['.'], { stdio: 'inherit' });
      child.on('exit', (code) => {
        // A crash within seconds of launch means Electron cannot run on this machine.
        if (code !== 0 && Date.now() - started < 10_000)
          browserMode(`Electron exited with code ${code}`);
        else process.exit(code ?? 0);
      });
    }
  }
}
