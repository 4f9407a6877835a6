/**
 * Hardening applied to every window and session. The decisions themselves are pure functions in
 * policy.ts; this file attaches them to Electron's events.
 */
import { app, shell, session } from 'electron';
import type { WebContents, WebPreferences } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './policy';

/** The web preferences of every Muster window; `preload` only for the console. */
export function secureWebPreferences(preload?: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    ...(preload ? { preload } : {}),
  };
}

/** The one way out to the system browser: `https:` only, everything else is dropped. */
export async function openExternal(url: string): Promise<void> {
  if (!isSafeExternalUrl(url)) return;
  await shell.openExternal(url);
}

function hardenContents(contents: WebContents, consoleOrigin: string): void {
  // New windows: always deny. An https link goes to the system browser; the projector window is
  // opened through the bridge (ipc.ts), never by the page.
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void; url: string }) => {
    if (isAppUrl(event.url, consoleOrigin)) return;
    event.preventDefault();
    void openExternal(event.url);
  };
  contents.on('will-navigate', stayHome);
  // The server redirects /console to /console/; any redirect elsewhere is refused.
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Installs the hardening before any window exists: every webContents created from now on is
 * confined to the app's loopback origin, and the default session grants no permission.
 */
export function installSecurity(consoleOrigin: string): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, consoleOrigin));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
