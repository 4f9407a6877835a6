/**
 * `muster` on the command line:
 *   muster serve [--port N] [--data DIR] [--content DIR] [--no-open] [--json]   browser mode
 *   muster check [DIR] [--json]                                                validate courses
 *   muster export --session ID [--data DIR] [--out FILE]                        session workbook
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createApp, packageRoot } from './app';
import { loadContent, summarize } from './content/load';
import { Records } from './records/db';
import { sessionWorkbookBuffer } from './records/export';
import { fileSettings } from './settings';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Muster');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Muster');
  return path.join(process.env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Muster');
}

const USAGE = `usage:
  muster serve [--port N] [--data DIR] [--content DIR] [--no-open] [--json]
  muster check [DIR] [--json]
  muster export --session ID [--data DIR] [--out FILE]`;

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
  const app = await createApp(
    { dataDir, contentDir, settings: fileSettings(dataDir) },
    { port: port ?? 8080, consolePort: values['console-port'] ? Number(values['console-port']) : 0 },
  ).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' && port === undefined) {
      // The usual port is taken (another Muster?): any free port will do.
      return createApp({ dataDir, contentDir, settings: fileSettings(dataDir) }, { port: 0 });
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

function check(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const dir = path.resolve(positionals[0] ?? path.join(packageRoot(), 'content'));
  const { courses, problems } = loadContent(dir);
  const summaries = courses.map(summarize);
  if (values.json) {
    console.log(JSON.stringify({ courses: summaries, problems }, null, 2));
  } else {
    for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
    for (const s of summaries) {
      const qs = Object.entries(s.questions).map(([t, n]) => `${n} ${t}`).join(', ') || 'none';
      console.log(`${s.id}: ${s.modules} modules, ${s.slides} slides, questions: ${qs}; ${s.scenarios} scenarios; ${s.plannedMinutes} planned minutes`);
    }
    console.log(problems.length ? `${problems.length} problem(s)` : 'no problems');
  }
  return problems.length || courses.length === 0 ? 1 : 0;
}

function exportSession(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { session: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' } } });
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const records = new Records(path.join(dataDir, 'muster.sqlite'));
  try {
    if (!values.session) {
      for (const s of records.sessions()) console.log(`${s.id}  ${new Date(s.started_at).toISOString()}  ${s.course_title} — ${s.title}`);
      return 0;
    }
    const row = records.session(values.session);
    if (!row) throw new Error(`no session ${values.session} in ${dataDir}`);
    const out = path.resolve(values.out ?? `muster-${row.id.slice(0, 8)}.xlsx`);
    fs.writeFileSync(out, sessionWorkbookBuffer(records, row.id));
    console.log(out);
    return 0;
  } finally {
    records.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve':
      return serve(rest);
    case 'check':
      return check(rest);
    case 'export':
      return exportSession(rest);
    default:
      console.error(USAGE);
      return cmd === undefined || cmd === '--help' || cmd === 'help' ? 0 : 2;
  }
}
