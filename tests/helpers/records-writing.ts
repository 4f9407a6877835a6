// Files of records for the write path's tests: temporary files, every row of one, and a batch
// written on the writer thread once it is up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';

/** Fresh records file paths, each in a directory of its own; `cleanup` removes them all. */
export function recordsFiles(): { file: () => string; cleanup: () => void } {
  const dirs: string[] = [];
  return {
    file() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-writer-'));
      dirs.push(dir);
      return path.join(dir, 'muster.sqlite');
    },
    cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Every row of every table but the outbox's epoch, in insertion order. */
export function dump(f: string): Record<string, unknown[]> {
  const db = new Database(f, { readonly: true });
  const tables = (
    db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'replication' ORDER BY name`,
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  const out = Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]),
  );
  db.close();
  return out;
}

/** Writes `ops` on the thread, once it is up (the first call starts it and says it is starting). */
export async function writeOnThread(r: Records, ops: RecordOp[]): Promise<unknown> {
  for (let i = 0; i < 500; i++) {
    const done = new Promise<unknown>((resolve) => {
      const started = r.writeOffThread(ops, resolve);
      if (started === false) throw new Error('the writer thread cannot run');
      if (started === 'starting') resolve('not yet');
    });
    const result = await done;
    if (result !== 'not yet') return result;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('the writer thread did not start');
}
