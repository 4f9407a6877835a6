/**
 * `muster records-server …`'s command line, for the academy's administrator: each subcommand's
 * options and help. What they do is in cli.ts beside this file, loaded (with pg) only when one runs,
 * so `muster --help` and `muster serve` never load it.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { helpHint, portNumber } from '../cli-usage';
import type { Runner } from '../cli-usage';
import type * as handlers from './cli';

/** What commander gives each subcommand's action: the options its handler in cli.ts takes. */
type Options<K extends keyof typeof handlers> = Parameters<(typeof handlers)[K]>[0];

// The URL may come from the environment instead: it keeps the password off the process list.
const database = () =>
  new Option(
    '--database <url>',
    'the records database, as an administrator who may create roles: postgres://admin@host/muster',
  )
    .env('MUSTER_RECORDS_DATABASE')
    .makeOptionMandatory();

const load = () => import('./cli');

export function defineRecordsServer(program: Command, run: Runner, staticDir: () => string): void {
  const rs = program
    .command('records-server')
    .description(
      "the academy's records server: every console's records in one PostgreSQL database, and the records office page",
    )
    .addHelpText(
      'after',
      '\nEach subcommand takes --database URL, or MUSTER_RECORDS_DATABASE from the environment.',
    );
  rs.showHelpAfterError(helpHint(rs));

  run(
    rs
      .command('init')
      .description('create or update the schema (run it again after every upgrade)')
      .addOption(database())
      .option(
        '--department <file>',
        "the academy's department profile (JSON: a console's settings.json `department`); every session is derived again",
      )
      .option(
        '--export-profiles <file>',
        "the roster layouts the records office offers (JSON: a console's settings.json `exportProfiles`)",
      ),
    async (o: Options<'init'>) => (await load()).init(o),
  );
  run(
    rs
      .command('enrol')
      .description("a console's login: prints the line to paste on that console (shown only now)")
      .addOption(database())
      .requiredOption('--room <name>', 'the classroom the console is in, e.g. "Room 3"')
      .option(
        '--public-url <url>',
        'the database address consoles reach (default: --database without its login)',
      ),
    async (o: Options<'enrol'>) => (await load()).enrol(o),
  );
  run(
    rs
      .command('revoke')
      .description("end a console's login (its records stay)")
      .addOption(database())
      .option('--room <name>', "the console's room, or its login")
      .addOption(new Option('--name <login>', 'the same as --room').hideHelp()),
    async (o: Options<'revoke'>) => (await load()).revoke(o),
  );
  run(
    rs
      .command('staff')
      .description('a read-only login: for the records office page, or a BI tool')
      .addOption(database())
      .requiredOption('--name <name>', 'who it is for, e.g. "Records office"')
      .option(
        '--public-url <url>',
        'the database address the BI tool reaches (default: --database without its login)',
      ),
    async (o: Options<'staff'>) => (await load()).staff(o),
  );
  run(
    rs
      .command('serve')
      .description(
        'the records office page, and the deriver that keeps its results up to date (until Ctrl+C)',
      )
      .addOption(database())
      .option('--port <n>', 'the port to listen on', portNumber, 8090)
      .option('--host <address>', 'the address to listen on (default: every interface)')
      .option('--secure-cookie', 'mark the sign-in cookie Secure (behind an HTTPS proxy)'),
    async (o: Options<'serve'>) => (await load()).serve(o, staticDir()),
  );
}
