/**
 * Attendance corrections and the department profile on a real server with a real SQLite file:
 * a correction changes the Attendance sheet (read back with SheetJS) and lands in the Audit log with
 * its reason; every bad correction gets a 400 and stores nothing; the department profile round-trips
 * through PUT and changes the exports; an invalid profile is refused and saves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import type { Settings } from '../../main/settings';
import type { RecordOp } from '../../main/session/engine';
import type { AttendanceRow, DepartmentReply } from '../../shared/records';
import { ROOT } from '../helpers/app';

let app: MusterApp;
let base: string;
let settings: Settings;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-attendance-'));

const MIN = 60_000;
const START = Date.UTC(2025, 4, 6, 14, 0); // 2025-05-06T14:00Z, two hours
const END = START + 120 * MIN;
const S1 = '33333333-3333-4333-8333-333333333333';
const LIVE = '44444444-4444-4444-8444-444444444444';
const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');
/** How an error message writes an instant: this computer's time, to the minute. */
const at = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Ana's phone died 30 minutes in (she signed the paper sheet); Ben stayed; Cara never connected after joining late. */
function classOps(): RecordOp[] {
  return [
    {
      op: 'session',
      id: S1,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking Awareness',
      courseNumber: '3270',
      creditHours: 2,
      passMark: null,
      file: 'm.md',
      title: 'Identify and respond',
      at: START,
    },
    {
      op: 'trainee',
      id: 'ana',
      sessionId: S1,
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Riverside PD',
      at: START + 2 * MIN,
    },
    { op: 'attendance', sessionId: S1, traineeId: 'ana', event: 'join', at: START + 2 * MIN },
    { op: 'attendance', sessionId: S1, traineeId: 'ana', event: 'leave', at: START + 30 * MIN },
    {
      op: 'trainee',
      id: 'ben',
      sessionId: S1,
      name: 'Ben Cole',
      officerId: 'TX-2231',
      agency: 'County Sheriff',
      at: START + 3 * MIN,
    },
    { op: 'attendance', sessionId: S1, traineeId: 'ben', event: 'join', at: START + 3 * MIN },
    { op: 'end', sessionId: S1, at: END },
  ];
}

beforeAll(async () => {
  settings = memorySettings();
  app = await createApp(
    { dataDir, contentDir: path.join(ROOT, 'content'), settings },
    { port: 0, lanHost: '127.0.0.1' },
  );
  base = `http://127.0.0.1:${app.consolePort}`;
  app.records.apply(classOps());
  // A class still running: started 20 minutes ago.
  const liveStart = Date.now() - 20 * MIN;
  app.records.apply([
    {
      op: 'session',
      id: LIVE,
      roomCode: '654321',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking Awareness',
      courseNumber: '3270',
      creditHours: 2,
      passMark: null,
      file: 'm.md',
      title: 'Live',
      at: liveStart,
    },
    {
      op: 'trainee',
      id: 'dev',
      sessionId: LIVE,
      name: 'Dev Patel',
      officerId: '00902',
      agency: 'Riverside PD',
      at: liveStart + MIN,
    },
    { op: 'attendance', sessionId: LIVE, traineeId: 'dev', event: 'join', at: liveStart + MIN },
  ]);
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const headers = (token: string | null = app.token): Record<string, string> =>
  token ? { 'X-Muster-Token': token } : {};
const get = (p: string) => fetch(`${base}${p}`, { headers: headers() });
const send = (method: string, p: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(`${base}${p}`, {
    method,
    headers: { ...headers(), 'Content-Type': 'application/json', ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const correct = (body: unknown, session = S1) =>
  send('POST', `/api/sessions/${session}/attendance-corrections`, body);
const attendanceRows = async (session = S1) =>
  (await (await get(`/api/sessions/${session}/attendance`)).json()) as AttendanceRow[];
const book = async () =>
  XLSX.read(Buffer.from(await (await get(`/api/sessions/${S1}/export.xlsx`)).arrayBuffer()), {
    type: 'buffer',
  });
const sheet = (wb: XLSX.WorkBook, name: string) =>
  XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[name], { defval: '' });
const count = (table: string) =>
  (app.records.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('attendance corrections', () => {
  it('lists the attendance as recorded: Ana checked out when her phone died', async () => {
    const rows = await attendanceRows();
    expect(
      rows.map((r) => [
        r.name,
        r.officerId,
        r.checkIn,
        r.checkOut,
        r.minutesPresent,
        r.corrected,
        r.reason,
      ]),
    ).toEqual([
      ['Ana Ortiz', '00417', iso(START + 2 * MIN), iso(START + 30 * MIN), 28, false, null],
      ['Ben Cole', 'TX-2231', iso(START + 3 * MIN), iso(END), 117, false, null],
    ]);
    const wb = await book();
    expect(sheet(wb, 'Scores').find((r) => r.Name === 'Ana Ortiz')?.['Credit earned']).toBe('No');
    expect(
      (await get('/api/sessions/00000000-0000-4000-8000-000000000000/attendance')).status,
    ).toBe(404);
  });

  it('refuses each bad correction with a 400 that says why, and stores nothing', async () => {
    const before = {
      corrections: count('attendance_corrections'),
      audit: count('audit_log'),
      rows: await attendanceRows(),
    };
    const cases: [unknown, RegExp][] = [
      [{ traineeId: 'ana', checkOut: iso(END) }, /reason: a reason is required/],
      [{ traineeId: 'ana', checkOut: iso(END), reason: '   ' }, /a reason is required/],
      [{ traineeId: 'ana', checkOut: iso(END), reason: 'x'.repeat(501) }, /at most 500 characters/],
      [{ traineeId: 'ana', reason: 'no times' }, /give a corrected check-in or check-out time/],
      [
        {
          traineeId: 'ana',
          checkIn: iso(START + 60 * MIN),
          checkOut: iso(START + 50 * MIN),
          reason: 'Paper sheet',
        },
        new RegExp(
          `check-out \\(${at(START + 50 * MIN)}\\) is before the check-in \\(${at(START + 60 * MIN)}\\)`,
        ),
      ],
      // Only the check-out given, but before her recorded check-in.
      [
        { traineeId: 'ana', checkOut: iso(START + MIN), reason: 'Paper sheet' },
        /check-out .* is before the check-in/,
      ],
      [
        { traineeId: 'ana', checkIn: iso(START - 30 * MIN), reason: 'Paper sheet' },
        new RegExp(
          `check-in \\(${at(START - 30 * MIN)}\\) is outside the session: it must be between ${at(START)} and ${at(END)}\\.`,
        ),
      ],
      [
        { traineeId: 'ana', checkOut: iso(END + MIN), reason: 'Paper sheet' },
        /check-out .* is outside the session/,
      ],
      [
        { traineeId: 'nobody', checkIn: iso(START + 5 * MIN), reason: 'Paper sheet' },
        /no trainee "nobody" in this session/,
      ],
      // Dev is a trainee of the other session, not of this one.
      [
        { traineeId: 'dev', checkIn: iso(START + 5 * MIN), reason: 'Paper sheet' },
        /no trainee "dev" in this session/,
      ],
      [
        { traineeId: 'ana', checkIn: 'yesterday at nine', reason: 'Paper sheet' },
        /checkIn: times are ISO 8601/,
      ],
      [
        { traineeId: 'ana', checkIn: iso(START + 5 * MIN), reason: 'Paper sheet', extra: 1 },
        /Unrecognized key/,
      ],
      ['{"traineeId": "ana", "checkIn": ', /not valid JSON/],
      [[1, 2], /expected object/],
    ];
    for (const [body, message] of cases) {
      const res = await correct(body);
      const reply = (await res.json()) as { ok: boolean; message: string };
      expect([res.status, reply.ok], JSON.stringify(body)).toEqual([400, false]);
      expect(reply.message).toMatch(message);
      expect(reply.message).toMatch(/Nothing was changed\.$/);
    }
    // In a running class, "now" is the end: a check-in in the future is refused.
    const future = await correct(
      { traineeId: 'dev', checkIn: iso(Date.now() + 10 * MIN), reason: 'Paper sheet' },
      LIVE,
    );
    expect(future.status).toBe(400);
    expect(((await future.json()) as { message: string }).message).toMatch(
      /outside the session: it must be between .* and now/,
    );

    // Not JSON, no token, another site, unknown session: refused before anything is read.
    expect(
      (
        await send('POST', `/api/sessions/${S1}/attendance-corrections`, 'traineeId=ana', {
          'Content-Type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await fetch(`${base}/api/sessions/${S1}/attendance-corrections`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await send(
          'POST',
          `/api/sessions/${S1}/attendance-corrections`,
          {},
          { Origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await correct(
          { traineeId: 'ana', checkIn: iso(START + 5 * MIN), reason: 'Paper sheet' },
          '00000000-0000-4000-8000-000000000000',
        )
      ).status,
    ).toBe(404);

    expect({
      corrections: count('attendance_corrections'),
      audit: count('audit_log'),
      rows: await attendanceRows(),
    }).toEqual(before);
  });

  it('a correction with a reason changes the Attendance sheet and appears in the Audit log with its reason', async () => {
    const reason = 'Phone battery died at 14:30; signed the paper sign-in sheet at 16:00';
    const res = await correct({ traineeId: 'ana', checkOut: iso(END), reason });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { ok: true; row: AttendanceRow };
    expect(reply.row).toMatchObject({
      traineeId: 'ana',
      checkIn: iso(START + 2 * MIN),
      checkOut: iso(END),
      minutesPresent: 118,
      corrected: true,
      reason,
    });

    const wb = await book();
    const att = sheet(wb, 'Attendance');
    expect(Object.keys(att[0])).toEqual(expect.arrayContaining(['Corrected', 'Correction reason']));
    // Local time to the minute, as the console shows it.
    expect(
      att.map((r) => [
        r.Name,
        r['Check-in'],
        r['Check-out'],
        r['Minutes present'],
        r['Connected intervals'],
        r['Early departure'],
        r.Corrected,
        r['Correction reason'],
      ]),
    ).toEqual([
      ['Ana Ortiz', at(START + 2 * MIN), at(END), 118, 1, 'No', 'Yes', reason],
      ['Ben Cole', at(START + 3 * MIN), at(END), 117, 1, 'No', 'No', ''],
    ]);
    // Present 118 of 120 minutes now: she earns the credit hours.
    expect(sheet(wb, 'Scores').find((r) => r.Name === 'Ana Ortiz')?.['Credit earned']).toBe('Yes');

    const audit = sheet(wb, 'Audit log').filter((r) => r.Action === 'correctAttendance');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      Actor: 'instructor',
      Entity: 'attendance',
      'Entity ID': 'ana',
      Reason: reason,
    });
    // What the records keep (ISO instants in JSON), as a person reads it.
    expect(audit[0].Before).toBe(
      `checkIn: ${at(START + 2 * MIN)}; checkOut: ${at(START + 30 * MIN)}`,
    );
    expect(audit[0].After).toBe(`checkIn: ${at(START + 2 * MIN)}; checkOut: ${at(END)}`);
    const stored = app.records.db
      .prepare(`SELECT before_json, after_json FROM audit_log WHERE action = 'correctAttendance'`)
      .get() as { before_json: string; after_json: string };
    expect(JSON.parse(stored.after_json)).toEqual({
      checkIn: iso(START + 2 * MIN),
      checkOut: iso(END),
    });
  });

  it('a later correction is a new row that wins; a check-in in the session’s first minute counts as its start', async () => {
    const corrections = count('attendance_corrections');
    // A datetime-local input has minute precision: 14:00 for a session that started at 14:00:00.000 or later in that minute.
    const res = await correct({
      traineeId: 'ana',
      checkIn: iso(START),
      reason: 'Signed in at the door before the start',
    });
    expect(res.status).toBe(200);
    const [ana] = await attendanceRows();
    // The check-out of the first correction is kept (left out of this one).
    expect([ana.checkIn, ana.checkOut, ana.minutesPresent, ana.reason]).toEqual([
      iso(START),
      iso(END),
      120,
      'Signed in at the door before the start',
    ]);
    expect(count('attendance_corrections')).toBe(corrections + 1);
    const wb = await book();
    expect(sheet(wb, 'Audit log').filter((r) => r.Action === 'correctAttendance')).toHaveLength(2);
    // The same again changes nothing, and says so.
    const again = await correct({ traineeId: 'ana', checkIn: iso(START), reason: 'again' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toMatch(
      /already the attendance on record/,
    );
  });
});

describe('the department profile', () => {
  it('PUT round-trips and changes the officer ID column and the pass mark of the exports', async () => {
    const initial = (await (await get('/api/department')).json()) as DepartmentReply;
    expect(initial).toEqual({
      department: {},
      profile: expect.objectContaining({ officerIdLabel: 'Officer ID', defaultPassMark: 70 }),
    });
    let wb = await book();
    expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Attendance, { header: 1 })[0]).toContain(
      'Officer ID',
    );

    const profile = {
      agency: 'Riverside Academy',
      state: 'TX',
      officerIdLabel: 'TCOLE PID',
      defaultPassMark: 85,
      attendanceRule: { minPresentPercent: 95, requirePass: false, basis: 'connected' as const },
      lateGraceMinutes: 5,
    };
    const res = await send('PUT', '/api/department', profile);
    expect(res.status).toBe(200);
    expect(((await res.json()) as DepartmentReply).profile).toEqual({
      ...profile,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      instructors: [],
    });
    expect(((await (await get('/api/department')).json()) as DepartmentReply).department).toEqual(
      profile,
    );
    expect(settings.get('department')).toEqual(profile);

    wb = await book();
    const header = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Attendance, { header: 1 })[0];
    expect(header[1]).toBe('TCOLE PID');
    expect(header).not.toContain('Officer ID');
    const summary = Object.fromEntries(
      XLSX.utils.sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 }),
    );
    expect([
      summary['Pass mark (%)'],
      summary['Pass mark set by'],
      summary['Presenting agency'],
      summary.State,
    ]).toEqual([85, 'Department default', 'Riverside Academy', 'TX']);
    expect(sheet(wb, 'Scores').every((r) => r['Pass mark %'] === 85)).toBe(true);
    expect(sheet(wb, 'Scores')[0]['TCOLE PID']).toBe('00417');

    // The time zone every export reads its times in: Ana's corrected check-in, 14:00 UTC, is 09:00 in Chicago (daylight time in May).
    const zoned = await send('PUT', '/api/department', { ...profile, timeZone: 'America/Chicago' });
    expect(((await zoned.json()) as DepartmentReply).profile.timeZone).toBe('America/Chicago');
    wb = await book();
    expect(sheet(wb, 'Attendance')[0]['Check-in']).toBe('2025-05-06 09:00');
    expect(
      Object.fromEntries(
        XLSX.utils.sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 }),
      )['Time zone'],
    ).toBe('America/Chicago (UTC−05:00)');
    expect((await send('PUT', '/api/department', profile)).status).toBe(200);
  });

  it('an invalid PUT is refused with a clear message and changes nothing', async () => {
    const before = structuredClone(settings.get('department'));
    const cases: [unknown, RegExp][] = [
      [{ defaultPassMark: 150 }, /defaultPassMark: the pass mark is 0 to 100/],
      [{ officerIdLabel: '' }, /officerIdLabel: the officer ID label cannot be empty/],
      [{ officerIdLabel: 'x'.repeat(41) }, /at most 40 characters/],
      [
        { attendanceRule: { basis: 'vibes' } },
        /attendanceRule.basis: the basis is "span" or "connected"/,
      ],
      [{ attendanceRule: { minPresentPercent: '90' } }, /attendanceRule.minPresentPercent/],
      [{ lateGraceMinutes: -1 }, /late grace is 0 to 240 minutes/],
      [{ timeZone: 'Central Time' }, /timeZone: the time zone is a name such as America\/Chicago/],
      [{ timeZone: 'UTC-6' }, /timeZone: the time zone is a name/],
      [{ instructors: [{ name: '', id: '1' }] }, /instructors.0.name: an instructor needs a name/],
      [{ instructors: [{ name: 'Ana', id: '1', rank: 'Sgt' }] }, /Unrecognized key.*rank/],
      [{ passMark: 80 }, /Unrecognized key.*passMark/],
      [{ attendanceRule: { minPercent: 80 } }, /Unrecognized key.*minPercent/],
      ['{"agency": "Riverside"', /not valid JSON/],
      ['"TCOLE PID"', /expected object/],
    ];
    for (const [body, message] of cases) {
      const res = await send('PUT', '/api/department', body);
      const reply = (await res.json()) as { message: string };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(reply.message).toMatch(message);
    }
    expect(
      (
        await fetch(`${base}/api/department`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect(settings.get('department')).toEqual(before);
    const wb = await book();
    expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Attendance, { header: 1 })[0][1]).toBe(
      'TCOLE PID',
    );
  });
});
