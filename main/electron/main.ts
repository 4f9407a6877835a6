/**
 * Electron entry point (bundled to out/main/electron.cjs): one instance, the Muster app on its
 * loopback and LAN listeners, the console window, the projector window, and a clean stop on quit.
 */
import path from 'node:path';
import { app, dialog, Menu } from 'electron';
import { createApp, packageRoot } from '../app';
import { fileLog, installSafetyNet } from '../log';
import type { MusterApp } from '../app';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { installSecurity } from './security';
import { storeSettings } from './settings';
import { keychainCredential } from './credential';
import { Windows } from './windows';
import { errorMessage } from '../../shared/errors';

/** How long quitting waits for the server and the database to close. */
const STOP_TIMEOUT_MS = 5000;

let muster: MusterApp | undefined;
let windows: Windows | undefined;

// The same name and data folder in development and packaged, and the one `muster export`
// (main/cli.ts, defaultDataDir) reads: <appData>/Muster. Both must be set before `ready`.
app.setName('Muster');
app.setPath('userData', path.join(app.getPath('appData'), 'Muster'));

async function start(): Promise<void> {
  const settings = await storeSettings();
  const log = fileLog(app.getPath('userData'));
  // A running class is never ended by an exception nothing caught: it is logged, and the class goes on.
  installSafetyNet(log);
  muster = await createApp({
    log,
    dataDir: app.getPath('userData'),
    // Shipped inside app.asar (electron-builder.yml `files`), so packageRoot() finds it there too.
    contentDir: path.join(packageRoot(), 'content'),
    settings,
    // The records server credential goes to the operating system's keychain.
    recordsCredential: keychainCredential(app.getPath('userData')),
  });
  for (const p of muster.contentProblems)
    console.warn(`content: ${p.file}:${p.line}: ${p.message}`);
  const urls = muster.urls();
  const consoleOrigin = new URL(urls.console).origin;
  installSecurity(consoleOrigin);

  const w = new Windows({
    consoleUrl: urls.console,
    projectorUrl: urls.projector,
    preload: path.join(__dirname, 'preload.cjs'),
    settings,
  });
  windows = w;
  registerIpc({
    consoleOrigin,
    token: muster.token,
    consoleWindow: () => w.console,
    openProjector: () => w.openProjector(),
  });
  Menu.setApplicationMenu(buildMenu({ openProjector: () => w.openProjector() }));

  w.openConsole().on('closed', () => app.quit());
  w.followDisplays();
  if (w.hasExternalDisplay()) w.openProjector();
}

async function stopWithin(m: MusterApp, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([m.stop(), late]);
  } finally {
    clearTimeout(timer);
  }
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    // Another Muster owns the ports and the database; it focuses its console (below).
    app.quit();
    return;
  }
  app.setAppUserModelId('org.muster.console');
  app.on('second-instance', () => windows?.openConsole());
  app.on('window-all-closed', () => app.quit());

  let stopping: Promise<void> | undefined;
  let stopped = false;
  app.on('will-quit', (event) => {
    const m = muster;
    if (stopped || !m) return;
    // Close the listeners and the database before the process goes.
    event.preventDefault();
    stopping ??= stopWithin(m, STOP_TIMEOUT_MS)
      .catch((e: unknown) => console.error('muster: stopping failed', e))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch(async (e: unknown) => {
      dialog.showErrorBox('Muster could not start', errorMessage(e));
      if (muster) await stopWithin(muster, STOP_TIMEOUT_MS).catch(() => undefined);
      app.exit(1);
    });
}

main();
