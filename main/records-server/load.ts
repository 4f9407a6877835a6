/**
 * A session read back from the records database into an in-memory copy of the console's own
 * SQLite schema, so that the console's code — scoring, credit, the workbook and CSV exports —
 * runs on it unchanged: the records server never re-implements a rule in SQL.
 *
 * With the session come, when it gave a post-test, the earlier pre-tests of the same course that
 * its officers took in any room (the knowledge gain looks them up by officer ID).
 */
import type pg from 'pg';
import { Records } from '../records/db';
import { REPLICATED } from '../records/replicated';
import type { ReplicatedTable } from '../records/replicated';
import { PARTITIONED } from './schema';

const DAY = 86_400_000;
const table = (name: string) => REPLICATED.find((t) => t.name === name)!;
const cols = (t: ReplicatedTable) => Object.keys(t.columns);
const list = (t: ReplicatedTable, alias = '') =>
  cols(t)
    .map((c) => `${alias}"${c}"`)
    .join(', ');

/** An empty in-memory records database: the console's schema, no outbox triggers, no foreign keys (rows come in any order). */
export function memoryRecords(): Records {
  const records = new Records(':memory:');
  const triggers = records.db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox_%'`)
    .pluck()
    .all() as string[];
  for (const t of triggers) records.db.exec(`DROP TRIGGER ${t}`);
  records.db.pragma('foreign_keys = OFF');
  return records;
}

function insertRows(records: Records, t: ReplicatedTable, rows: Record<string, unknown>[]): void {
  if (!rows.length) return;
  const names = cols(t);
  // A session id copied onto two laptops (a cloned disk) is two rows on the server: the first wins here.
  const stmt = records.db.prepare(
    `INSERT OR IGNORE INTO ${t.name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
  );
  const numeric = names.map((c) => t.columns[c] !== 'text');
  records.db.transaction(() => {
    for (const r of rows)
      stmt.run(names.map((c, i) => (numeric[i] && r[c] !== null ? Number(r[c]) : r[c])));
  })();
}

/** The rows of `t` for a session (the partitioned tables from the session's start on, so old months are skipped). */
async function sessionRows(
  client: pg.ClientBase,
  t: ReplicatedTable,
  consoleLogin: string,
  sessionId: string,
  startedAt: number,
): Promise<Record<string, unknown>[]> {
  const part = PARTITIONED[t.name];
  const sql = `SELECT ${list(t)} FROM muster.${t.name} WHERE console = $1 AND "${t.session}" = $2${part ? ` AND "${part}" >= $3` : ''}`;
  return (
    await client.query(
      sql,
      part ? [consoleLogin, sessionId, startedAt - DAY] : [consoleLogin, sessionId],
    )
  ).rows;
}

export interface LoadedSession {
  records: Records;
  console: string;
  room: string;
  sessionId: string;
  course: string;
}

/**
 * Copies one session (all its rows, every table) into `into` (or a new in-memory database); null
 * when the server has no such session. `pretests`: also the earlier pre-tests its officers took.
 */
export async function loadSession(
  client: pg.ClientBase,
  consoleLogin: string,
  sessionId: string,
  o: { pretests?: boolean; into?: Records } = {},
): Promise<LoadedSession | null> {
  const s = table('sessions');
  const row = (
    await client.query(
      `SELECT ${list(s, 'x.')}, c.room FROM muster.sessions x JOIN muster.consoles c ON c.login = x.console WHERE x.console = $1 AND x.id = $2`,
      [consoleLogin, sessionId],
    )
  ).rows[0] as (Record<string, unknown> & { room: string; started_at: string }) | undefined;
  if (!row) return null;
  const records = o.into ?? memoryRecords();
  const startedAt = Number(row.started_at);
  insertRows(records, s, [row]);
  for (const t of REPLICATED) {
    if (t.name === 'sessions' || !t.session) continue;
    insertRows(records, t, await sessionRows(client, t, consoleLogin, sessionId, startedAt));
  }
  const votes = table('qa_votes');
  insertRows(
    records,
    votes,
    (
      await client.query(
        `SELECT ${list(votes, 'v.')} FROM muster.qa_votes v JOIN muster.qa_questions q ON q.console = v.console AND q.id = v.question_id WHERE q.console = $1 AND q.session_id = $2`,
        [consoleLogin, sessionId],
      )
    ).rows,
  );
  const loaded = {
    records,
    console: consoleLogin,
    room: row.room,
    sessionId,
    course: String(row.course),
  };
  if (o.pretests) await loadEarlierPretests(client, loaded);
  return loaded;
}

/**
 * The pre-tests of `course` opened before this session's latest post-test, in any room, in classes
 * that had one of this session's officers: their sessions' rows, trainees, and the pre-test's
 * questions, answers and submissions.
 */
export async function loadEarlierPretests(
  client: pg.ClientBase,
  { records, console: consoleLogin, sessionId, course }: LoadedSession,
): Promise<void> {
  const post = records.db
    .prepare(`SELECT MAX(opened_at) FROM assessments WHERE session_id = ? AND kind = 'posttest'`)
    .pluck()
    .get(sessionId) as number | null;
  if (post === null) return;
  const found = (
    await client.query<{ console: string; session_id: string; id: string; started_at: string }>(
      `SELECT DISTINCT a.console, a.session_id, a.id, s.started_at FROM muster.assessments a
       JOIN muster.sessions s ON s.console = a.console AND s.id = a.session_id
       WHERE a.kind = 'pretest' AND s.course = $1 AND a.opened_at <= $2 AND NOT (a.console = $3 AND a.session_id = $4)
         AND EXISTS (SELECT 1 FROM muster.trainees t JOIN muster.trainees mine ON upper(trim(mine.officer_id)) = upper(trim(t.officer_id))
                     WHERE t.console = a.console AND t.session_id = a.session_id AND mine.console = $3 AND mine.session_id = $4)`,
      [course, post, consoleLogin, sessionId],
    )
  ).rows;
  const sessionsDone = new Set<string>();
  for (const f of found) {
    const key = `${f.console}\u0000${f.session_id}`;
    if (!sessionsDone.has(key)) {
      sessionsDone.add(key);
      for (const name of ['sessions', 'trainees']) {
        const t = table(name);
        const where = name === 'sessions' ? 'id' : 'session_id';
        insertRows(
          records,
          t,
          (
            await client.query(
              `SELECT ${list(t)} FROM muster.${name} WHERE console = $1 AND ${where} = $2`,
              [f.console, f.session_id],
            )
          ).rows,
        );
      }
    }
    for (const name of ['assessments', 'question_runs', 'assessment_submissions']) {
      const t = table(name);
      const where = name === 'assessments' ? 'id' : 'assessment_id';
      insertRows(
        records,
        t,
        (
          await client.query(
            `SELECT ${list(t)} FROM muster.${name} WHERE console = $1 AND ${where} = $2`,
            [f.console, f.id],
          )
        ).rows,
      );
    }
    const resp = table('responses');
    insertRows(
      records,
      resp,
      (
        await client.query(
          `SELECT ${list(resp, 'r.')} FROM muster.responses r JOIN muster.question_runs q ON q.console = r.console AND q.id = r.run_id
           WHERE r.console = $1 AND r.session_id = $2 AND q.assessment_id = $3 AND r.first_at >= $4`,
          [f.console, f.session_id, f.id, Number(f.started_at) - DAY],
        )
      ).rows,
    );
  }
}
