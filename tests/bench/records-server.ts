/**
 * The academy records server benchmark (`npm run bench`, or alone:
 * `node --import tsx tests/bench/records-server.ts [--answers 24000000] [--trainees 300]`), on a
 * throwaway PostgreSQL with fsync on. Prints one JSON object:
 *
 * - push: a class day (300 trainees × 40 questions) pushed by the real pusher thread, rows/s
 *   including the server's apply, beside the floor: the same batches inserted into a bare table
 *   (no trigger, no row-level security);
 * - year: a synthetic year of a 10-room academy (2,000 class days of 60 officers × 200 questions:
 *   24 million answers in the monthly partitions, and the derived tables a deriver would have
 *   written for them; about 6,000 officers), then the
 *   month's certification roster, one officer's history and the year's weak spots, each timed
 *   (best and worst of 3), beside the target of 1 s;
 * - ackP99: the same class (answer acknowledgements, p50/p99) without and with the pusher
 *   running against the server, side by side, with a backlog for the pusher to send.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { PushRunner } from '../../main/records/push/push-runner';
import { CREDENTIAL_FILE } from '../../main/records/push/credential';
import { initSchema } from '../../main/records-server/schema';
import { enrolConsole } from '../../main/records-server/roles';
import {
  officeHistory,
  officeRosterSheets,
  officeWeakSpots,
} from '../../main/records-server/queries';
import { writeXlsx } from '../../main/records/export';
import { startPostgres } from '../helpers/postgres';
import { officers, recordClass } from '../helpers/class-records';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    answers: { type: 'string', default: '24000000' },
    trainees: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
/** `--only push|acks|year`: one part alone. */
const part = (name: string) => !values.only || values.only === name;
const ANSWERS = Number(values.answers);
const CLASS = Number(values.trainees);
const ROUNDS = Number(values.rounds);
const step = (what: string) => process.stderr.write(`bench records-server: ${what}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const round = (x: number) => Math.round(x * 10) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
};

async function until(what: string, f: () => boolean, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Best and worst of three runs, ms. */
async function timed(f: () => Promise<unknown>): Promise<{ bestMs: number; worstMs: number }> {
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = now();
    await f();
    t.push(now() - s);
  }
  return { bestMs: round(Math.min(...t)), worstMs: round(Math.max(...t)) };
}

// ------------------------------------------------------------------ push rate
async function pushRate(url: string, admin: pg.Client) {
  const e = await enrolConsole(admin, 'Bench room', url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-push-'));
  const records = new Records(path.join(dir, 'muster.sqlite'));
  const answers = recordClass(records, {
    id: 'PUSH',
    start: Date.UTC(2025, 5, 2, 13),
    officers: officers(300),
    questions: 40,
    batch: 2000,
  });
  const changes = replicationState(records.db).waiting;
  const runner = new PushRunner({
    records,
    url: e.url,
    isBusy: () => false,
    batchSize: Number(process.env.BENCH_BATCH ?? 1000),
    pollMs: 20,
  });
  const t0 = now();
  runner.start();
  await until(
    'the class day to be pushed',
    () => runner.status().state === 'up-to-date' && replicationState(records.db).waiting === 0,
  );
  const ms = now() - t0;
  await runner.stop();
  // The floor: the same rows in the same batches into a bare table, no trigger, no row-level security.
  await admin.query(
    `CREATE TABLE bench_floor (console name, seq bigint, epoch text, tbl text, kind char(1), row jsonb, digest text, PRIMARY KEY (console, seq))`,
  );
  const rows = (
    await admin.query(
      `SELECT seq, tbl, kind, row::text AS row FROM muster.change_log WHERE console = $1 ORDER BY seq`,
      [e.login],
    )
  ).rows;
  const f0 = now();
  for (let i = 0; i < rows.length; i += 1000) {
    const b = rows.slice(i, i + 1000);
    await admin.query(
      `INSERT INTO bench_floor SELECT current_user, b.seq, 'e', b.tbl, b.kind, b.row::jsonb, md5(b.tbl || b.kind || b.row)
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS b(seq, tbl, kind, row) ON CONFLICT DO NOTHING`,
      [b.map((r) => r.seq), b.map((r) => r.tbl), b.map((r) => r.kind), b.map((r) => r.row)],
    );
  }
  const floorMs = now() - f0;
  records.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    classDay: `${300} trainees × 40 questions`,
    answers,
    changes,
    seconds: round(ms / 1000),
    rowsPerSecond: Math.round(changes / (ms / 1000)),
    floorRowsPerSecond: Math.round(rows.length / (floorMs / 1000)),
  };
}

// ------------------------------------------------------------------ a synthetic year
async function syntheticYear(admin: pg.Client) {
  const rooms = 10;
  const sessions = 2000;
  // A class day of 60 officers answering 200 questions (pre-test, post-test, live questions): 12,000 answers.
  const questions = 200;
  const perSession = Math.max(1, Math.round(ANSWERS / sessions / questions));
  const day0 = Date.UTC(2025, 0, 6, 14);
  const t0 = now();
  await admin.query(`SET synchronous_commit = off`);
  await admin.query(
    `INSERT INTO muster.consoles (login, room) SELECT 'muster_c_year_' || r, 'Room ' || r FROM generate_series(1, ${rooms}) r`,
  );
  // Sessions: each room, each working day, one class day.
  await admin.query(`
    INSERT INTO muster.sessions (console, src_seq, id, room_code, course, course_title, deck_file, title, started_at, ended_at, slide_index, course_number, credit_hours, pass_mark, instructors, location)
    SELECT 'muster_c_year_' || (1 + n % ${rooms}), n, 'Y' || n, '123456', 'human-trafficking', 'Human Trafficking Awareness', '01.md', 'Understanding',
           ${day0} + (n / ${rooms}) * 86400000::bigint * 7 / 5, ${day0} + (n / ${rooms}) * 86400000::bigint * 7 / 5 + 4 * 3600000, 20, 'HT-101', 4, 70, 'Sgt. Ruiz', 'Academy'
    FROM generate_series(0, ${sessions - 1}) n`);
  const days = (
    await admin.query(
      `SELECT array_agg(DISTINCT started_at / 86400000) AS d FROM muster.sessions WHERE console LIKE 'muster_c_year_%'`,
    )
  ).rows[0].d as string[];
  await admin.query(`SELECT muster.ensure_partitions('responses', $1::bigint[])`, [days]);
  step(`writing ${(sessions * perSession * questions).toLocaleString('en-US')} answers`);
  for (let r = 1; r <= rooms; r++) {
    await admin.query(`
      INSERT INTO muster.responses (console, src_seq, run_id, trainee_id, session_id, value_json, correct, first_at, answered_at, changes)
      SELECT s.console, 1, s.id || '-r' || q, s.id || '-t' || t, s.id, CASE WHEN (t + q) % 4 = 1 THEN '"B"' ELSE '"A"' END, CASE WHEN (t + q) % 4 = 1 THEN 0 ELSE 1 END,
             s.started_at + 1800000 + q * 180000 + t, s.started_at + 1800000 + q * 180000 + t, 0
      FROM muster.sessions s CROSS JOIN generate_series(0, ${perSession - 1}) t CROSS JOIN generate_series(0, ${questions - 1}) q
      WHERE s.console = 'muster_c_year_${r}'`);
    step(`room ${r} of ${rooms}`);
  }
  // The derived tables, as the deriver would have written them for these sessions.
  await admin.query(`
    INSERT INTO muster.trainee_results (console, session_id, trainee_id, officer_key, officer_id, name, agency, started_at, join_order, result)
    SELECT s.console, s.id, s.id || '-t' || t, o.id, o.id, 'Officer ' || o.id, 'Agency ' || (t % 20), s.started_at, t + 1,
           jsonb_build_object('traineeId', s.id || '-t' || t, 'name', 'Officer ' || o.id, 'officerId', o.id, 'agency', 'Agency ' || (t % 20), 'joinedAt', s.started_at + t,
             'checkIn', s.started_at + t, 'checkOut', s.ended_at, 'minutesPresent', 240, 'intervals', 1, 'corrected', false, 'correctionReason', null, 'joinOrder', t + 1,
             'minutesInClass', 240, 'presentPercent', 100, 'late', false, 'minutesLate', 0, 'earlyDeparture', false, 'minutesEarly', 0, 'answered', ${questions}, 'correct', 30,
             'scorePercent', 75, 'result', 'Pass', 'pretestPercent', 50, 'posttestPercent', 75, 'gain', 25, 'evaluationSubmitted', null, 'creditEarned', true, 'hoursAwarded', 4,
             'certificate', 'HT-101-' || to_char(to_timestamp(s.started_at / 1000), 'YYYYMMDD') || '-' || lpad((t + 1)::text, 3, '0'))
    FROM muster.sessions s CROSS JOIN generate_series(0, ${perSession - 1}) t
    CROSS JOIN LATERAL (SELECT 'O' || lpad(((substr(s.id, 2)::int * ${perSession} + t) * 7919 % 6000)::text, 5, '0') AS id) o
    WHERE s.console LIKE 'muster_c_year_%'`);
  // Each session's roster records (certification.ts), built from those results as sessionRoster() would.
  await admin.query(`
    INSERT INTO muster.session_results (console, session_id, room, started_at, course, course_number, ended, trainees, session, roster)
    SELECT s.console, s.id, c.room, s.started_at, s.course, s.course_number, true, ${perSession},
           jsonb_build_object('row', to_jsonb(s) - 'console' - 'src_seq', 'item', jsonb_build_object('id', s.id, 'course', s.course, 'courseTitle', s.course_title, 'courseNumber', s.course_number, 'title', s.title, 'startedAt', s.started_at, 'endedAt', s.ended_at, 'trainees', ${perSession})),
           jsonb_build_object('modules', s.title, 'trainees', ${perSession}, 'credited', ${perSession}, 'records', (
             SELECT jsonb_agg(jsonb_build_object(
               'lastName', t.officer_id, 'firstName', 'Officer', 'fullName', t.name, 'officerId', t.officer_id, 'agency', t.agency, 'email', '',
               'courseNumber', s.course_number, 'courseTitle', s.course_title, 'courseId', s.course, 'modules', s.title,
               'dates', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'), 'startDate', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'),
               'endDate', to_char(to_timestamp(s.started_at / 1000), 'YYYY-MM-DD'), 'startTime', '08:00', 'endTime', '12:00', 'creditHours', 4, 'courseHours', 4,
               'score', 75, 'result', 'Pass', 'presentPercent', 100, 'creditEarned', 'Yes', 'pretest', 50, 'posttest', 75, 'instructors', s.instructors,
               'instructorNames', s.instructors, 'instructorIds', '', 'location', s.location, 'certificate', t.result->>'certificate',
               'presentingAgency', 'Regional Academy', 'state', 'TX', 'sessionId', s.id) ORDER BY t.officer_id)
             FROM muster.trainee_results t WHERE t.console = s.console AND t.session_id = s.id))
    FROM muster.sessions s JOIN muster.consoles c ON c.login = s.console WHERE s.console LIKE 'muster_c_year_%'`);
  await admin.query(`
    INSERT INTO muster.item_stats (console, session_id, started_at, course, course_number, dim, key, agency, tag, prompt, tags, answered, correct, pretest_answered, pretest_correct)
    SELECT s.console, s.id, s.started_at, s.course, s.course_number, d.dim, d.key, d.agency, d.tag, d.prompt, d.tags, d.answered, d.correct, d.answered / 4, d.answered / 8
    FROM muster.sessions s CROSS JOIN LATERAL (
      SELECT 'tag' AS dim, 'tag-' || g AS key, NULL AS agency, 'tag-' || g AS tag, NULL AS prompt, NULL::text[] AS tags, ${perSession * 5} AS answered, ${perSession * 4} - g AS correct FROM generate_series(0, 7) g
      UNION ALL SELECT 'agency', 'agency ' || a, 'Agency ' || a, NULL, NULL, NULL, ${(perSession / 20) * questions}, ${(perSession / 20) * 30} FROM generate_series(0, 19) a
      UNION ALL SELECT 'agency_tag', 'agency ' || a || chr(31) || 'tag-' || g, 'Agency ' || a, 'tag-' || g, NULL, NULL, ${(perSession / 20) * 5}, ${(perSession / 20) * 4} FROM generate_series(0, 19) a, generate_series(0, 7) g
      UNION ALL SELECT 'question', 'q' || q, NULL, NULL, 'Question ' || q, ARRAY['tag-' || (q % 8)], ${perSession}, ${perSession} * 3 / 4 FROM generate_series(0, ${questions - 1}) q
    ) d WHERE s.console LIKE 'muster_c_year_%'`);
  await admin.query(`
    INSERT INTO muster.agency_people (console, session_id, started_at, course, course_number, agency_key, officer_key)
    SELECT console, session_id, started_at, 'human-trafficking', 'HT-101', lower(agency), officer_key FROM muster.trainee_results WHERE console LIKE 'muster_c_year_%'`);
  await admin.query(
    `SELECT muster.refresh_item_month(m, 'human-trafficking') FROM (SELECT DISTINCT muster.month_of(started_at) AS m FROM muster.sessions WHERE console LIKE 'muster_c_year_%') x`,
  );
  await admin.query(`ANALYZE`);
  const counts = (
    await admin.query(
      `SELECT (SELECT count(*) FROM muster.responses)::bigint AS answers, (SELECT count(*) FROM muster.trainee_results)::int AS trainee_results, (SELECT count(*) FROM muster.item_stats)::int AS item_stats, pg_database_size(current_database()) AS bytes`,
    )
  ).rows[0];
  const generateSeconds = round((now() - t0) / 1000);
  const officer = (
    await admin.query(
      `SELECT officer_id FROM muster.trainee_results WHERE console = 'muster_c_year_3' LIMIT 1 OFFSET 1234`,
    )
  ).rows[0].officer_id as string;
  step('timing the records office queries');
  let rosterRows = 0;
  const month = { from: '2025-06-01', to: '2025-06-30' };
  const year = { from: '2025-01-01', to: '2025-12-31' };
  const roster = await timed(
    async () =>
      (rosterRows = ((await officeRosterSheets(admin, month))[0].rows as unknown[][]).length - 1),
  );
  const rosterFile = await timed(async () => writeXlsx(await officeRosterSheets(admin, month)));
  let historySessions = 0;
  const history = await timed(
    async () => (historySessions = (await officeHistory(admin, officer)).sessions.length),
  );
  let weakAnswers = 0;
  const weak = await timed(
    async () => (weakAnswers = (await officeWeakSpots(admin, year)).answers),
  );
  return {
    rooms,
    sessions,
    answers: Number(counts.answers),
    traineeResults: counts.trainee_results,
    itemStats: counts.item_stats,
    databaseGb: round(Number(counts.bytes) / 2 ** 30),
    generateSeconds,
    monthRoster: { ...roster, rows: rosterRows },
    monthRosterAsXlsxFile: rosterFile,
    officerHistory: { ...history, sessions: historySessions },
    yearWeakSpots: { ...weak, answers: weakAnswers },
    targetMs: 1000,
  };
}

// ------------------------------------------------------------------ answer acks with and without the pusher
function startWorker(): Promise<{ proc: ChildProcess; call<T>(m: object): Promise<T> }> {
  const proc = fork(path.join(import.meta.dirname, 'worker.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();
  let id = 0;
  return new Promise((resolve) => {
    const w = {
      proc,
      call<T>(m: object) {
        const k = id++;
        proc.send({ ...m, id: k });
        return new Promise<T>((res, rej) =>
          pending.set(k, (r) => (r.ok ? res(r.result as T) : rej(new Error(r.error)))),
        );
      },
    };
    proc.on('message', (m: { ready?: boolean; id?: number; ok: boolean }) =>
      m.ready ? resolve(w) : pending.get(m.id!)?.(m),
    );
  });
}

async function classAcks(credential: string | null): Promise<{
  p50: number;
  p99: number;
  max: number;
  p99ByRound: number[];
  samples: number;
  pushedDuringClass: number;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-bench-acks-'));
  // A backlog: yesterday's class day, not yet sent (with the pusher) or already sent (without).
  const backlog = new Records(path.join(dataDir, 'muster.sqlite'));
  recordClass(backlog, {
    id: 'YESTERDAY',
    start: Date.UTC(2025, 5, 1, 13),
    officers: officers(300, 'Y'),
    questions: 40,
    batch: 2000,
  });
  const waitingBefore = replicationState(backlog.db).waiting;
  backlog.close();
  if (credential)
    fs.writeFileSync(path.join(dataDir, CREDENTIAL_FILE), credential, { mode: 0o600 });
  step('starting muster serve');
  const proc = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin/muster.js'),
      'serve',
      '--json',
      '--no-open',
      '--port',
      '0',
      '--data',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = JSON.parse(
    await new Promise<string>((r) =>
      readline.createInterface({ input: proc.stdout! }).once('line', r),
    ),
  ) as { console: string; join: string };
  const c = new URL(urls.console);
  const con = new WebSocket(
    `ws://127.0.0.1:${c.port}/ws/instructor?role=console&token=${c.searchParams.get('token')}`,
    { perMessageDeflate: false },
  );
  type View = { session?: { slide?: { question?: unknown } } | null };
  const seen: { last: View | null } = { last: null };
  const results = new Map<string, () => void>();
  con.on('message', (d) => {
    const m = JSON.parse(String(d)) as { t: string; id?: string };
    if (m.t === 'console') seen.last = m as View;
    if (m.t === 'result' && m.id) results.get(m.id)?.();
  });
  await new Promise((r) => con.once('open', r));
  let n = 0;
  const cmd = (x: object) =>
    new Promise<void>((resolve) => {
      const id = `benchcmd${n++}`;
      results.set(id, resolve);
      con.send(JSON.stringify({ t: 'cmd', id, cmd: x }));
    });
  await cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
  for (let i = 0; i < 10 && !seen.last?.session?.slide?.question; i++) {
    await cmd({ type: 'next' });
    await new Promise((r) => setTimeout(r, 50));
  }
  const roomCode = (
    (await (
      await fetch(`http://127.0.0.1:${c.port}/api/sessions?token=${c.searchParams.get('token')}`)
    ).json()) as { room_code: string }[]
  )[0].room_code;
  step('joining the class');
  const workers = await Promise.all([0, 1, 2].map(() => startWorker()));
  const per = Math.ceil(CLASS / workers.length);
  await Promise.all(
    workers.map((w, i) =>
      w.call({
        cmd: 'join',
        url: `ws://127.0.0.1:${new URL(urls.join).port}/ws/trainee`,
        roomCode,
        from: i * per,
        count: Math.min(per, CLASS - i * per),
      }),
    ),
  );
  const acks: number[] = [];
  const perRound: number[] = [];
  step('asking questions');
  for (let r = 0; r < ROUNDS; r++) {
    await Promise.all(workers.map((w) => w.call({ cmd: 'resetQuestion' }).catch(() => undefined)));
    await cmd({ type: 'openQuestion' });
    if (process.env.BENCH_DEBUG) step(`round ${r}: question open`);
    await Promise.all(workers.map((w) => w.call({ cmd: 'questionTimes' })));
    if (process.env.BENCH_DEBUG) step(`round ${r}: phones have it`);
    const a = await Promise.all(
      workers.map((w) =>
        w.call<{ sentAts: number[]; ackAts: number[] }>({
          cmd: 'answer',
          options: ['Days', 'Evenings', 'Nights', 'Rotating'],
          spreadMs: 1000,
        }),
      ),
    );
    const roundAcks: number[] = [];
    for (const x of a) x.ackAts.forEach((ack, i) => ack && roundAcks.push(ack - x.sentAts[i]));
    acks.push(...roundAcks);
    perRound.push(pct(roundAcks, 99));
    await cmd({ type: 'closeQuestion' });
    // Between questions the pusher may send (it pauses while one is open).
    await new Promise((res) => setTimeout(res, 1500));
  }
  con.close();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  // A worker leaves without answering "exit".
  for (const w of workers) w.proc.kill('SIGTERM');
  const after = new Records(path.join(dataDir, 'muster.sqlite'));
  const waitingAfter = replicationState(after.db);
  after.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    p50: pct(acks, 50),
    p99: pct(acks, 99),
    max: pct(acks, 100),
    p99ByRound: perRound,
    samples: acks.length,
    pushedDuringClass: credential ? waitingAfter.acked : 0,
    ...(credential ? { backlogAtStart: waitingBefore } : {}),
  };
}

async function main() {
  // BENCH_PG_FAST=1: the records server without fsync (to tell the disk it shares here from the rest).
  const server = await startPostgres({ fast: process.env.BENCH_PG_FAST === '1' });
  const admin = new pg.Client(server.url);
  try {
    await admin.connect();
    await initSchema(admin);
    step('push rate');
    const push = part('push') ? await pushRate(server.url, admin) : null;
    step('answer acks without the pusher');
    const without = part('acks') ? await classAcks(null) : null;
    step('answer acks with the pusher');
    const e = await enrolConsole(admin, 'Bench class', server.url);
    const withPusher = part('acks') ? await classAcks(e.url) : null;
    step('a synthetic year');
    const year = part('year') ? await syntheticYear(admin) : null;
    console.log(
      JSON.stringify(
        {
          recordsServer: {
            push,
            answerAckMs: {
              trainees: CLASS,
              rounds: ROUNDS,
              withoutPusher: without,
              withPusher,
              p99Ratio:
                withPusher && without ? round((withPusher.p99 / without.p99) * 100) / 100 : null,
              target: 'with ≤ 1.2 × without',
            },
            year,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await admin.end().catch(() => undefined);
    await server.stop();
  }
}

await main();
