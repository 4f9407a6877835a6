/**
 * What the records office asks of the records database, every room and year at once: sessions
 * by date, course and room; trainees by name or officer ID; an officer's history; the
 * certification roster for a date range; weak spots. All of it reads the derived tables
 * (derive.ts), so nothing here scores or credits anything: the console's code did that. The
 * sheets come from the console's own export functions (rosterSheetsOf, rosterPdfOf, historyOf,
 * weakSpotsSheets). Days and times are the academy department's (its time zone), as on a console.
 */
import type pg from 'pg';
import type { SessionRow } from '../records/db';
import { departmentClock, departmentProfile } from '../records/department';
import { parseRange } from '../records/export/across';
import { historyOf } from '../records/export/trainee-history';
import type { RangeInput } from '../records/export/across';
import { rosterSheetsOf } from '../records/export/certification';
import type { SessionRoster } from '../records/export/certification';
import type { TraineeResult } from '../records/export/results';
import { normOfficerId } from '../../shared/identity';
import type {
  SessionListItem,
  TraineeHistory,
  TraineeMatch,
  WeakSpotStat,
  WeakSpots,
} from '../../shared/records';
import type { ExportOptions } from '../records/export/session';
import type { SheetSpec } from '../records/export/xlsx';

/** Summed counts as PostgreSQL returns them (bigint sums come as strings). */
interface Counts {
  answered: string;
  correct: string;
  pretest_answered: string;
  pretest_correct: string;
}

export interface SessionFilter extends RangeInput {
  room?: string | null;
}

const clockOf = (o: ExportOptions) => departmentClock(departmentProfile(o.department));

/** The range as SQL bounds (the same local days a console uses, in the department's zone), with the course and room filters. */
function bounds(
  r: SessionFilter,
  o: ExportOptions,
): [number, number, string | null, string | null] {
  const { start, end, course } = parseRange(r, clockOf(o));
  return [start, end, course, r.room?.trim() || null];
}

const RANGE = `started_at >= $1 AND started_at < $2 AND ($3::text IS NULL OR course = $3 OR course_number = $3)`;

export async function officeSessions(
  client: pg.ClientBase,
  f: SessionFilter,
  o: ExportOptions = {},
  limit = 500,
): Promise<SessionListItem[]> {
  const rows = (
    await client.query<{ room: string; session: { item: SessionListItem } }>(
      `SELECT room, session FROM muster.session_results WHERE ${RANGE} AND ($4::text IS NULL OR room = $4) ORDER BY started_at DESC LIMIT $5`,
      [...bounds(f, o), limit],
    )
  ).rows;
  return rows.map((r) => ({ ...r.session.item, room: r.room }));
}

export async function officeRooms(client: pg.ClientBase): Promise<string[]> {
  return (
    await client.query<{ room: string }>(`SELECT DISTINCT room FROM muster.consoles ORDER BY room`)
  ).rows.map((r) => r.room);
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One line per officer ID whose ID or name contains `q`, the most recently seen first. */
export async function officeSearch(
  client: pg.ClientBase,
  q: string,
  limit = 50,
): Promise<TraineeMatch[]> {
  const query = q.trim().slice(0, 100);
  if (!query) return [];
  return (
    await client.query<TraineeMatch>(
      `SELECT DISTINCT ON (last."lastSeen", t.officer_key) t.officer_id AS "officerId", t.name, t.agency, last.sessions::int AS sessions, last."lastSeen"::float8 AS "lastSeen"
       FROM (SELECT officer_key, count(DISTINCT (console, session_id)) AS sessions, max((result->>'joinedAt')::bigint) AS "lastSeen"
             FROM muster.trainee_results WHERE officer_id ILIKE $1 OR name ILIKE $1 GROUP BY officer_key ORDER BY 3 DESC LIMIT $2) last
       JOIN muster.trainee_results t ON t.officer_key = last.officer_key AND (t.result->>'joinedAt')::bigint = last."lastSeen"
       ORDER BY last."lastSeen" DESC, t.officer_key`,
      [likePattern(query), limit],
    )
  ).rows;
}

/** An officer's history across every room, oldest first. */
export async function officeHistory(
  client: pg.ClientBase,
  officerId: string,
  o: ExportOptions = {},
): Promise<TraineeHistory> {
  const rows = (
    await client.query<{
      officer_id: string;
      result: TraineeResult;
      session: { row: SessionRow };
      room: string;
    }>(
      `SELECT t.officer_id, t.result, s.session, s.room FROM muster.trainee_results t
       JOIN muster.session_results s ON s.console = t.console AND s.session_id = t.session_id
       WHERE t.officer_key = $1 ORDER BY t.started_at, t.session_id`,
      [normOfficerId(officerId)],
    )
  ).rows;
  const h = historyOf(
    rows.at(-1)?.officer_id ?? officerId.trim(),
    rows.map((r) => ({ session: r.session.row, trainee: r.result })),
    clockOf(o),
  );
  h.sessions.forEach((s, i) => (s.room = rows[i].room));
  return h;
}

/**
 * The certification roster's records for a range, every room (or one), oldest session first: an
 * export profile lays them out (rosterSheetsOf, rosterPdfOf). A session derived by an older Muster
 * without them is left out until the deriver has done it again.
 */
export async function officeRoster(
  client: pg.ClientBase,
  f: SessionFilter,
  o: ExportOptions = {},
): Promise<SessionRoster[]> {
  const rows = (
    await client.query<{ session: { row: SessionRow }; roster: Omit<SessionRoster, 'row'> }>(
      `SELECT session, roster FROM muster.session_results WHERE ${RANGE} AND ($4::text IS NULL OR room = $4) AND roster IS NOT NULL ORDER BY started_at, session_id`,
      bounds(f, o),
    )
  ).rows;
  return rows.map((r) => ({ ...r.roster, row: r.session.row }));
}

/** The certification roster's sheets for a range, every room (or one), laid out by `o.profile`. */
export async function officeRosterSheets(
  client: pg.ClientBase,
  f: SessionFilter,
  o: ExportOptions & { profile?: string | null } = {},
): Promise<SheetSpec[]> {
  return rosterSheetsOf(await officeRoster(client, f, o), o);
}

/** Sums the sessions' weak-spot counts over a range; shares and order as the console's report makes them. */
export async function officeWeakSpots(
  client: pg.ClientBase,
  f: SessionFilter,
  o: ExportOptions = {},
): Promise<WeakSpots> {
  const b = bounds(f, o).slice(0, 3);
  // Whole calendar months (UTC) inside the range come from the monthly sums, the hours and days
  // around them (a range's local days rarely start at midnight UTC) from each session's counts;
  // the question's wording is the latest.
  const [start, end] = b as [number, number, string | null];
  const monthStart = (t: number) => {
    const d = new Date(Math.min(Math.max(t, Date.UTC(1970, 0, 1)), Date.UTC(9999, 0, 1)));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const next = (m: number) => {
    const d = new Date(m);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const fullFrom = monthStart(start) === start ? start : next(monthStart(start));
  const fullTo = monthStart(end);
  const months = fullFrom < fullTo ? [fullFrom, fullTo] : [0, 0];
  const stats = (
    await client.query<
      Counts & {
        dim: string;
        key: string;
        agency: string | null;
        tag: string | null;
        prompt: string | null;
        tags: string[] | null;
        sessions: string;
      }
    >(
      `WITH parts AS (
         SELECT dim, key, agency, tag, prompt, tags, answered, correct, pretest_answered, pretest_correct, sessions, month AS at FROM muster.item_stats_month
         WHERE month >= $4 AND month < $5 AND ($3::text IS NULL OR course = $3 OR course_number = $3)
         UNION ALL
         SELECT dim, key, agency, tag, prompt, to_jsonb(tags), answered, correct, pretest_answered, pretest_correct, 1, started_at FROM muster.item_stats
         WHERE ${RANGE} AND NOT (started_at >= $4 AND started_at < $5)
       )
       SELECT dim, key, min(agency) AS agency, min(tag) AS tag, (array_agg(prompt ORDER BY at DESC))[1] AS prompt, (array_agg(tags ORDER BY at DESC))[1] AS tags,
              sum(answered) AS answered, sum(correct) AS correct, sum(pretest_answered) AS pretest_answered, sum(pretest_correct) AS pretest_correct, sum(sessions) AS sessions
       FROM parts GROUP BY dim, key`,
      [...b, ...months],
    )
  ).rows;
  const people = new Map(
    (
      await client.query<{ agency_key: string; n: string }>(
        `SELECT agency_key, count(*) AS n FROM (SELECT DISTINCT agency_key, officer_key FROM muster.agency_people WHERE ${RANGE}) x GROUP BY agency_key`,
        b,
      )
    ).rows.map((r) => [r.agency_key, Number(r.n)]),
  );
  const sessions = Number(
    (
      await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM muster.session_results WHERE ${RANGE}`,
        b,
      )
    ).rows[0].n,
  );
  const share = (answered: number, correct: number) =>
    answered ? Math.round((correct / answered) * 10000) / 10000 : 0;
  const stat = (x: Counts): WeakSpotStat => {
    const [answered, correct, preAnswered, preCorrect] = [
      x.answered,
      x.correct,
      x.pretest_answered,
      x.pretest_correct,
    ].map(Number);
    return {
      answered,
      correct,
      share: share(answered, correct),
      pretest: {
        answered: preAnswered,
        correct: preCorrect,
        share: share(preAnswered, preCorrect),
      },
    };
  };
  // As the console orders them: weakest first, a row with only pre-test answers last.
  const order = <T extends WeakSpotStat>(xs: T[]) =>
    xs.sort(
      (a, b2) =>
        Number(a.answered === 0) - Number(b2.answered === 0) ||
        a.share - b2.share ||
        b2.answered - a.answered,
    );
  const of = (dim: string) => stats.filter((s) => s.dim === dim);
  const byQuestion = order(
    of('question').map((s) => ({
      questionId: s.key,
      prompt: s.prompt ?? '',
      tags: s.tags ?? [],
      sessions: Number(s.sessions),
      ...stat(s),
    })),
  );
  return {
    from: f.from || null,
    to: f.to || null,
    course: f.course || null,
    sessions,
    answers: byQuestion.reduce((n, q) => n + q.answered, 0),
    pretestAnswers: byQuestion.reduce((n, q) => n + q.pretest.answered, 0),
    byTag: order(of('tag').map((s) => ({ tag: s.key, ...stat(s) }))),
    byAgency: order(
      of('agency').map((s) => ({
        agency: s.agency ?? s.key,
        trainees: people.get(s.key) ?? 0,
        ...stat(s),
      })),
    ),
    byAgencyTag: order(
      of('agency_tag').map((s) => ({ agency: s.agency ?? '', tag: s.tag ?? '', ...stat(s) })),
    ),
    byQuestion,
  };
}

/** The session (by id) in whichever room it was held: its console login. */
export async function sessionConsole(
  client: pg.ClientBase,
  sessionId: string,
): Promise<string | null> {
  const r = await client.query<{ console: string }>(
    `SELECT console FROM muster.sessions WHERE id = $1 ORDER BY started_at DESC LIMIT 1`,
    [sessionId],
  );
  return r.rows[0]?.console ?? null;
}
