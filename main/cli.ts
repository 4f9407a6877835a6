/**
 * `muster` on the command line:
 *   muster serve [--port N] [--data DIR] [--content DIR] [--no-open] [--json]   browser mode
 *   muster check [DIR] [--json]                                                validate courses
 *   muster export [--data DIR]                                                  list sessions
 *   muster export --session ID [--sheet NAME --csv] [--out FILE]                session workbook (or one sheet as CSV)
 *   muster export --session ID --sign-in [--out FILE]                           the sign-in sheet (PDF)
 *   muster export --session ID --pdf [--out FILE]                               the class's results summary (PDF)
 *   muster export --from YYYY-MM-DD --to YYYY-MM-DD [--course ID] [--profile ID] [--pdf | --csv] [--out FILE]
 *                                                                               certification roster
 *   muster export --trainee OFFICER_ID [--out FILE]                             one trainee's training history
 *   muster export --weak-spots [--from …] [--to …] [--course ID] [--out FILE]   item analysis by topic and agency
 *   muster export --department-gaps [--from …] [--to …] [--course ID] [--out FILE]  the anonymous gap audit's totals
 *   muster export --lesson-plan COURSE [--content DIR] [--out FILE]              a course's lesson plan (PDF)
 *   muster records-server init|enrol|revoke|staff|serve …                      the academy records server (records-server/cli.ts)
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createApp, packageRoot } from './app';
import { fileLog, installSafetyNet } from './log';
import { fileSettings } from './settings';
import { defaultDataDir } from './data-dir';
import { RECORDS_SERVER_USAGE } from './records-server/usage';

export { defaultDataDir } from './data-dir';

const USAGE = `usage:
  muster serve [--port N] [--data DIR] [--content DIR] [--no-open] [--json]
  muster check [DIR] [--json]
  muster export [--data DIR]                                  list the sessions
  muster export --session ID [--sheet NAME --csv] [--out FILE] the session workbook, or one sheet as CSV
  muster export --session ID --sign-in [--out FILE]           the sign-in sheet (PDF)
  muster export --session ID --pdf [--out FILE]               the class's results summary (PDF)
  muster export --from YYYY-MM-DD --to YYYY-MM-DD [--course ID] [--profile ID] [--pdf | --csv] [--out FILE]
                                                              certification roster across sessions, laid out
                                                              by an export profile (workbook; PDF; CSV for upload)
  muster export --trainee OFFICER_ID [--out FILE]             one trainee's training history
  muster export --weak-spots [--from …] [--to …] [--course ID] [--out FILE]
  muster export --department-gaps [--from …] [--to …] [--course ID] [--out FILE]
  muster export --lesson-plan COURSE [--content DIR] [--out FILE]
                                                              a course's lesson plan and instructor guide (PDF)
${RECORDS_SERVER_USAGE.replace(/^usage:\n/, '')}`;

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`Open this address in a browser: ${url}`));
    child.unref();
  } catch {
    console.log(`Open this address in a browser: ${url}`);
  }
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'console-port': { type: 'string' },
      data: { type: 'string' },
      content: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`--port: not a port number: ${values.port}`);
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const contentDir = path.resolve(values.content ?? path.join(packageRoot(), 'content'));
  const log = fileLog(dataDir);
  // A running class is never ended by an exception nothing caught: it is logged, and the class goes on.
  installSafetyNet(log);
  const app = await createApp(
    { dataDir, contentDir, settings: fileSettings(dataDir), log },
    { port: port ?? 8080, consolePort: values['console-port'] ? Number(values['console-port']) : 0 },
  ).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' && port === undefined) {
      // The usual port is taken (another Muster?): any free port will do.
      return createApp({ dataDir, contentDir, settings: fileSettings(dataDir), log }, { port: 0 });
    }
    throw e;
  });
  const urls = app.urls();
  if (values.json) {
    console.log(JSON.stringify({ console: urls.console, projector: urls.projector, join: urls.join, roomCode: urls.roomCode || null }));
  } else {
    console.log(`Muster is running in browser mode. Data: ${dataDir}`);
    console.log(`  Console (this computer only): ${urls.console}`);
    console.log(`  Projector (this computer only): ${urls.projector}`);
    console.log(`  Trainees join at: ${urls.join}`);
    for (const p of app.contentProblems) console.log(`  content problem: ${p.file}:${p.line}: ${p.message}`);
    console.log('Press Ctrl+C to stop.');
  }
  if (!values['no-open']) openBrowser(urls.console);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve':
      return serve(rest);
    // The authors' and records staff's commands, and what they load (the course parser, the
    // workbook and PDF writers), are a module of their own: `muster serve` never loads them.
    case 'check':
      return (await import('./cli-commands')).check(rest);
    case 'export':
      return (await import('./cli-commands')).exportSession(rest);
    case 'records-server':
      return (await import('./records-server/cli')).recordsServer(rest, path.join(packageRoot(), 'out', 'renderer'));
    default:
      console.error(USAGE);
      return cmd === undefined || cmd === '--help' || cmd === 'help' ? 0 : 2;
  }
}
