import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TestApp extends MusterApp {
  dataDir: string;
  lanUrl: string;
  consoleBase: string;
  /** What the app logged (errors it caught, commits that failed). */
  logs: string[];
}

export interface TestAppOptions {
  dataDir?: string;
  contentDir?: string;
  heartbeatMs?: number;
  claimWindowMs?: number;
  socketsPerAddress?: number;
  /** Address the room's listener binds to (default 127.0.0.1). */
  lanHost?: string;
}

/** A real Muster: real server on free ports, real SQLite in a temp folder, the real content. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'muster-test-'));
  const logs: string[] = [];
  const app = await createApp(
    {
      dataDir,
      contentDir: opts.contentDir ?? path.join(ROOT, 'content'),
      settings: memorySettings(),
      log: (m, e) =>
        logs.push(e ? `${m}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` : m),
      heartbeatMs: opts.heartbeatMs,
      claimWindowMs: opts.claimWindowMs,
      socketsPerAddress: opts.socketsPerAddress,
    },
    { port: 0, lanHost: opts.lanHost ?? '127.0.0.1' },
  );
  app.classroom.joinHost = '127.0.0.1';
  return Object.assign(app, {
    dataDir,
    logs,
    lanUrl: `http://127.0.0.1:${app.lanPort}`,
    consoleBase: `http://127.0.0.1:${app.consolePort}`,
  });
}

/** Reads the records through a second, read-only connection: it sees only what was committed. */
export function readRecords(
  dataDir: string,
  sql: string,
  ...params: unknown[]
): Record<string, unknown>[] {
  const db = new Database(path.join(dataDir, 'muster.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
