/**
 * The pusher: sends this console's outbox to the academy records server. It runs in a worker thread
 * (push-worker.ts) with its own READ-ONLY connection to the records file; everything that writes
 * the file (pruning, a new epoch) is asked of the main thread with an event.
 *
 * Each round: connect; ask the server for this console's high-water mark (`muster.my_cursor()`);
 * if the server holds changes this file has not marked as sent, check them by digest — the same
 * changes (a push cut after the server committed) are simply acknowledged, different ones (a
 * restored or copied laptop) make the main thread move the unsent changes to a new epoch above
 * them; then send what is above, in batches, one INSERT … ON CONFLICT DO NOTHING statement each, so
 * a replay or a resumed push inserts nothing twice. Between batches it stops while the class is
 * busy (a question, vote or test open). Failures back off (1 s doubling to a minute).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { outboxAfter, rangeDigest, replicationState, wireRow } from '../outbox';
import type { RecordsServerState } from '../../../shared/records-server';
import { errorCode, errorMessage } from '../../../shared/errors';

export interface PusherOptions {
  /** The records file (read-only here). */
  file: string;
  /** The enrolment URL (postgres://login:password@host/db). */
  url: string;
  batchSize?: number;
  /** How often to look for new changes when idle. */
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface PushProgress {
  state: RecordsServerState;
  waiting: number;
  lastSyncAt: number | null;
  error: string | null;
  retryInMs: number | null;
}

/** What the pusher asks of (or tells) the main thread. */
export type PusherEvent =
  | { t: 'status'; status: PushProgress }
  | { t: 'ack'; upTo: number }
  | { t: 'rebase'; serverHwm: number };

const INSERT = `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest)
  SELECT current_user, b.seq, $1, b.tbl, b.kind, b.row::jsonb, md5(b.tbl || b.kind || b.row)
  FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS b(seq, tbl, kind, row)
  ON CONFLICT DO NOTHING`;
// No conflict target: naming one would make PostgreSQL check a SELECT policy, and a console may read
// nothing. (console, seq) is the table's only unique key, so this is the same thing.

/** PostgreSQL's answer to a login it refuses: do not hammer it, say so. */
const REFUSED = new Set(['28P01', '28000', '42501', '3D000']);

export class Pusher {
  private db: Database.Database | null = null;
  private client: pg.Client | null = null;
  private busy = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private rebased: (() => void) | null = null;
  private lastSyncAt: number | null = null;
  private readonly o: Required<PusherOptions>;

  constructor(
    o: PusherOptions,
    private readonly emit: (e: PusherEvent) => void,
  ) {
    this.o = { batchSize: 1000, pollMs: 2000, backoffMs: 1000, maxBackoffMs: 60_000, ...o };
  }

  /** The class is busy (a question, vote or test open): no batch starts until it is not. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    if (!busy) this.poke();
  }

  /** Look now (new changes, the class is free again). */
  poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The main thread moved the unsent changes to a new epoch. */
  epochMoved(): void {
    const r = this.rebased;
    this.rebased = null;
    r?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    this.epochMoved();
    await this.disconnect();
    this.db?.close();
    this.db = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private status(state: RecordsServerState, extra: Partial<PushProgress> = {}): void {
    const waiting = this.db ? replicationState(this.db).waiting : 0;
    this.emit({
      t: 'status',
      status: {
        state,
        waiting,
        lastSyncAt: this.lastSyncAt,
        error: null,
        retryInMs: null,
        ...extra,
      },
    });
  }

  private async disconnect(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = new pg.Client({
      connectionString: this.o.url,
      connectionTimeoutMillis: 10_000,
      query_timeout: 60_000,
      keepAlive: true,
      application_name: 'muster-pusher',
    });
    // A connection that drops between queries must not crash the thread: the next query fails instead.
    c.on('error', () => {
      if (this.client === c) this.client = null;
    });
    await c.connect();
    this.client = c;
    return c;
  }

  /** Runs until stopped. */
  async run(): Promise<void> {
    let backoff = this.o.backoffMs;
    this.db = new Database(this.o.file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    this.status('starting');
    while (!this.stopped) {
      try {
        const done = await this.round();
        backoff = this.o.backoffMs;
        if (done) await this.sleep(this.o.pollMs);
      } catch (e) {
        await this.disconnect();
        if (this.stopped) break;
        const code = errorCode(e);
        const refused = code !== undefined && REFUSED.has(code);
        const wait = refused ? this.o.maxBackoffMs : backoff;
        this.status(refused ? 'refused' : 'unreachable', {
          error: describeError(e),
          retryInMs: wait,
        });
        await this.sleep(wait);
        backoff = Math.min(this.o.maxBackoffMs, backoff * 2);
      }
    }
  }

  /** One round; true when everything is sent (or the class is busy), so it may rest. */
  private async round(): Promise<boolean> {
    const db = this.db!;
    if (this.busy) {
      this.status(replicationState(db).waiting ? 'paused' : 'up-to-date');
      return true;
    }
    const client = await this.connect();
    const cursor = (
      await client.query<{ epoch: string | null; hwm: string | null }>(
        `SELECT epoch, hwm FROM muster.my_cursor()`,
      )
    ).rows[0];
    if (!cursor || cursor.hwm === null)
      throw Object.assign(
        new Error(
          'this console is not enrolled on the records server, or its enrolment was revoked',
        ),
        { code: '42501' },
      );
    const hwm = Number(cursor.hwm);
    // One read transaction: the main thread may prune meanwhile, and the digest must be of what `acked` says is left.
    const { local, mine } = db.transaction(() => {
      const state = replicationState(db);
      return { local: state, mine: hwm > state.acked ? rangeDigest(db, state.acked, hwm) : null };
    })();
    if (hwm > local.acked) {
      // The server holds changes this file has not marked as sent: the same ones, or another copy's?
      const theirs = (
        await client.query<{ changes: string; digest: string | null }>(
          `SELECT changes, digest FROM muster.my_digest($1, $2)`,
          [local.acked, hwm],
        )
      ).rows[0];
      if (mine !== null && Number(theirs.changes) === hwm - local.acked && mine === theirs.digest) {
        this.emit({ t: 'ack', upTo: hwm });
      } else {
        await new Promise<void>((resolve) => {
          this.rebased = resolve;
          this.emit({ t: 'rebase', serverHwm: hwm });
        });
        return false;
      }
    }
    let from = Math.max(hwm, local.acked);
    let epoch = local.epoch;
    let warning: string | null =
      hwm < local.acked
        ? `the records server lacks changes ${hwm + 1}–${local.acked} (was it restored from a backup?)`
        : null;
    for (;;) {
      if (this.stopped) return true;
      if (this.busy) {
        this.status('paused', { error: warning });
        return true;
      }
      const rows = outboxAfter(db, from, this.o.batchSize);
      if (!rows.length) break;
      this.status('sending', { error: warning });
      ({ epoch } = replicationState(db));
      await client.query(INSERT, [
        epoch,
        rows.map((r) => r.seq),
        rows.map((r) => r.tbl),
        rows.map((r) => r.kind),
        rows.map((r) => wireRow(r.row)),
      ]);
      from = rows[rows.length - 1].seq;
      this.emit({ t: 'ack', upTo: from });
      warning = null;
    }
    this.lastSyncAt = Date.now();
    this.status('up-to-date', { error: warning });
    return true;
  }
}

/** A failure in a few words: what the person at the console can act on. */
export function describeError(e: unknown): string {
  const code = errorCode(e);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host name (is this the academy network?)';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the server (is this the academy network?)';
    case 'ECONNRESET':
      return 'the connection was cut';
    case '28P01':
      return 'password refused (enrol this console again)';
    case '28000':
    case '42501':
      return code === '42501' ? errorMessage(e) : 'login refused (was this console revoked?)';
    case '3D000':
      return 'no such database on the server';
    default:
      return (errorMessage(e) || String(e)).split('\n')[0].slice(0, 200);
  }
}
