/**
 * The `muster` command line as a user meets it, through the built bin/muster.js in child processes:
 * --version and --help on every command (exit 0, nothing started), usage errors (exit 2, the
 * option named, a pointer to the command's --help, no stack trace), and what each command loads:
 * --help nothing heavy, `muster serve` neither the authors' and records staff's commands nor pg.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, muster, requireBuild } from '../helpers/cli';
import type { Run } from '../helpers/cli';

beforeAll(requireBuild);

const version = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const DB = { MUSTER_RECORDS_DATABASE: 'postgres://admin@127.0.0.1:9/muster' };

/** A usage error: exit code 2, what is wrong on stderr with where to look, nothing on stdout, no stack. */
function expectUsageError(r: Run, message: RegExp, command: string): void {
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain(`\`${command} --help\``);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}

/** Help as one line: commander wraps it to the terminal's width. */
const flat = (r: Run) => r.stdout.replace(/\s+/g, ' ');

describe('muster --version and --help', () => {
  it("--version prints package.json's version", async () => {
    for (const r of await Promise.all([muster(['--version']), muster(['-V'])]))
      expect(r).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help (and no command at all, and `help`) lists every command', async () => {
    for (const r of await Promise.all([muster(['--help']), muster([]), muster(['help'])])) {
      expect(r.status).toBe(0);
      for (const cmd of ['serve', 'check', 'export', 'records-server'])
        expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
      expect(r.stdout).toContain('--version');
    }
  });

  it("each command's --help lists its options, and runs nothing", async () => {
    const [serve, exp, helpExport, check] = await Promise.all([
      muster(['serve', '--help']),
      muster(['export', '--help']),
      muster(['help', 'export']),
      muster(['check', '--help']),
    ]);
    expect(serve.status).toBe(0);
    for (const o of [
      '--port <n>',
      '--console-port <n>',
      '--data <dir>',
      '--content <dir>',
      '--no-open',
      '--json',
    ])
      expect(serve.stdout).toContain(o);

    expect(exp.status).toBe(0);
    for (const o of [
      '--data',
      '--session <id>',
      '--sheet <name>',
      '--sign-in',
      '--from <date>',
      '--to <date>',
      '--course',
      '--profile',
      '--pdf',
      '--csv',
      '--trainee',
      '--weak-spots',
      '--department-gaps',
      '--lesson-plan <course>',
      '--content',
      '--out <file>',
    ])
      expect(exp.stdout).toContain(o);
    expect(helpExport.stdout).toBe(exp.stdout);

    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/Usage: muster check \[options\] \[dir\]/);
    expect(check.stdout).toContain('--json');
  });

  it('records-server and each of its subcommands have their help', async () => {
    const options: Record<string, string[]> = {
      init: ['--department <file>', '--export-profiles <file>'],
      enrol: ['--room <name>', '--public-url <url>'],
      revoke: ['--room <name>'],
      staff: ['--name <name>', '--public-url <url>'],
      serve: ['--port <n>', '(default: 8090)', '--host <address>', '--secure-cookie'],
    };
    const [rs, ...subs] = await Promise.all([
      muster(['records-server', '--help']),
      ...Object.keys(options).map((sub) => muster(['records-server', sub, '--help'])),
    ]);
    expect(rs.status).toBe(0);
    for (const sub of Object.keys(options))
      expect(rs.stdout).toMatch(new RegExp(`^  ${sub}\\b`, 'm'));
    Object.entries(options).forEach(([sub, opts], i) => {
      expect(subs[i].status, sub).toBe(0);
      expect(subs[i].stdout).toContain(`Usage: muster records-server ${sub} [options]`);
      // The database may come from the environment, and the help says so.
      for (const o of ['--database <url>', '(env: MUSTER_RECORDS_DATABASE)', ...opts])
        expect(flat(subs[i])).toContain(o);
    });
  });
});

describe('a command line muster cannot run', () => {
  it('an unknown option: exit 2, the option named, the command pointed to', async () => {
    const [exp, serve, init, nearMiss] = await Promise.all([
      muster(['export', '--bogus']),
      muster(['serve', '--bogus']),
      muster(['records-server', 'init', '--bogus'], DB),
      muster(['export', '--pfd']),
    ]);
    expectUsageError(exp, /^muster: unknown option '--bogus'$/m, 'muster export');
    expectUsageError(serve, /unknown option '--bogus'/, 'muster serve');
    expectUsageError(init, /unknown option '--bogus'/, 'muster records-server init');
    expect(nearMiss.stderr).toContain('Did you mean --pdf?');
  });

  it('an unknown command, a stray argument, a bad value, a missing subcommand: exit 2', async () => {
    const [cmd, sub, stray, port, rsPort, bare] = await Promise.all([
      muster(['bogus']),
      muster(['records-server', 'bogus']),
      muster(['export', 'stray']),
      muster(['serve', '--port', '70000']),
      muster(['records-server', 'serve', '--port', 'x'], DB),
      muster(['records-server']),
    ]);
    expectUsageError(cmd, /unknown command 'bogus'/, 'muster');
    expectUsageError(sub, /unknown command 'bogus'/, 'muster records-server');
    expectUsageError(stray, /too many arguments/, 'muster export');
    expectUsageError(
      port,
      /'--port <n>' argument '70000' is invalid\. not a port number/,
      'muster serve',
    );
    expectUsageError(rsPort, /not a port number/, 'muster records-server serve');
    // Without a subcommand: records-server's own help, on stderr.
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/Usage: muster records-server/);
  });

  it('--database is required, and MUSTER_RECORDS_DATABASE stands in for it', async () => {
    const [none, env, revoke] = await Promise.all([
      muster(['records-server', 'enrol', '--room', 'Room 3']),
      muster(['records-server', 'enrol'], DB),
      muster(['records-server', 'revoke'], DB),
    ]);
    expectUsageError(
      none,
      /required option '--database <url>' not specified/,
      'muster records-server enrol',
    );
    // With the variable set, what is missing next is --room (nothing connects before that).
    expectUsageError(
      env,
      /required option '--room <name>' not specified/,
      'muster records-server enrol',
    );
    expectUsageError(
      revoke,
      /--room NAME \(or the login\) is required/,
      'muster records-server revoke',
    );
  });

  it('options a command cannot put together: exit 2, before any file is opened', async () => {
    const data = path.join(os.tmpdir(), `muster-cli-none-${process.pid}`);
    const [both, date, plan] = await Promise.all([
      muster(['export', '--data', data, '--from', '2026-01-01', '--csv', '--pdf']),
      muster(['export', '--data', data, '--from', '2026-1-1']),
      muster(['export', '--lesson-plan', 'human-trafficking', '--pdf']),
    ]);
    expectUsageError(both, /^muster: choose --csv or --pdf, not both$/m, 'muster export');
    expectUsageError(date, /--from: not a date \(YYYY-MM-DD\): "2026-1-1"/, 'muster export');
    expectUsageError(plan, /--lesson-plan goes with --content and --out only/, 'muster export');
    expect(fs.existsSync(data)).toBe(false);
  });

  it('a command that fails (not a usage error) exits 1 with its reason, no stack', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cli-'));
    try {
      const r = await muster(['export', '--data', data, '--session', 'nope']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^muster: no session nope in /);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

/** The npm packages a built module loads when it is imported: its static imports, followed through out/main. */
function packagesLoadedBy(file: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const src = fs.readFileSync(path.join(ROOT, 'out', 'main', name), 'utf8');
    for (const m of src.matchAll(
      /^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm,
    )) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('./')) walk(spec.slice(2));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  walk(file);
  return [...packages].sort();
}

describe('what each command loads', () => {
  /** The chunk cli.mjs loads on demand for a command (esbuild names it after its source file). */
  const chunk = (name: string) => {
    const cli = fs.readFileSync(path.join(ROOT, 'out', 'main', 'cli.mjs'), 'utf8');
    const found = [...cli.matchAll(/import\("\.\/([^"]+)"\)/g)]
      .map((m) => m[1])
      .filter((f) => f.startsWith(`chunk-${name}-`));
    expect(found.length, name).toBeGreaterThan(0);
    return found[0];
  };

  it('--help and --version load nothing from node_modules (commander is in the bundle)', () => {
    expect(packagesLoadedBy('cli.mjs')).toEqual([]);
  });

  it('`muster serve` loads neither the course parser, the records exports nor pg', () => {
    const serve = packagesLoadedBy(chunk('cli-serve'));
    // What it loads at start is in the bundle (scripts/build.mjs), but for native better-sqlite3.
    expect(serve).toEqual(['better-sqlite3']);
    for (const heavy of ['pg', 'markdown-it', 'yaml', 'xlsx', 'pdfmake'])
      expect(serve).not.toContain(heavy);
    // The authors' and records staff's commands do load the parser (so the check above can fail).
    expect(packagesLoadedBy(chunk('cli-commands'))).toEqual(
      expect.arrayContaining(['markdown-it', 'yaml']),
    );
  });

  it("the CLI's sources stay under 400 lines each", () => {
    const sources = [
      'main/cli.ts',
      'main/cli-usage.ts',
      'main/cli-serve.ts',
      'main/cli-commands.ts',
      'main/package-root.ts',
      'main/records-server/cli.ts',
      'main/records-server/usage.ts',
      'bin/muster.js',
      'tests/helpers/cli.ts',
    ];
    const long = sources
      .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
