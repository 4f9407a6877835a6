/** The built `muster` command (bin/muster.js → out/main/cli.mjs), run as a real child process. */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'muster.js');

export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.mjs')))
    throw new Error('run `npm run build` first (out/main/cli.mjs)');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without MUSTER_RECORDS_DATABASE, plus `env`. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { MUSTER_RECORDS_DATABASE: _, ...rest } = process.env;
  return { ...rest, ...env };
}

/**
 * Runs `muster …args` to its end; several may run at once. A command that should return and does
 * not (a --help that started a server) is killed after 30 s: its status is then null.
 */
export function muster(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', env: environment(env), timeout: 30_000 },
      (e, stdout, stderr) => {
        if (e && typeof e.code !== 'number' && !e.killed) reject(e);
        else resolve({ status: e ? (e.killed ? null : (e.code as number)) : 0, stdout, stderr });
      },
    );
  });
}

/** Starts `muster …args` (a server: it runs until stopped); its output is read by the caller. */
export function startMuster(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: environment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
