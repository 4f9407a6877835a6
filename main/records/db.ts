/**
 * The training records: SQLite through better-sqlite3, WAL with synchronous=FULL so a committed
 * answer survives a power cut. The engine's record operations are written here in one transaction
 * per batch (group commit); only then are the phones acknowledged.
 *
 * This class is the one door to the file; behind it, by concern: the schema as its migrations
 * (migrations.ts), the write path of the operations (write.ts), and the read-back a restarted
 * class continues from (snapshot.ts). The exports read `db` directly (records/export/). The
 * commit queue's batches are written by a thread of their own when they can (writer.ts), so an
 * fsync never blocks the event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RecordOp, RosterEntry } from '../session/ops';
import type { Snapshot } from '../session/state';
import type { RosterSummary } from '../../shared/roster';
import type { Deck } from '../../shared/course';
import { installOutbox } from './outbox';
import { migrate } from './migrations';
import { qaItems, readSnapshot, rosterEntries } from './snapshot';
import { planWrite, recordWriter } from './write';
import { OffThreadWriter } from './writer';
import type { WriteError } from './writer';

/** How long a write waits for a lock held by another program before it is refused. */
const BUSY_TIMEOUT_MS = 5000;

export interface SessionRow {
  id: string;
  room_code: string;
  course: string;
  course_title: string;
  deck_file: string;
  title: string;
  started_at: number;
  ended_at: number | null;
  slide_index: number;
  course_number: string | null;
  credit_hours: number | null;
  pass_mark: number | null;
  instructors: string | null;
  location: string | null;
  /** When the class last moved to a slide or a module (null in sessions recorded before it was kept). */
  slide_at?: number | null;
}

export class Records {
  readonly db: Database.Database;
  private readonly applyBatch: (ops: RecordOp[]) => void;
  private readonly rosterSummaryStmt: Database.Statement;
  private readonly writer: OffThreadWriter | null;

  constructor(file: string, log?: (message: string, error?: unknown) => void) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is fsync'd before we acknowledge it; NORMAL could roll back after a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (process.platform === 'darwin') this.db.pragma('fullfsync = ON');
    migrate(this.db);
    installOutbox(this.db);
    this.rosterSummaryStmt = this.db.prepare(
      `SELECT roster_name AS name, COUNT(*) AS entries, MAX(imported_at) AS importedAt FROM roster_entries WHERE session_id IS ? GROUP BY roster_name ORDER BY importedAt DESC LIMIT 1`,
    );
    this.applyBatch = recordWriter(this.db, (sessionId) => this.rosterSummary(sessionId));
    this.writer = file === ':memory:' ? null : new OffThreadWriter(file, BUSY_TIMEOUT_MS, log);
  }

  /**
   * Starts writing a batch on the writer thread (writer.ts): one fsync'd transaction, as
   * {@link apply}, without blocking the event loop; `done` runs here once it is stored (null) or
   * refused (nothing stored). False when it cannot (an operation must read the file as it is
   * written, or the thread cannot run): the caller then uses {@link apply}. `'starting'` when the
   * thread is on its way up: nothing was taken.
   */
  writeOffThread(ops: RecordOp[], done: (error: WriteError | null) => void): boolean | 'starting' {
    const steps = this.writer ? planWrite(ops) : null;
    return steps !== null && this.writer!.write(steps, done);
  }

  /** Starts the writer thread if it is not up yet: a class started or resumed. */
  prepareWriter(): void {
    this.writer?.start();
  }

  /** Whether the writer thread is up (a write goes to it at once). */
  get writerUp(): boolean {
    return this.writer?.up ?? false;
  }

  /** Blocks until the batch being written on the writer thread (if any) is stored or refused. */
  waitOffThread(): void {
    this.writer?.wait();
  }

  /** Ends the batch being written on the writer thread if it is already stored or refused; never blocks. */
  pollOffThread(): void {
    this.writer?.poll();
  }

  /** How long a write waits for a lock another program holds (both connections). */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${ms}`);
    this.writer?.setBusyTimeout(ms);
  }

  /** Writes a batch in one fsync'd transaction: all of it is stored, or none of it. */
  apply(ops: RecordOp[]): void {
    if (ops.length) this.applyBatch(ops);
  }

  /** The session that was running when the app stopped, if any, so the class resumes where it was. */
  unfinishedSession(): SessionRow | undefined {
    return this.db
      .prepare(`SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`)
      .get() as SessionRow | undefined;
  }

  sessions(): SessionRow[] {
    return this.db.prepare(`SELECT * FROM sessions ORDER BY started_at DESC`).all() as SessionRow[];
  }

  session(id: string): SessionRow | undefined {
    return this.db.prepare(`SELECT * FROM sessions WHERE id = ?`).get(id) as SessionRow | undefined;
  }

  /** Reads back what the engine needs to continue a session. The deck comes from the content. */
  snapshot(row: SessionRow, deck: Deck): Snapshot {
    return readSnapshot(this.db, row, deck);
  }

  /** The Q&A board of a session, with who voted (never who asked an anonymous question). */
  qaItems(sessionId: string): Snapshot['qa'] {
    return qaItems(this.db, sessionId);
  }

  /** The roster of a session, or (null) the one the next session adopts. */
  rosterEntries(sessionId: string | null): RosterEntry[] {
    return rosterEntries(this.db, sessionId);
  }

  /** The roster a session has (null: the one waiting for the next session): its name, size and when it was imported. */
  rosterSummary(sessionId: string | null): RosterSummary | null {
    return (this.rosterSummaryStmt.get(sessionId) as RosterSummary | undefined) ?? null;
  }

  close(): void {
    this.writer?.close();
    this.db.close();
  }
}
