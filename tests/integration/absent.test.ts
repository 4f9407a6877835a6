/**
 * Rostered officers who never joined, on a real server: Attendance lists them as absent (in the
 * console's API and in the workbook); once the session has ended a correction from the paper sheet
 * marks them present, with its reason in the audit log, and nobody else's certificate number moves.
 */
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { readPdf } from '../helpers/pdf';
import type { RecordOp } from '../../main/session/engine';
import type { AttendanceRow } from '../../shared/records';

let app: TestApp;
const MIN = 60_000;
const START = Date.UTC(2025, 4, 6, 14, 0);
const END = START + 120 * MIN;
const ENDED = '55555555-5555-4555-8555-555555555555';
const LIVE = '66666666-6666-4666-8666-666666666666';
const iso = (ms: number) => new Date(ms).toISOString();

function classOps(id: string, start: number, ended: boolean): RecordOp[] {
  const people = [
    { t: `${id}-ana`, name: 'Ana Ortiz', officerId: '00417' },
    { t: `${id}-ben`, name: 'Ben Cole', officerId: '20481' },
  ];
  return [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking Awareness',
      courseNumber: '3270',
      creditHours: 2,
      passMark: null,
      file: 'm.md',
      title: 'M',
      at: start,
    },
    {
      op: 'roster',
      sessionId: id,
      name: 'Class',
      entries: [
        ...people.map((p) => ({
          officerId: p.officerId,
          name: p.name,
          agency: 'Riverside PD',
          email: '',
        })),
        {
          officerId: '00777',
          name: 'Rosa Alvarez',
          agency: 'Riverside PD',
          email: '',
          firstName: 'Rosa',
          lastName: 'Alvarez',
        },
      ],
      reason: 'Roster file imported',
      actor: 'instructor',
      at: start - MIN,
    },
    ...people.flatMap((p, i): RecordOp[] => [
      {
        op: 'trainee',
        id: p.t,
        sessionId: id,
        name: p.name,
        officerId: p.officerId,
        agency: 'Riverside PD',
        at: start + (i + 1) * MIN,
      },
      { op: 'attendance', sessionId: id, traineeId: p.t, event: 'join', at: start + (i + 1) * MIN },
    ]),
    ...(ended ? [{ op: 'end', sessionId: id, at: start + 120 * MIN } as RecordOp] : []),
  ];
}

beforeAll(async () => {
  app = await startTestApp();
  app.records.apply(classOps(ENDED, START, true));
  app.records.apply(classOps(LIVE, Date.now() - 30 * MIN, false));
});
afterAll(async () => {
  await app?.stop();
});

const get = (p: string) =>
  fetch(`${app.consoleBase}${p}`, { headers: { 'X-Muster-Token': app.token } });
const correct = (session: string, body: unknown) =>
  fetch(`${app.consoleBase}/api/sessions/${session}/attendance-corrections`, {
    method: 'POST',
    headers: { 'X-Muster-Token': app.token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const rows = async (session: string) =>
  (await (await get(`/api/sessions/${session}/attendance`)).json()) as AttendanceRow[];
const book = async () =>
  XLSX.read(Buffer.from(await (await get(`/api/sessions/${ENDED}/export.xlsx`)).arrayBuffer()), {
    type: 'buffer',
  });
const sheet = (wb: XLSX.WorkBook, name: string) =>
  XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[name], { defval: '' });

describe('rostered no-shows', () => {
  it('are in Attendance as absent, in the console and in the workbook', async () => {
    const list = await rows(ENDED);
    expect(
      list.map((r) => [r.name, r.officerId, r.absent, r.traineeId === null, r.checkIn]),
    ).toEqual([
      ['Ana Ortiz', '00417', false, false, iso(START + MIN)],
      ['Ben Cole', '20481', false, false, iso(START + 2 * MIN)],
      ['Rosa Alvarez', '00777', true, true, null],
    ]);
    const wb = await book();
    expect(
      sheet(wb, 'Attendance').map((r) => [r.Name, r['Officer ID'], r.Status, r['Check-in']]),
    ).toEqual([
      ['Ana Ortiz', '00417', 'Present', '2025-05-06 14:01'],
      ['Ben Cole', '20481', 'Present', '2025-05-06 14:02'],
      ['Rosa Alvarez', '00777', 'Absent', ''],
    ]);
    expect(
      Object.fromEntries(
        XLSX.utils.sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 }),
      )['Rostered, never joined'],
    ).toBe(1);
  });

  it('can still join while the class runs, so they are marked present only once it has ended', async () => {
    const absent = (await rows(LIVE)).find((r) => r.absent)!;
    const res = await correct(LIVE, {
      rosterEntryId: absent.rosterEntryId,
      checkIn: iso(Date.now() - 20 * MIN),
      reason: 'Signed the paper sheet',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      'Rosa Alvarez can still join on a phone while the class runs: mark them present once the session has ended. Nothing was changed.',
    );
  });

  it('refuses a mark-present without a check-in, for another session’s roster line, or naming both a trainee and a roster line', async () => {
    const rosa = (await rows(ENDED)).find((r) => r.absent)!;
    const other = (await rows(LIVE)).find((r) => r.absent)!;
    const cases: [unknown, RegExp][] = [
      [
        { rosterEntryId: rosa.rosterEntryId, checkOut: iso(END), reason: 'Paper sheet' },
        /Give the time Rosa Alvarez checked in/,
      ],
      [
        {
          rosterEntryId: other.rosterEntryId,
          checkIn: iso(START + 5 * MIN),
          reason: 'Paper sheet',
        },
        /is not an absent officer of this session/,
      ],
      [
        {
          rosterEntryId: rosa.rosterEntryId,
          traineeId: 'x',
          checkIn: iso(START + 5 * MIN),
          reason: 'Paper sheet',
        },
        /one of them/,
      ],
      [
        { rosterEntryId: rosa.rosterEntryId, checkIn: iso(END + 5 * MIN), reason: 'Paper sheet' },
        /outside the session/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await correct(ENDED, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    expect((await rows(ENDED)).filter((r) => r.absent)).toHaveLength(1);
  });

  it('once ended, a correction from the paper sheet makes them present, audit-logged; nobody else’s certificate number moves', async () => {
    const before = sheet(await book(), 'Scores').map((r) => [r.Name, r['Certificate number']]);
    const rosa = (await rows(ENDED)).find((r) => r.absent)!;
    const reason = 'Phone dead all day; signed the paper sign-in sheet at 14:05';
    const res = await correct(ENDED, {
      rosterEntryId: rosa.rosterEntryId,
      checkIn: iso(START + 5 * MIN),
      reason,
    });
    expect(res.status).toBe(200);
    const { row } = (await res.json()) as { row: AttendanceRow };
    // No check-out given: she stayed to the end.
    expect(row).toMatchObject({
      name: 'Rosa Alvarez',
      officerId: '00777',
      absent: false,
      checkIn: iso(START + 5 * MIN),
      checkOut: iso(END),
      corrected: true,
      reason,
      minutesPresent: 115,
    });

    const wb = await book();
    expect(
      sheet(wb, 'Attendance').map((r) => [
        r.Name,
        r.Status,
        r['Check-in'],
        r['Check-out'],
        r.Corrected,
      ]),
    ).toEqual([
      ['Ana Ortiz', 'Present', '2025-05-06 14:01', '2025-05-06 16:00', 'No'],
      ['Ben Cole', 'Present', '2025-05-06 14:02', '2025-05-06 16:00', 'No'],
      ['Rosa Alvarez', 'Present', '2025-05-06 14:05', '2025-05-06 16:00', 'Yes'],
    ]);
    const scores = sheet(wb, 'Scores').map((r) => [r.Name, r['Certificate number']]);
    expect(scores.slice(0, 2)).toEqual(before);
    expect(scores[2]).toEqual(['Rosa Alvarez', '3270-20250506-003']);
    const audit = sheet(wb, 'Audit log').filter((r) => r.Action === 'correctAttendance');
    expect(audit.map((r) => [r.Before, r.After, r.Reason])).toEqual([
      [
        'status: absent; officerId: 00777; name: Rosa Alvarez; rosterLine: ' + rosa.rosterEntryId,
        'status: present; checkIn: 2025-05-06 14:05; checkOut: 2025-05-06 16:00',
        reason,
      ],
    ]);
    expect((await rows(ENDED)).filter((r) => r.absent)).toEqual([]);

    // The sign-in sheet has her once, with her time.
    const pdf = await readPdf(
      Buffer.from(await (await get(`/api/sessions/${ENDED}/sign-in.pdf`)).arrayBuffer()),
    );
    expect(pdf.pages[0].match(/Alvarez/g)).toHaveLength(1);
    expect(pdf.pages[0]).toMatch(/Alvarez Rosa 00777 Riverside PD 14:05 16:00/);
  });
});
