/**
 * The academy records server against a real PostgreSQL (a throwaway cluster on a free port), with
 * two consoles (two data folders, two enrolled logins) pushing from real worker threads:
 * - the link is cut mid-push and a console is restarted mid-push; both resume; a full replay
 *   inserts nothing; a correction made after the push arrives as new rows; afterwards every table
 *   on the server matches each console's SQLite records exactly, and nothing is doubled;
 * - the derived results are the console's own (an officer's pre-test from the other room counts in
 *   the knowledge gain), the weak spots (with their pre-test baseline, from the monthly sums and
 *   from single sessions) and the roster (laid out by the shipped and the academy's own export
 *   profiles, as workbook, CSV and PDF) are what a console computes over both rooms, in the
 *   academy's time zone;
 * - a console cannot insert as the other, read the log, or write after it is revoked; staff read only.
 * (A laptop restored from a backup: records-server-restore.test.ts.)
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { REPLICATED } from '../../main/records/replicated';
import { initSchema } from '../../main/records-server/schema';
import { createStaffLogin, revokeConsole } from '../../main/records-server/roles';
import type { Enrolment } from '../../main/records-server/roles';
import { deriveAll } from '../../main/records-server/derive';
import { memoryRecords } from '../../main/records-server/load';
import {
  officeHistory,
  officeRoster,
  officeRosterSheets,
  officeWeakSpots,
} from '../../main/records-server/queries';
import {
  certificationRosterSheets,
  rosterPdf,
  rosterPdfOf,
  traineeHistory,
  weakSpots,
} from '../../main/records/export';
import type { Department } from '../../main/records/department';
import type { Cell, PdfDoc } from '../../main/records/export';
import type { ExportProfile } from '../../shared/export-profiles';
import { clockFor } from '../../shared/clock';
import { correctAttendance } from '../../main/records/attendance';
import type { TestPostgres } from '../helpers/postgres';
import { startCutProxy } from '../helpers/cut-proxy';
import { MIN, officers, recordClass } from '../helpers/class-records';
import {
  expectSameRecords,
  runner,
  startRecordsServer,
  until,
  upToDate,
} from '../helpers/records-server';
import type { RecordsServer } from '../helpers/records-server';

let rs: RecordsServer;
let server: TestPostgres;
let admin: pg.Client;
let room1: Enrolment;
let room2: Enrolment;
const folder = () => rs.folder();

beforeAll(async () => {
  rs = await startRecordsServer();
  ({ server, admin, room1, room2 } = rs);
});
afterAll(async () => {
  await rs?.stop();
});

const DAY1 = Date.UTC(2026, 2, 3, 14);
/** The academy's department profile: its clock is not UTC, so a day or a time read in UTC would show. */
const ACADEMY: Department = {
  agency: 'Regional Academy',
  state: 'TX',
  timeZone: 'America/Chicago',
  instructors: [{ name: 'Ruiz', id: 'I-77' }],
};
/** The academy's own roster layout: only those who earned the credit, a fixed provider number, US dates, 12-hour times. */
const CREDIT_ONLY: ExportProfile = {
  id: 'credit-only',
  name: 'Credit earned',
  note: '',
  dateFormat: 'MM/DD/YYYY',
  timeFormat: 'h:mm AM',
  include: 'credit',
  columns: [
    { field: 'fixed', header: 'Provider', value: '=PROV 42' },
    { field: 'officerId', header: '' },
    { field: 'fullName', header: 'Name' },
    { field: 'dates', header: 'Dates' },
    { field: 'startTime', header: 'Start' },
    { field: 'instructors', header: 'Instructors' },
    { field: 'pretest', header: 'Pre' },
    { field: 'posttest', header: 'Post' },
    { field: 'certificate', header: 'Certificate' },
  ],
};
const shared = officers(6, 'S', ['Riverside PD', 'County Sheriff']);
/** Room 2 sends about 145 KB in all (batches of 50 changes): the link goes quiet a quarter of the way. */
const HOLD_AFTER = 40_000;

describe('two consoles and the records server', () => {
  const a = { dir: '', records: null as unknown as Records };
  const b = { dir: '', records: null as unknown as Records };

  it('push through a cut link and a restart; a replay inserts nothing; every table matches', async () => {
    a.dir = folder();
    b.dir = folder();
    a.records = new Records(path.join(a.dir, 'muster.sqlite'));
    b.records = new Records(path.join(b.dir, 'muster.sqlite'));
    // Room 1 gives the pre-test in the morning; Room 2 the post-test a week later, some officers in both.
    recordClass(a.records, {
      id: 'A1',
      start: DAY1,
      officers: [...shared, ...officers(20, 'A')],
      questions: 8,
      pretest: true,
    });
    recordClass(b.records, {
      id: 'B1',
      start: DAY1 + 7 * 24 * 60 * MIN,
      officers: [...officers(15, 'B'), ...shared],
      questions: 6,
      posttest: true,
    });

    // Room 1 through a proxy that cuts the link in the middle of the push.
    const proxy = await startCutProxy(server.port);
    const viaProxy = room1.url.replace(`:${server.port}/`, `:${proxy.port}/`);
    const cut = proxy.cutAfter(25_000);
    const ra = runner(a.records, viaProxy);
    await cut;
    const afterCut = Number(
      (await admin.query(`SELECT hwm FROM muster.consoles WHERE login = $1`, [room1.login])).rows[0]
        .hwm,
    );
    expect(afterCut).toBeLessThan(replicationState(a.records.db).last);
    await until(
      'room 1 to report the cut',
      () => ra.status().state === 'unreachable' || ra.status().state === 'up-to-date',
    );

    // Room 2 is restarted in the middle of its push: its pusher stops, its records file closes and
    // opens again. The link holds a request half sent, so the restart comes mid-push however fast
    // the batches before it went.
    const quiet = await startCutProxy(server.port);
    const held = quiet.holdAfter(HOLD_AFTER);
    let rb = runner(b.records, room2.url.replace(`:${server.port}/`, `:${quiet.port}/`), {
      batchSize: 50,
    });
    await held;
    await until(
      'room 2 to send something',
      async () =>
        Number(
          (await admin.query(`SELECT hwm FROM muster.consoles WHERE login = $1`, [room2.login]))
            .rows[0].hwm,
        ) > 0,
    );
    await rb.stop();
    quiet.cut();
    await quiet.close();
    b.records.close();
    b.records = new Records(path.join(b.dir, 'muster.sqlite'));
    expect(replicationState(b.records.db).waiting).toBeGreaterThan(0);
    rb = runner(b.records, room2.url, { batchSize: 50 });

    await until('room 1 to be up to date', upToDate(a.records, ra));
    await until('room 2 to be up to date', upToDate(b.records, rb));
    expect(proxy.connections).toBeGreaterThan(1);

    // A correction after the push arrives as new rows.
    const before = replicationState(a.records.db).last;
    const fix = correctAttendance(
      a.records,
      'A1',
      {
        traineeId: 'A1-t4',
        checkIn: new Date(DAY1 + 5 * MIN).toISOString(),
        reason: 'late sign-in sheet',
      },
      clockFor(ACADEMY.timeZone!),
      DAY1 + 400 * MIN,
    );
    expect(fix.ok).toBe(true);
    ra.poke();
    await until(
      'the correction to arrive',
      async () =>
        Number(
          (await admin.query(`SELECT hwm FROM muster.consoles WHERE login = $1`, [room1.login]))
            .rows[0].hwm,
        ) > before,
    );
    await until('room 1 to be up to date again', upToDate(a.records, ra));
    await ra.stop();
    await rb.stop();
    await proxy.close();

    for (const [records, login] of [
      [a.records, room1.login],
      [b.records, room2.login],
    ] as const) {
      await expectSameRecords(admin, records, login);
      // Nothing doubled: one log row per change, numbered without a gap, and all pruned from the outbox.
      const log = (
        await admin.query(
          `SELECT count(*)::int AS n, max(seq)::int AS last FROM muster.change_log WHERE console = $1`,
          [login],
        )
      ).rows[0];
      expect(log).toEqual({
        n: replicationState(records.db).last,
        last: replicationState(records.db).last,
      });
      expect(records.db.prepare(`SELECT COUNT(*) FROM outbox`).pluck().get()).toBe(0);
    }

    // A full replay of room 1's log, as room 1: inserts nothing.
    const all = (
      await admin.query(
        `SELECT seq, epoch, tbl, kind, row::text AS row FROM muster.change_log WHERE console = $1 ORDER BY seq`,
        [room1.login],
      )
    ).rows;
    const c = new pg.Client(room1.url);
    await c.connect();
    const replay = await c.query(
      `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest)
       SELECT current_user, b.seq, 'replay', b.tbl, b.kind, b.row::jsonb, md5(b.tbl || b.kind || b.row)
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS b(seq, tbl, kind, row) ON CONFLICT DO NOTHING`,
      [all.map((r) => r.seq), all.map((r) => r.tbl), all.map((r) => r.kind), all.map((r) => r.row)],
    );
    await c.end();
    expect(replay.rowCount).toBe(0);
    await expectSameRecords(admin, a.records, room1.login);
  });

  it("derives each room's results with the console's code, pre-tests found across rooms", async () => {
    await admin.query(`INSERT INTO muster.settings (key, value) VALUES ('department', $1)`, [
      JSON.stringify(ACADEMY),
    ]);
    expect(await deriveAll(admin, DAY1 + 30 * 24 * 60 * MIN)).toBeGreaterThan(0);
    // The console's own computation over both rooms' records together.
    const merged = memoryRecords();
    for (const src of [a.records, b.records])
      for (const t of REPLICATED) {
        // A local number (attendance.seq …) is per laptop: the merged copy numbers its rows anew, in order.
        const local = t.key.length === 1 && t.columns[t.key[0]] === 'bigint';
        const cols = Object.keys(t.columns).filter((c) => !(local && c === t.key[0]));
        const rows = src.db
          .prepare(`SELECT ${cols.join(', ')} FROM ${t.name} ORDER BY rowid`)
          .raw()
          .all() as unknown[][];
        const ins = merged.db.prepare(
          `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        );
        for (const r of rows) ins.run(r);
      }
    const o = { now: DAY1 + 30 * 24 * 60 * MIN, department: ACADEMY, profiles: [CREDIT_ONLY] };
    const officer = shared[1].officerId;
    const h = await officeHistory(admin, officer.toLowerCase(), o);
    expect(h.sessions.map((s) => s.room)).toEqual(['Room 1', 'Room 2']);
    const { sessions: hs, ...hRest } = traineeHistory(merged, officer, o);
    expect({ ...h, sessions: h.sessions.map(({ room: _r, ...s }) => s) }).toEqual({
      ...hRest,
      sessions: hs,
    });
    // The knowledge gain: Room 2's post-test against the pre-test taken in Room 1.
    const b1 = (
      await admin.query(
        `SELECT result FROM muster.trainee_results WHERE session_id = 'B1' AND officer_key = $1`,
        [officer],
      )
    ).rows[0].result;
    expect(b1.pretestPercent).not.toBeNull();
    expect(b1.posttestPercent).not.toBeNull();
    expect(b1.gain).toBe(Math.round((b1.posttestPercent - b1.pretestPercent) * 10) / 10);
    const range = { from: '2026-03-01', to: '2026-03-31' };
    // The roster as the shipped generic profile and the academy's credit-only one lay it out.
    for (const profile of ['post-roster', 'credit-only']) {
      const ro = { ...o, profiles: profile === 'post-roster' ? undefined : o.profiles, profile };
      const sheets = await officeRosterSheets(admin, range, ro);
      expect(sheets, profile).toEqual(certificationRosterSheets(merged, range, ro));
      // The PDF's definition, its page footer (a function of the page) drawn for page 2 of 3.
      const pdf = (d: PdfDoc) =>
        JSON.stringify({
          ...d,
          footer: (d.footer as (page: number, pages: number) => unknown)(2, 3),
        });
      expect(pdf(rosterPdfOf(await officeRoster(admin, range, ro), range, ro)), profile).toBe(
        pdf(rosterPdf(merged, range, ro)),
      );
      expect((sheets[0].rows as Cell[][]).length, profile).toBeGreaterThan(
        profile === 'credit-only' ? 1 : 40,
      );
    }
    // One room's roster, times in the academy's zone: Room 1 started at 14:00 UTC, 08:00 in Chicago.
    const room1Rows = (
      await officeRosterSheets(admin, { ...range, room: 'Room 1' }, { ...o, profiles: undefined })
    )[0].rows as Cell[][];
    expect(room1Rows.length).toBe(1 + 26);
    expect(room1Rows[1][7]).toBe('08:00');
    const byKey = <T extends object>(xs: T[], k: (x: T) => string) =>
      Object.fromEntries(xs.map((x) => [k(x), x]));
    // One month (single sessions' counts), and a span of whole months (the monthly sums).
    for (const r of [range, { from: '2026-02-01', to: '2026-04-30' }]) {
      const weak = await officeWeakSpots(admin, r, o);
      const local = weakSpots(merged, r, o);
      expect(weak.pretestAnswers, r.from).toBeGreaterThan(0);
      expect(
        {
          ...weak,
          byQuestion: byKey(weak.byQuestion, (x) => x.questionId),
          byAgencyTag: byKey(weak.byAgencyTag, (x) => x.agency + x.tag),
        },
        r.from,
      ).toEqual({
        ...local,
        byQuestion: byKey(local.byQuestion, (x) => x.questionId),
        byAgencyTag: byKey(local.byAgencyTag, (x) => x.agency + x.tag),
      });
    }

    // Results derived by an older Muster: init has every session derived again, once.
    const dirty = async () =>
      Number((await admin.query(`SELECT count(*) AS n FROM muster.dirty_sessions`)).rows[0].n);
    expect(await dirty()).toBe(0);
    await admin.query(`UPDATE muster.settings SET value = '1' WHERE key = 'derived'`);
    await initSchema(admin);
    expect(await dirty()).toBe(2);
    await deriveAll(admin, o.now);
    await initSchema(admin);
    expect(await dirty()).toBe(0);
    expect(await officeRosterSheets(admin, range, o)).toEqual(
      certificationRosterSheets(merged, range, o),
    );
    merged.close();
  });

  it('a console adds only its own changes, reads nothing, and stops at revoke; staff only read', async () => {
    const c = new pg.Client(room1.url);
    c.on('error', () => undefined);
    await c.connect();
    const row = (login: string, seq: number) =>
      c.query(
        `INSERT INTO muster.change_log (console, seq, epoch, tbl, kind, row, digest) VALUES ($1, $2, 'x', 'sessions', 'I', '{"id":"FAKE"}', 'd')`,
        [login, seq],
      );
    await expect(row(room2.login, 99_999)).rejects.toThrow(/row-level security/);
    await expect(c.query(`SELECT count(*) FROM muster.change_log`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(c.query(`SELECT * FROM muster.sessions`)).rejects.toThrow(/permission denied/);
    await expect(c.query(`UPDATE muster.change_log SET tbl = 'x'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(c.query(`DELETE FROM muster.change_log`)).rejects.toThrow(/permission denied/);
    await expect(c.query(`SELECT * FROM muster.consoles`)).rejects.toThrow(/permission denied/);
    // Its own cursor, nobody else's.
    const mine = (await c.query(`SELECT hwm FROM muster.my_cursor()`)).rows[0];
    expect(Number(mine.hwm)).toBe(replicationState(a.records.db).last);

    const staff = await createStaffLogin(admin, 'records office', server.url);
    const s = new pg.Client(staff.url);
    s.on('error', () => undefined);
    await s.connect();
    expect(
      Number((await s.query(`SELECT count(*) AS n FROM muster.trainee_results`)).rows[0].n),
    ).toBeGreaterThan(0);
    expect(
      Number((await s.query(`SELECT count(*) AS n FROM muster.change_log`)).rows[0].n),
    ).toBeGreaterThan(0);
    await expect(s.query(`INSERT INTO muster.settings VALUES ('x', '{}')`)).rejects.toThrow(
      /read-only|permission denied/,
    );
    await s.end();

    expect((await revokeConsole(admin, 'Room 1')).map((x) => x.login)).toEqual([room1.login]);
    // Its open connection was ended, and it cannot log in again.
    await expect(row(room1.login, 100_000)).rejects.toThrow();
    const again = new pg.Client(room1.url);
    await expect(again.connect()).rejects.toThrow(
      /not permitted to log in|password authentication failed/,
    );
    expect(
      Number(
        (await admin.query(`SELECT count(*) AS n FROM muster.change_log WHERE seq >= 99999`))
          .rows[0].n,
      ),
    ).toBe(0);
  });
});
