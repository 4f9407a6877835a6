/**
 * Attendance corrections on a real server with a real SQLite file: a correction changes the
 * Attendance sheet (read back with SheetJS) and lands in the Audit log with its reason; every bad
 * correction gets a 400 and stores nothing; a later correction is a new row that wins.
 */
import { describe, expect, it } from 'vitest';
import type { AttendanceRow } from '../../shared/records';
import { END, LIVE, MIN, S1, START, at, iso, useAttendanceApp } from '../helpers/attendance-app';

const { env, get, send, correct, attendanceRows, book, sheet, count } = useAttendanceApp();

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
        await fetch(`${env.base}/api/sessions/${S1}/attendance-corrections`, {
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
    const stored = env.app.records.db
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
