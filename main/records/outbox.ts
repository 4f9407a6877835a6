/**
 * The change log of a classroom console (the outbox) for the academy records server.
 *
 * Every insert, update and delete on a replicated record table writes one outbox row from an
 * SQLite trigger, in the same transaction as the change itself, so the records and their change
 * log can never disagree (a failed commit leaves neither). Each row carries the whole row after
 * the change (or, for a delete, its key) as JSON: applying the latest change of a row gives the
 * row. The pusher (records/push/) sends rows above the server's high-water mark and the main
 * thread prunes what the server acknowledged.
 *
 * The `replication` row holds the database epoch: a random id made when the outbox was created and
 * made anew when the pusher finds that the server holds changes this file does not (a laptop
 * restored from a backup, or copied): its unsent changes are then renumbered above everything the
 * server has, so no sequence number is ever reused unnoticed.
 *
 * Which tables are replicated, and how to add one, is in replicated.ts.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { REPLICATED } from './replicated';
import type { ReplicatedTable } from './replicated';

/**
 * The migration (migrations.ts appends it to its list): the outbox, and the replication row with a fresh
 * epoch. `seeded = 0` makes {@link installOutbox} copy the records already there into the outbox
 * once, so a console that had classes before the outbox existed sends them too.
 */
export const OUTBOX_MIGRATION = `
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('I','U','D')),
    row TEXT NOT NULL
  );
  CREATE TABLE replication (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    -- Everything up to here is on the records server (and pruned from the outbox).
    acked INTEGER NOT NULL DEFAULT 0,
    seeded INTEGER NOT NULL DEFAULT 0,
    -- The records server login these changes went to; another one gets everything again.
    login TEXT
  );
  INSERT INTO replication (id, epoch) VALUES (1, lower(hex(randomblob(16))));
`;

const jsonOf = (t: ReplicatedTable, alias: 'NEW' | 'OLD', cols: string[]) =>
  `json_object(${cols.map((c) => `'${c}', ${alias}.${c}`).join(', ')})`;

/** The three triggers of a table, as SQL (also what sqlite_master keeps, to see whether they changed). */
export function triggerSql(t: ReplicatedTable): { name: string; sql: string }[] {
  const all = Object.keys(t.columns);
  return [
    {
      name: `outbox_${t.name}_i`,
      sql: `CREATE TRIGGER outbox_${t.name}_i AFTER INSERT ON ${t.name} BEGIN INSERT INTO outbox (tbl, kind, row) VALUES ('${t.name}', 'I', ${jsonOf(t, 'NEW', all)}); END`,
    },
    {
      name: `outbox_${t.name}_u`,
      sql: `CREATE TRIGGER outbox_${t.name}_u AFTER UPDATE ON ${t.name} BEGIN INSERT INTO outbox (tbl, kind, row) VALUES ('${t.name}', 'U', ${jsonOf(t, 'NEW', all)}); END`,
    },
    {
      name: `outbox_${t.name}_d`,
      sql: `CREATE TRIGGER outbox_${t.name}_d AFTER DELETE ON ${t.name} BEGIN INSERT INTO outbox (tbl, kind, row) VALUES ('${t.name}', 'D', ${jsonOf(t, 'OLD', t.key)}); END`,
    },
  ];
}

/**
 * Makes the triggers match {@link REPLICATED} (rebuilt only when they differ) and, the first time,
 * copies the records already there into the outbox. One transaction: all of it or none.
 */
export function installOutbox(db: Database.Database): void {
  const existing = new Map(
    (
      db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'`,
        )
        .all() as { name: string; sql: string }[]
    ).map((r) => [r.name, r.sql]),
  );
  const wanted = REPLICATED.flatMap(triggerSql);
  const seeded = db.prepare(`SELECT seeded FROM replication`).pluck().get() === 1;
  if (
    seeded &&
    wanted.length === existing.size &&
    wanted.every((w) => existing.get(w.name) === w.sql)
  )
    return;
  db.transaction(() => {
    for (const name of existing.keys()) db.exec(`DROP TRIGGER ${name}`);
    for (const w of wanted) db.exec(w.sql);
    if (!seeded) {
      seedOutbox(db);
      db.exec(`UPDATE replication SET seeded = 1`);
    }
  })();
}

/** Every row of every replicated table as an insert, in table order. */
function seedOutbox(db: Database.Database): void {
  for (const t of REPLICATED) {
    const cols = Object.keys(t.columns);
    db.exec(
      `INSERT INTO outbox (tbl, kind, row) SELECT '${t.name}', 'I', json_object(${cols.map((c) => `'${c}', ${c}`).join(', ')}) FROM ${t.name} ORDER BY rowid`,
    );
  }
}

export interface OutboxRow {
  seq: number;
  tbl: string;
  kind: 'I' | 'U' | 'D';
  row: string;
}

export interface ReplicationState {
  epoch: string;
  acked: number;
  login: string | null;
  /** The last change written (0: none yet). */
  last: number;
  /** Changes not yet on the records server. */
  waiting: number;
}

export function replicationState(db: Database.Database): ReplicationState {
  const r = db.prepare(`SELECT epoch, acked, login FROM replication`).get() as {
    epoch: string;
    acked: number;
    login: string | null;
  };
  const last =
    (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).pluck().get() as
      number | undefined) ?? 0;
  const waiting = db
    .prepare(`SELECT COUNT(*) FROM outbox WHERE seq > ?`)
    .pluck()
    .get(r.acked) as number;
  return { ...r, last: Math.max(last, r.acked), waiting };
}

/** The changes after `after`, oldest first. */
export function outboxAfter(db: Database.Database, after: number, limit: number): OutboxRow[] {
  return db
    .prepare(`SELECT seq, tbl, kind, row FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`)
    .all(after, limit) as OutboxRow[];
}

/**
 * A change's JSON as sent: PostgreSQL's jsonb cannot hold the character U+0000, which a phone could
 * have typed, so it travels as U+FFFD (an escaped backslash before "u0000" is left alone).
 */
export function wireRow(row: string): string {
  return row.includes('\\u0000') ? row.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : row;
}

/** What one change weighs in a digest: the records server computes the same from what it received. */
export function changeDigest(r: Pick<OutboxRow, 'tbl' | 'kind' | 'row'>): string {
  return crypto
    .createHash('md5')
    .update(r.tbl + r.kind + wireRow(r.row))
    .digest('hex');
}

/** The digest of the changes in (`after`, `upTo`] here, or null when this file lacks some of them. */
export function rangeDigest(db: Database.Database, after: number, upTo: number): string | null {
  const rows = db
    .prepare(`SELECT seq, tbl, kind, row FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq`)
    .all(after, upTo) as OutboxRow[];
  if (rows.length !== upTo - after || rows.some((r, i) => r.seq !== after + 1 + i)) return null;
  return crypto.createHash('md5').update(rows.map(changeDigest).join('')).digest('hex');
}

/**
 * The records server has everything up to `upTo`: remembered, and those changes leave the outbox
 * (at most `limit` rows at a time, so the main thread never holds the write lock for long).
 * Returns how many are left to prune.
 */
export function acknowledge(db: Database.Database, upTo: number, limit = 5000): number {
  return db.transaction(() => {
    db.prepare(`UPDATE replication SET acked = MAX(acked, ?)`).run(upTo);
    const seqs = db
      .prepare(`SELECT seq FROM outbox WHERE seq <= ? ORDER BY seq LIMIT ?`)
      .pluck()
      .all(upTo, limit + 1) as number[];
    if (!seqs.length) return 0;
    const last = seqs[Math.min(limit, seqs.length) - 1];
    db.prepare(`DELETE FROM outbox WHERE seq <= ?`).run(last);
    return seqs.length > limit ? 1 : 0;
  })();
}

/**
 * A new epoch: the server holds changes this file does not have (it was restored from a backup or
 * copied), so the unsent changes move above both the server's high-water mark and anything used
 * here, keeping their order. Returns the new epoch and the first new sequence number.
 */
export function newEpoch(
  db: Database.Database,
  serverHwm: number,
): { epoch: string; from: number } {
  return db.transaction(() => {
    const s = replicationState(db);
    const base = Math.max(serverHwm, s.last);
    const epoch = crypto.randomBytes(16).toString('hex');
    // Every new number is above every old one, so no row ever collides while they move.
    db.prepare(`UPDATE outbox SET seq = seq - ? + ? WHERE seq > ?`).run(s.acked, base, s.acked);
    db.prepare(`UPDATE replication SET epoch = ?, acked = ?`).run(epoch, base);
    db.prepare(
      `INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES ('outbox', MAX(?, (SELECT IFNULL(MAX(seq), 0) FROM outbox)))`,
    ).run(base);
    return { epoch, from: base + 1 };
  })();
}

/**
 * The console now sends to another records server login (a new enrolment): everything it holds
 * goes again, numbered from 1, in a new epoch. The first login keeps what the migration seeded.
 */
export function resendAllTo(db: Database.Database, login: string): void {
  db.transaction(() => {
    const r = db.prepare(`SELECT login FROM replication`).pluck().get() as string | null;
    if (r === login) return;
    if (r !== null) {
      db.exec(`DELETE FROM outbox; DELETE FROM sqlite_sequence WHERE name = 'outbox'`);
      seedOutbox(db);
    }
    db.prepare(`UPDATE replication SET login = ?, epoch = ?, acked = 0`).run(
      login,
      crypto.randomBytes(16).toString('hex'),
    );
  })();
}
