/**
 * `muster serve`: browser mode, the same server as the desktop app with the console opened in a
 * browser. Loaded only when asked for (main/cli.ts), so `muster --help` does not load the server.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createApp } from './app';
import { packageRoot } from './package-root';
import { fileLog, installSafetyNet } from './log';
import { fileSettings } from './settings';
import { defaultDataDir } from './data-dir';

export interface ServeOptions {
  port?: number;
  consolePort?: number;
  data?: string;
  content?: string;
  /** false with --no-open. */
  open: boolean;
  json?: boolean;
}

function openBrowser(url: string): void {
  const cmd =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`Open this address in a browser: ${url}`));
    child.unref();
  } catch {
    console.log(`Open this address in a browser: ${url}`);
  }
}

export async function serve(o: ServeOptions): Promise<number> {
  const dataDir = path.resolve(o.data ?? defaultDataDir());
  const contentDir = path.resolve(o.content ?? path.join(packageRoot(), 'content'));
  const log = fileLog(dataDir);
  // A running class is never ended by an exception nothing caught: it is logged, and the class goes on.
  installSafetyNet(log);
  const app = await createApp(
    { dataDir, contentDir, settings: fileSettings(dataDir), log },
    { port: o.port ?? 8080, consolePort: o.consolePort ?? 0 },
  ).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' && o.port === undefined) {
      // The usual port is taken (another Muster?): any free port will do.
      return createApp({ dataDir, contentDir, settings: fileSettings(dataDir), log }, { port: 0 });
    }
    throw e;
  });
  const urls = app.urls();
  if (o.json) {
    console.log(
      JSON.stringify({
        console: urls.console,
        projector: urls.projector,
        join: urls.join,
        roomCode: urls.roomCode || null,
      }),
    );
  } else {
    console.log(`Muster is running in browser mode. Data: ${dataDir}`);
    console.log(`  Console (this computer only): ${urls.console}`);
    console.log(`  Projector (this computer only): ${urls.projector}`);
    console.log(`  Trainees join at: ${urls.join}`);
    for (const p of app.contentProblems)
      console.log(`  content problem: ${p.file}:${p.line}: ${p.message}`);
    console.log('Press Ctrl+C to stop.');
  }
  if (o.open) openBrowser(urls.console);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.stop();
  return 0;
}
