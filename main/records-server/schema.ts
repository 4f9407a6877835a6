/**
 * The academy records database (PostgreSQL), created and brought up to date by
 * `muster records-server init`:
 *
 * - `muster.change_log`: every change every console sent, keyed by (console, seq). A console adds
 *   rows as itself only (row-level security) and can read nothing; `my_cursor()` tells it its
 *   high-water mark, `my_digest()` lets it check that what the server holds is what it sent.
 * - the typed tables, one per replicated console table (main/records/replicated.ts, the same list)
 *   with `console` and `src_seq` in front: an AFTER INSERT trigger applies each batch of new
 *   changes to them at once, the latest change of a row winning, and a row is only ever replaced by
 *   a newer change (src_seq). Answers are partitioned by month.
 * - the derived tables (session_results with each session's certification roster records,
 *   trainee_results, item_stats, agency_people), written by the deriver (derive.ts) with the
 *   console's own scoring and credit code. When that code changes what it derives,
 *   {@link DERIVED_VERSION} goes up and init has every session derived again.
 * - roles: `muster_console` (the consoles' logins are its members), `muster_staff` (read-only:
 *   the records office, a BI tool).
 */
import type pg from 'pg';
import { REPLICATED } from '../records/replicated';
import type { ReplicatedTable } from '../records/replicated';

export const CONSOLE_ROLE = 'muster_console';

/**
 * What the derived tables hold, as a number: raised whenever the deriver stores something new or
 * computes it differently (2: the roster records laid out by export profiles, local times, the
 * pre-test baseline in the weak-spot counts), so `init` after an upgrade derives every session again.
 */
export const DERIVED_VERSION = 2;
export const STAFF_ROLE = 'muster_staff';

/** Tables partitioned by month on a time column (milliseconds): the big ones. */
export const PARTITIONED: Record<string, string> = { answer_log: 'at', responses: 'first_at' };

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The conflict key of a typed table: the console, the SQLite key, and the partition column. */
function conflictKey(t: ReplicatedTable): string[] {
  const part = PARTITIONED[t.name];
  return ['console', ...t.key, ...(part && !t.key.includes(part) ? [part] : [])];
}

function typedTable(t: ReplicatedTable): string {
  const cols = Object.entries(t.columns).map(([c, type]) => `${q(c)} ${type}`);
  const part = PARTITIONED[t.name];
  const idx = t.session
    ? `CREATE INDEX IF NOT EXISTS ${t.name}_session ON muster.${t.name} (console, ${q(t.session)});`
    : '';
  return `
    CREATE TABLE IF NOT EXISTS muster.${t.name} (
      console name NOT NULL,
      src_seq bigint NOT NULL,
      ${cols.join(',\n      ')},
      PRIMARY KEY (${conflictKey(t).map(q).join(', ')})
    )${part ? ` PARTITION BY RANGE (${q(part)})` : ''};
    ${part ? `CREATE TABLE IF NOT EXISTS muster.${t.name}_other PARTITION OF muster.${t.name} DEFAULT;` : ''}
    ${idx}`;
}

/** The JSON key of a change, typed like the column. */
const keyExpr = (t: ReplicatedTable, c: string, alias: string) =>
  t.columns[c] === 'text'
    ? `(${alias}.row->>'${c}')`
    : `((${alias}.row->>'${c}')::${t.columns[c]})`;

/** Applies the new changes of one table: deletes, then inserts or newer replacements. */
function applyTable(t: ReplicatedTable): string {
  const cols = Object.keys(t.columns);
  const keys = t.key.map((c) => keyExpr(t, c, 'n'));
  const part = PARTITIONED[t.name];
  const ensure = part
    ? `PERFORM muster.ensure_partitions('${t.name}', ARRAY(SELECT DISTINCT ((n.row->>'${part}')::bigint / 86400000) FROM new_rows n WHERE n.tbl = '${t.name}'));`
    : '';
  return `
    ${ensure}
    WITH latest AS (
      SELECT DISTINCT ON (n.console, ${keys.join(', ')}) n.console, n.seq, n.kind, n.row
      FROM new_rows n WHERE n.tbl = '${t.name}' ORDER BY n.console, ${keys.join(', ')}, n.seq DESC
    ), gone AS (
      DELETE FROM muster.${t.name} x USING latest l
      WHERE l.kind = 'D' AND x.console = l.console AND ${t.key.map((c) => `x.${q(c)} = ${keyExpr(t, c, 'l')}`).join(' AND ')} AND x.src_seq < l.seq
    )
    INSERT INTO muster.${t.name} AS x (console, src_seq, ${cols.map(q).join(', ')})
    SELECT l.console, l.seq, ${cols.map((c) => `r.${q(c)}`).join(', ')}
    FROM latest l CROSS JOIN LATERAL jsonb_populate_record(NULL::muster.${t.name}, l.row) r WHERE l.kind <> 'D'
    ON CONFLICT (${conflictKey(t).map(q).join(', ')}) DO UPDATE SET (src_seq, ${cols.map(q).join(', ')}) = ROW(excluded.src_seq, ${cols.map((c) => `excluded.${q(c)}`).join(', ')})
    WHERE x.src_seq < excluded.src_seq;`;
}

/** The sessions a batch touched, for the deriver. */
function dirtySql(): string {
  const parts = REPLICATED.filter((t) => t.session).map(
    (t) => `WHEN '${t.name}' THEN n.row->>'${t.session}'`,
  );
  return `
    INSERT INTO muster.dirty_sessions AS d (console, session_id)
    SELECT DISTINCT n.console, CASE n.tbl ${parts.join(' ')} END FROM new_rows n
    WHERE CASE n.tbl ${parts.join(' ')} END IS NOT NULL
    ON CONFLICT (console, session_id) DO UPDATE SET version = d.version + 1;`;
}

function applyFunction(): string {
  return `
  CREATE OR REPLACE FUNCTION muster.apply_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = muster, pg_temp AS $fn$
  BEGIN
    ${REPLICATED.map(applyTable).join('\n')}
    ${dirtySql()}
    UPDATE muster.consoles c SET hwm = GREATEST(c.hwm, m.mx), epoch = m.epoch, last_push = now()
    FROM (SELECT console, max(seq) AS mx, (array_agg(epoch ORDER BY seq DESC))[1] AS epoch FROM new_rows GROUP BY console) m
    WHERE c.login = m.console;
    PERFORM pg_notify('muster_changes', '');
    RETURN NULL;
  END $fn$;
  DROP TRIGGER IF EXISTS apply_changes ON muster.change_log;
  CREATE TRIGGER apply_changes AFTER INSERT ON muster.change_log REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION muster.apply_changes();`;
}

const BASE = `
  CREATE SCHEMA IF NOT EXISTS muster;
  DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${CONSOLE_ROLE}') THEN CREATE ROLE ${CONSOLE_ROLE} NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${STAFF_ROLE}') THEN CREATE ROLE ${STAFF_ROLE} NOLOGIN; END IF;
  END $$;
  CREATE TABLE IF NOT EXISTS muster.settings (key text PRIMARY KEY, value jsonb NOT NULL);
  CREATE TABLE IF NOT EXISTS muster.consoles (
    login name PRIMARY KEY,
    room text NOT NULL,
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    epoch text,
    hwm bigint NOT NULL DEFAULT 0,
    last_push timestamptz
  );
  CREATE TABLE IF NOT EXISTS muster.change_log (
    console name NOT NULL DEFAULT current_user,
    seq bigint NOT NULL,
    epoch text NOT NULL,
    tbl text NOT NULL,
    kind char(1) NOT NULL CHECK (kind IN ('I', 'U', 'D')),
    row jsonb NOT NULL,
    digest text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (console, seq)
  );
  ALTER TABLE muster.change_log ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS console_adds_own ON muster.change_log;
  CREATE POLICY console_adds_own ON muster.change_log FOR INSERT TO ${CONSOLE_ROLE} WITH CHECK (console = current_user);
  DROP POLICY IF EXISTS staff_reads ON muster.change_log;
  CREATE POLICY staff_reads ON muster.change_log FOR SELECT TO ${STAFF_ROLE} USING (true);
  CREATE TABLE IF NOT EXISTS muster.dirty_sessions (
    console name NOT NULL,
    session_id text NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (console, session_id)
  );

  -- Derived by the deriver with the consoles' own code (main/records/export/results.ts).
  CREATE TABLE IF NOT EXISTS muster.session_results (
    console name NOT NULL,
    session_id text NOT NULL,
    room text NOT NULL,
    started_at bigint NOT NULL,
    course text NOT NULL,
    course_number text,
    ended boolean NOT NULL,
    trainees integer NOT NULL,
    session jsonb NOT NULL,
    -- The session's certification roster records (main/records/export/certification.ts), before any profile lays them out.
    roster jsonb,
    derived_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (console, session_id)
  );
  CREATE INDEX IF NOT EXISTS session_results_started ON muster.session_results (started_at);
  CREATE INDEX IF NOT EXISTS session_results_id ON muster.session_results (session_id);
  CREATE TABLE IF NOT EXISTS muster.trainee_results (
    console name NOT NULL,
    session_id text NOT NULL,
    trainee_id text NOT NULL,
    officer_key text NOT NULL,
    officer_id text NOT NULL,
    name text NOT NULL,
    agency text NOT NULL,
    started_at bigint NOT NULL,
    join_order integer NOT NULL,
    result jsonb NOT NULL,
    PRIMARY KEY (console, session_id, trainee_id)
  );
  CREATE INDEX IF NOT EXISTS trainee_results_officer ON muster.trainee_results (officer_key, started_at);
  CREATE INDEX IF NOT EXISTS trainee_results_started ON muster.trainee_results (started_at);
  -- The weak-spot counts of each session: by topic tag, agency, agency and tag, question.
  CREATE TABLE IF NOT EXISTS muster.item_stats (
    console name NOT NULL,
    session_id text NOT NULL,
    started_at bigint NOT NULL,
    course text NOT NULL,
    course_number text,
    dim text NOT NULL CHECK (dim IN ('tag', 'agency', 'agency_tag', 'question')),
    key text NOT NULL,
    agency text,
    tag text,
    prompt text,
    tags text[],
    answered integer NOT NULL,
    correct integer NOT NULL,
    -- The pre-test answers apart: the baseline, never mixed into the counts above.
    pretest_answered integer NOT NULL DEFAULT 0,
    pretest_correct integer NOT NULL DEFAULT 0,
    PRIMARY KEY (console, session_id, dim, key)
  );
  CREATE INDEX IF NOT EXISTS item_stats_started ON muster.item_stats (started_at) INCLUDE (dim, key, agency, tag, course, course_number, answered, correct);
  -- The same counts summed by calendar month (UTC) and course, kept by the deriver: a year's report
  -- reads twelve months of these instead of every session's rows.
  CREATE TABLE IF NOT EXISTS muster.item_stats_month (
    month bigint NOT NULL,
    course text NOT NULL,
    course_number text,
    dim text NOT NULL,
    key text NOT NULL,
    agency text,
    tag text,
    prompt text,
    tags jsonb,
    answered bigint NOT NULL,
    correct bigint NOT NULL,
    sessions integer NOT NULL,
    pretest_answered bigint NOT NULL DEFAULT 0,
    pretest_correct bigint NOT NULL DEFAULT 0
  );
  -- Derived tables made before these columns existed (the deriver fills them in again: DERIVED_VERSION).
  ALTER TABLE muster.session_results ADD COLUMN IF NOT EXISTS roster jsonb;
  ALTER TABLE muster.item_stats ADD COLUMN IF NOT EXISTS pretest_answered integer NOT NULL DEFAULT 0;
  ALTER TABLE muster.item_stats ADD COLUMN IF NOT EXISTS pretest_correct integer NOT NULL DEFAULT 0;
  ALTER TABLE muster.item_stats_month ADD COLUMN IF NOT EXISTS pretest_answered bigint NOT NULL DEFAULT 0;
  ALTER TABLE muster.item_stats_month ADD COLUMN IF NOT EXISTS pretest_correct bigint NOT NULL DEFAULT 0;
  CREATE INDEX IF NOT EXISTS item_stats_month_month ON muster.item_stats_month (month, course);
  CREATE OR REPLACE FUNCTION muster.month_of(at bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$
    SELECT (extract(epoch FROM date_trunc('month', to_timestamp(at / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint
  $fn$;
  CREATE OR REPLACE FUNCTION muster.refresh_item_month(at bigint, c text) RETURNS void LANGUAGE sql AS $fn$
    DELETE FROM muster.item_stats_month WHERE month = muster.month_of(at) AND course = c;
    INSERT INTO muster.item_stats_month (month, course, course_number, dim, key, agency, tag, prompt, tags, answered, correct, sessions, pretest_answered, pretest_correct)
    SELECT muster.month_of(at), course, course_number, dim, key, min(agency), min(tag),
           (array_agg(prompt ORDER BY started_at DESC))[1], (array_agg(to_jsonb(tags) ORDER BY started_at DESC))[1],
           sum(answered), sum(correct), count(*), sum(pretest_answered), sum(pretest_correct)
    FROM muster.item_stats
    WHERE started_at >= muster.month_of(at) AND started_at < (extract(epoch FROM (to_timestamp(muster.month_of(at) / 1000.0) AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC') * 1000)::bigint
      AND course = c
    GROUP BY course, course_number, dim, key;
  $fn$;
  -- Who answered graded questions, by agency (the weak-spot report counts people once across sessions).
  CREATE TABLE IF NOT EXISTS muster.agency_people (
    console name NOT NULL,
    session_id text NOT NULL,
    started_at bigint NOT NULL,
    course text NOT NULL,
    course_number text,
    agency_key text NOT NULL,
    officer_key text NOT NULL,
    PRIMARY KEY (console, session_id, agency_key, officer_key)
  );
  CREATE INDEX IF NOT EXISTS agency_people_started ON muster.agency_people (started_at) INCLUDE (agency_key, officer_key, course, course_number);

  -- A month of answers per partition, made when the first answer of the month arrives. A day
  -- number (UTC) per answer comes in; times outside 2000–2099 go to the default partition.
  CREATE OR REPLACE FUNCTION muster.ensure_partitions(parent text, days bigint[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = muster, pg_temp AS $fn$
  DECLARE m date; part text;
  BEGIN
    FOR m IN SELECT DISTINCT date_trunc('month', date '1970-01-01' + d::integer)::date FROM unnest(days) d
      WHERE d BETWEEN 10957 AND 47481 LOOP
      part := parent || '_' || to_char(m, 'YYYYMM');
      IF to_regclass('muster.' || part) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('muster.ensure_partitions'));
        IF to_regclass('muster.' || part) IS NULL THEN
          EXECUTE format('CREATE TABLE muster.%I PARTITION OF muster.%I FOR VALUES FROM (%s) TO (%s)', part, parent,
            ((m - date '1970-01-01')::bigint * 86400000), (((m + interval '1 month')::date - date '1970-01-01')::bigint * 86400000));
        END IF;
      END IF;
    END LOOP;
  END $fn$;

  CREATE OR REPLACE FUNCTION muster.my_cursor(OUT epoch text, OUT hwm bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = muster, pg_temp AS $fn$
    SELECT c.epoch, c.hwm FROM muster.consoles c WHERE c.login = session_user AND c.revoked_at IS NULL
  $fn$;
  CREATE OR REPLACE FUNCTION muster.my_digest(after bigint, upto bigint, OUT changes bigint, OUT digest text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = muster, pg_temp AS $fn$
    SELECT count(*), md5(string_agg(l.digest, '' ORDER BY l.seq)) FROM muster.change_log l
    WHERE l.console = session_user AND l.seq > after AND l.seq <= upto
  $fn$;
  REVOKE ALL ON FUNCTION muster.my_cursor(), muster.my_digest(bigint, bigint), muster.ensure_partitions(text, bigint[]) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION muster.my_cursor(), muster.my_digest(bigint, bigint) TO ${CONSOLE_ROLE};
  GRANT USAGE ON SCHEMA muster TO ${CONSOLE_ROLE}, ${STAFF_ROLE};
  GRANT INSERT ON muster.change_log TO ${CONSOLE_ROLE};
`;

/** Columns added to a console table after the records database was created. */
function addedColumns(t: ReplicatedTable): string {
  return Object.entries(t.columns)
    .map(([c, type]) => `ALTER TABLE muster.${t.name} ADD COLUMN IF NOT EXISTS ${q(c)} ${type};`)
    .join('\n');
}

/** Creates or updates the schema (idempotent: run it after every Muster upgrade). */
export async function initSchema(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    // One init at a time (two administrators, or init during serve's start).
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('muster.init'))`);
    await client.query(BASE);
    for (const t of REPLICATED) await client.query(typedTable(t) + addedColumns(t));
    await client.query(applyFunction());
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA muster TO ${STAFF_ROLE}`);
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA muster GRANT SELECT ON TABLES TO ${STAFF_ROLE}`,
    );
    await client.query(
      `INSERT INTO muster.settings (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify({ tables: REPLICATED.map((t) => t.name), at: new Date().toISOString() })],
    );
    // Results derived by an older Muster are derived again (the office reads the old ones meanwhile).
    const derived = (
      await client.query<{ value: number }>(
        `SELECT value FROM muster.settings WHERE key = 'derived'`,
      )
    ).rows[0]?.value;
    if (derived !== DERIVED_VERSION) {
      await markAllDirty(client);
      await client.query(
        `INSERT INTO muster.settings (key, value) VALUES ('derived', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [JSON.stringify(DERIVED_VERSION)],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Has the deriver work out every session again (a new department profile, a new Muster). */
export async function markAllDirty(client: pg.ClientBase): Promise<void> {
  await client.query(
    `INSERT INTO muster.dirty_sessions AS d (console, session_id) SELECT console, id FROM muster.sessions ON CONFLICT (console, session_id) DO UPDATE SET version = d.version + 1`,
  );
}
