/**
 * `muster` on the command line: `muster --help` lists the commands, `muster <command> --help` each
 * one's options (commander writes both from the definitions below).
 *
 * This module defines the commands and loads nothing heavy: each action imports what it needs when
 * it runs, so `--help` loads no server, and `muster serve` (cli-serve.ts) never loads the authors'
 * and records staff's commands (cli-commands.ts: the course parser, the workbook and PDF writers)
 * nor the records server's (records-server/cli.ts: pg).
 *
 * `main` returns the exit code: 0, 1 for a command that found problems (`check`), 2 for a command
 * line commander rejects (after printing the error and where to find the usage). A command that
 * fails throws; a MusterError `usage` (options that do not go together) means exit code 2 (bin/muster.js).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from './package-root';
import { helpHint, portNumber } from './cli-usage';
import { isMusterError } from '../shared/errors';
import type { Runner } from './cli-usage';
import { defineRecordsServer } from './records-server/usage';
import type { ServeOptions } from './cli-serve';
import type { ExportOptions } from './cli-commands';

export { defaultDataDir } from './data-dir';
/** bin/muster.js: a usage error exits with 2 (and prints its hint). */
export const isUsageError = (e: unknown) => isMusterError(e, 'usage');

const EXPORT_MODES = `
What it writes (to --out FILE, or a file named after it in this folder):
  (no options)                     list the sessions
  --session ID                     the session's workbook; --sheet NAME --csv: one sheet as CSV;
                                   --sign-in: the sign-in sheet (PDF); --pdf: the results summary (PDF)
  --from DATE --to DATE            the certification roster across sessions, laid out by an export
                                   profile (--profile: post-roster, tcole, fl-cjstc or your own);
                                   a workbook, or --pdf, or --csv for upload
  --trainee OFFICER_ID             one trainee's training history
  --weak-spots                     item analysis by topic and agency (within --from/--to, --course)
  --department-gaps                the anonymous department gap audit's totals (likewise)
  --lesson-plan COURSE             a course's lesson plan and instructor guide (PDF)
Dates are YYYY-MM-DD.`;

function version(): string {
  return (
    JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

/** The whole command line, defined afresh for each run (commander keeps the parsed values). */
function program(setCode: (code: number) => void): Command {
  const run: Runner = (cmd, action) => {
    // A command that asks for something impossible is pointed to its own --help, like commander's errors.
    cmd.showHelpAfterError(helpHint(cmd));
    return cmd.action(async () => {
      try {
        // commander's values are untyped: the action's parameter declares what its options give.
        setCode(await action(cmd.opts() as never, cmd.args));
      } catch (e) {
        if (isMusterError(e, 'usage')) e.hint ??= helpHint(cmd);
        throw e;
      }
    });
  };
  const muster = new Command('muster')
    .description(
      'Muster, the classroom console for instructor-led training: browser mode, course checks and records exports (`npm start` opens the desktop app).',
    )
    .version(version(), '-V, --version', "print Muster's version")
    .exitOverride()
    // One voice for every error, commander's and the commands' own (bin/muster.js): `muster: …`.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'muster: ')) })
    .showHelpAfterError('(`muster --help` lists the commands)');

  run(
    muster
      .command('serve')
      .description(
        'browser mode: the classroom server, with the console opened in a browser (until Ctrl+C)',
      )
      .option(
        '--port <n>',
        'the port trainees join on (default: 8080, or any free one if it is taken)',
        portNumber,
      )
      .option(
        '--console-port <n>',
        "the console's and projector's own port, on this computer only (default: any free one)",
        portNumber,
      )
      .option(
        '--data <dir>',
        'the data folder: records, settings, imported courses (default: the per-user folder)',
      )
      .option('--content <dir>', 'the courses folder (default: the courses shipped with Muster)')
      .option('--no-open', 'do not open the console in a browser')
      .option(
        '--json',
        'print the addresses as one line of JSON once ready {console, projector, join, roomCode}',
      ),
    async (o: ServeOptions) => (await import('./cli-serve')).serve(o),
  );
  run(
    muster
      .command('check')
      .description('validate courses: every problem as file:line: message (exit code 1 if any)')
      .argument('[dir]', 'a courses folder, or one course (default: the shipped courses)')
      .option('--json', 'print the courses and problems as JSON'),
    async (o: { json?: boolean }, [dir]) => (await import('./cli-commands')).check(dir, o),
  );
  run(
    muster
      .command('export')
      .description(
        'records for the records office: session workbooks, sign-in sheets, rosters, histories, lesson plans',
      )
      .option('--data <dir>', 'the data folder to read (default: the per-user folder)')
      .option('--session <id>', 'one session (IDs from `muster export`): its workbook')
      .option(
        '--sheet <name>',
        'with --session and --csv: one sheet (Summary, Attendance, Scores, Responses, …)',
      )
      .option('--sign-in', "with --session: the session's sign-in sheet (PDF)")
      .option('--from <date>', 'the first day (YYYY-MM-DD): a roster, or the range of a report')
      .option('--to <date>', 'the last day (YYYY-MM-DD)')
      .option('--course <id>', 'only this course (its id or course number)')
      .option('--profile <id>', 'with --from/--to: the export profile that lays out the roster')
      .option('--pdf', 'as PDF (the results summary with --session; the roster with --from/--to)')
      .option('--csv', 'as CSV (one sheet with --session --sheet; the roster with --from/--to)')
      .option('--trainee <officer-id>', "one trainee's training history")
      .option('--weak-spots', 'item analysis by topic and agency')
      .option('--department-gaps', "the anonymous department gap audit's totals")
      .option('--lesson-plan <course>', "a course's lesson plan (PDF): its id, or a course folder")
      .option(
        '--content <dir>',
        'with --lesson-plan: the courses folder (default: the shipped courses)',
      )
      .option('--out <file>', 'where to write it (default: a file named after it in this folder)')
      .addHelpText('after', EXPORT_MODES),
    async (o: ExportOptions) => (await import('./cli-commands')).exportSession(o),
  );
  defineRecordsServer(muster, run, () => path.join(packageRoot(), 'out', 'renderer'));
  return muster;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const muster = program((c) => (code = c));
  if (argv.length === 0) {
    muster.outputHelp();
    return 0;
  }
  try {
    await muster.parseAsync(argv, { from: 'user' });
  } catch (e) {
    // --help and --version end here too, with exit code 0; commander has printed what was wrong.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
