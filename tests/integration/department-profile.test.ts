/**
 * The department profile on a real server with a real SQLite file: it round-trips through PUT and
 * changes the exports (the officer ID column, the pass mark, the time zone); an invalid profile is
 * refused and saves nothing.
 */
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentReply } from '../../shared/records';
import { END, START, iso, useAttendanceApp } from '../helpers/attendance-app';

const { env, get, send, correct, book, sheet } = useAttendanceApp();

// Ana's attendance as corrected by the records clerk (attendance-corrections.test.ts): checked
// out at the end, checked in at the start.
beforeAll(async () => {
  for (const body of [
    { traineeId: 'ana', checkOut: iso(END), reason: 'Signed the paper sheet' },
    { traineeId: 'ana', checkIn: iso(START), reason: 'Signed in at the door before the start' },
  ])
    if ((await correct(body)).status !== 200) throw new Error('the correction was refused');
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
    expect(env.settings.get('department')).toEqual(profile);

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
    const before = structuredClone(env.settings.get('department'));
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
        await fetch(`${env.base}/api/department`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect(env.settings.get('department')).toEqual(before);
    const wb = await book();
    expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Attendance, { header: 1 })[0][1]).toBe(
      'TCOLE PID',
    );
  });
});
