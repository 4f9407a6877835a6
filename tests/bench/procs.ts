/**
 * Everything a benchmark starts — child processes, temporary folders, a browser — is registered
 * here and ended when the benchmark ends, however it ends: success, a thrown error, a timeout,
 * Ctrl-C or SIGTERM. A benchmark that fails must not leave a server or 5,000 sockets behind.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const closers = new Set<() => Promise<unknown>>();

/** Ends `child` with the benchmark (SIGTERM, then SIGKILL for one that does not go). */
export function track<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Removes `dir` with the benchmark. */
export function tempDir(dir: string): string {
  dirs.add(dir);
  return dir;
}

/** Runs `close` (a browser, a socket) with the benchmark; returns a function that runs it now. */
export function onEnd(close: () => Promise<unknown>): () => Promise<void> {
  closers.add(close);
  return async () => {
    closers.delete(close);
    await close().catch(() => undefined);
  };
}

/** Stops one child now and waits for it to be gone. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

let ending = false;
/** Ends everything still registered. Safe to call more than once. */
export async function cleanup(): Promise<void> {
  if (ending) return;
  ending = true;
  await Promise.all([...closers].map((c) => c().catch(() => undefined)));
  await Promise.all([...children].map((c) => stop(c)));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

/** Runs a benchmark's main: prints nothing extra on success, the error on failure; always cleans up. */
export function runMain(main: () => Promise<void>): void {
  const fail = (e: unknown) => {
    console.error(e);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('SIGINT', () => fail(new Error('interrupted')));
  process.once('SIGTERM', () => fail(new Error('terminated')));
  process.once('uncaughtException', fail);
  process.once('unhandledRejection', fail);
  main().then(() => cleanup().finally(() => process.exit(0)), fail);
}
