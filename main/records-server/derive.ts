/**
 * The deriver: keeps the records database's derived tables — each session's results per trainee
 * and its weak-spot counts — in step with the changes the consoles send. The apply trigger marks a
 * session dirty whenever one of its rows changes; the deriver reads the session back into the
 * console's own schema (load.ts) and runs the console's own code on it: sessionResults() for
 * attendance, scores, pass/fail, credit and certificates (with pre-tests from any room),
 * sessionRoster() for the certification roster's records (an export profile lays them out when the
 * office asks), and weakSpots() for the item analysis with its pre-test baseline. Dates and times
 * are the academy department's (its time zone). `muster records-server serve` runs it continuously.
 */
import type pg from 'pg';
import { departmentProfile } from '../records/department';
import type { Department } from '../records/department';
import { sessionList } from '../records/export/across';
import { agencyKey, weakSpots } from '../records/export/weak-spots';
import { loadResponses, loadRuns, sessionResults } from '../records/export/results';
import { sessionRoster } from '../records/export/certification';
import { normOfficerId } from '../../shared/identity';
import type { WeakSpotStat } from '../../shared/records';
import { loadEarlierPretests, loadSession } from './load';
import { errorMessage } from '../../shared/errors';

/** The department profile the derived results apply (`records-server init --department FILE`). */
export async function academyDepartment(client: pg.ClientBase): Promise<Department> {
  const r = await client.query<{ value: Department }>(
    `SELECT value FROM muster.settings WHERE key = 'department'`,
  );
  return r.rows[0]?.value ?? {};
}

const inTransaction = async <T>(client: pg.ClientBase, f: () => Promise<T>): Promise<T> => {
  await client.query('BEGIN');
  try {
    const out = await f();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
};

/** Computes and stores one session's derived rows (or removes them when the session is gone). */
export async function deriveSession(
  client: pg.ClientBase,
  consoleLogin: string,
  sessionId: string,
  department: Department,
  now = Date.now(),
): Promise<void> {
  const loaded = await loadSession(client, consoleLogin, sessionId);
  const key = [consoleLogin, sessionId];
  const clear = async () => {
    for (const t of ['session_results', 'trainee_results', 'item_stats', 'agency_people'])
      await client.query(`DELETE FROM muster.${t} WHERE console = $1 AND session_id = $2`, key);
  };
  if (!loaded) return inTransaction(client, clear);
  const { records } = loaded;
  try {
    // This session alone first: its list entry and its weak-spot counts.
    const dept = departmentProfile(department);
    const item = sessionList(records, 1)[0];
    const weak = weakSpots(records, {}, { department });
    const runs = loadRuns(records, sessionId);
    const scored = new Set(runs.filter((r) => r.scored).map((r) => r.id));
    const people = new Map(
      (
        records.db
          .prepare(`SELECT id, officer_id, agency FROM trainees WHERE session_id = ?`)
          .all(sessionId) as { id: string; officer_id: string; agency: string }[]
      ).map((t) => [t.id, t]),
    );
    // Keys joined by U+001F (jsonb, which carries them, cannot hold U+0000).
    const answeredBy = new Set<string>();
    for (const r of loadResponses(records, sessionId, runs)) {
      const p = people.get(r.traineeId);
      if (scored.has(r.runId) && p)
        answeredBy.add(
          `${agencyKey(p.agency.trim() || '(no agency)')}\u001f${normOfficerId(p.officer_id)}`,
        );
    }
    // Then with the earlier pre-tests its officers took in any room, for the knowledge gain.
    await loadEarlierPretests(client, loaded);
    const res = sessionResults(records, sessionId, dept, now);
    const s = res.session;
    const { row: _row, ...roster } = sessionRoster(records, s, dept, now, res);
    const base = {
      console: consoleLogin,
      session_id: sessionId,
      started_at: s.started_at,
      course: s.course,
      course_number: s.course_number,
    };
    const counts = (x: WeakSpotStat) => ({
      answered: x.answered,
      correct: x.correct,
      pretest_answered: x.pretest.answered,
      pretest_correct: x.pretest.correct,
    });
    const stats = [
      ...weak.byTag.map((x) => ({
        ...base,
        dim: 'tag',
        key: x.tag,
        agency: null,
        tag: x.tag,
        prompt: null,
        tags: null,
        ...counts(x),
      })),
      ...weak.byAgency.map((x) => ({
        ...base,
        dim: 'agency',
        key: agencyKey(x.agency),
        agency: x.agency,
        tag: null,
        prompt: null,
        tags: null,
        ...counts(x),
      })),
      ...weak.byAgencyTag.map((x) => ({
        ...base,
        dim: 'agency_tag',
        key: `${agencyKey(x.agency)}\u001f${x.tag}`,
        agency: x.agency,
        tag: x.tag,
        prompt: null,
        tags: null,
        ...counts(x),
      })),
      ...weak.byQuestion.map((x) => ({
        ...base,
        dim: 'question',
        key: x.questionId,
        agency: null,
        tag: null,
        prompt: x.prompt,
        tags: x.tags,
        ...counts(x),
      })),
    ];
    const trainees = res.trainees.map((t) => ({
      console: consoleLogin,
      session_id: sessionId,
      trainee_id: t.traineeId,
      officer_key: normOfficerId(t.officerId),
      officer_id: t.officerId,
      name: t.name,
      agency: t.agency,
      started_at: s.started_at,
      join_order: t.joinOrder,
      result: t,
    }));
    const agencyPeople = [...answeredBy].map((k) => {
      const [agency_key, officer_key] = k.split('\u001f');
      return { ...base, agency_key, officer_key };
    });
    await inTransaction(client, async () => {
      await clear();
      await client.query(
        `INSERT INTO muster.session_results (console, session_id, room, started_at, course, course_number, ended, trainees, session, roster)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          consoleLogin,
          sessionId,
          loaded.room,
          s.started_at,
          s.course,
          s.course_number,
          res.ended,
          res.trainees.length,
          JSON.stringify({ row: s, item }),
          JSON.stringify(roster),
        ],
      );
      await client.query(
        `INSERT INTO muster.trainee_results SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(console name, session_id text, trainee_id text, officer_key text, officer_id text, name text, agency text, started_at bigint, join_order integer, result jsonb)`,
        [JSON.stringify(trainees)],
      );
      await client.query(
        `INSERT INTO muster.item_stats (console, session_id, started_at, course, course_number, dim, key, agency, tag, prompt, tags, answered, correct, pretest_answered, pretest_correct)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(console name, session_id text, started_at bigint, course text, course_number text, dim text, key text, agency text, tag text, prompt text, tags text[], answered integer, correct integer, pretest_answered integer, pretest_correct integer)`,
        [JSON.stringify(stats)],
      );
      await client.query(
        `INSERT INTO muster.agency_people SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(console name, session_id text, started_at bigint, course text, course_number text, agency_key text, officer_key text)`,
        [JSON.stringify(agencyPeople)],
      );
      await client.query(`SELECT muster.refresh_item_month($1, $2)`, [s.started_at, s.course]);
      // A pre-test given here may be the one a later class's knowledge gain needs: derive those again.
      await client.query(
        `INSERT INTO muster.dirty_sessions AS d (console, session_id)
         SELECT DISTINCT a.console, a.session_id FROM muster.assessments a JOIN muster.sessions x ON x.console = a.console AND x.id = a.session_id
         WHERE a.kind = 'posttest' AND x.course = $3 AND x.started_at > $4
           AND EXISTS (SELECT 1 FROM muster.assessments p WHERE p.console = $1 AND p.session_id = $2 AND p.kind = 'pretest')
           AND EXISTS (SELECT 1 FROM muster.trainees t JOIN muster.trainees mine ON upper(trim(mine.officer_id)) = upper(trim(t.officer_id))
                       WHERE t.console = a.console AND t.session_id = a.session_id AND mine.console = $1 AND mine.session_id = $2)
         ON CONFLICT (console, session_id) DO UPDATE SET version = d.version + 1`,
        [consoleLogin, sessionId, s.course, s.started_at],
      );
    });
  } finally {
    records.close();
  }
}

/** Derives up to `limit` dirty sessions; returns how many. A session changed meanwhile stays dirty. */
export async function deriveDirty(
  client: pg.ClientBase,
  limit = 50,
  now = Date.now(),
): Promise<number> {
  const dirty = (
    await client.query<{ console: string; session_id: string; version: string }>(
      `SELECT console, session_id, version FROM muster.dirty_sessions ORDER BY console, session_id LIMIT $1`,
      [limit],
    )
  ).rows;
  if (!dirty.length) return 0;
  const department = await academyDepartment(client);
  for (const d of dirty) {
    await deriveSession(client, d.console, d.session_id, department, now);
    await client.query(
      `DELETE FROM muster.dirty_sessions WHERE console = $1 AND session_id = $2 AND version = $3`,
      [d.console, d.session_id, d.version],
    );
  }
  return dirty.length;
}

/** Derives until nothing is dirty. */
export async function deriveAll(client: pg.ClientBase, now = Date.now()): Promise<number> {
  let n = 0;
  for (let k; (k = await deriveDirty(client, 50, now));) n += k;
  return n;
}

/**
 * Runs the deriver until stopped: on every batch a console sends (LISTEN muster_changes) and every
 * `pollMs` besides. A failure is logged and retried at the next turn.
 */
export class Deriver {
  private stopped = false;
  private wake: (() => void) | null = null;
  private listener: pg.Client | null = null;
  private done: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connect: () => pg.Client,
    private readonly o: { pollMs?: number; log?: (m: string) => void } = {},
  ) {}

  start(): void {
    this.done = this.loop();
  }

  private poke = () => {
    const w = this.wake;
    this.wake = null;
    w?.();
  };

  private async listen(): Promise<void> {
    if (this.listener) return;
    const c = this.connect();
    c.on('error', () => {
      if (this.listener === c) this.listener = null;
    });
    c.on('notification', this.poke);
    await c.connect();
    await c.query('LISTEN muster_changes');
    this.listener = c;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listen();
        const client = await this.pool.connect();
        try {
          while (!this.stopped && (await deriveDirty(client)));
        } finally {
          client.release();
        }
      } catch (e) {
        this.o.log?.(`records server: deriving failed: ${errorMessage(e)}`);
        await this.listener?.end().catch(() => undefined);
        this.listener = null;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.pollMs ?? 30_000);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.done;
    await this.listener?.end().catch(() => undefined);
  }
}
