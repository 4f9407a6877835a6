/**
 * What every command of the CLI shares, light enough for `muster --help` to load: the usage
 * error (a MusterError `usage`: a command asked for something it cannot do; exit code 2, with a pointer to its --help)
 * and the argument parsers commander calls.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { MusterError } from '../shared/errors';

/** Options that do not go together, or a value that is not what the option takes: exit code 2. */
export const usageError = (message: string): MusterError<'usage'> =>
  new MusterError('usage', message);

/** `muster export`, `muster records-server init`: the command's name as typed. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export const helpHint = (cmd: Command): string =>
  `(\`${commandPath(cmd)} --help\` lists its options)`;

/**
 * How main/cli.ts runs a command: `action` gets the options commander parsed (typed by the action
 * that takes them) and the command's arguments, loads what it needs, and returns the exit code.
 */
export type Runner = <O>(
  cmd: Command,
  action: (options: O, args: string[]) => Promise<number>,
) => Command;

/** For commander's argParser: a TCP port, 0 for any free one. */
export function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError('not a port number (0–65535).');
  return port;
}
