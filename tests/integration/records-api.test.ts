/**
 * The records API on a real server: trainee search and history, the roster by date range (as a
 * workbook, a CSV for upload and a PDF, laid out by an export profile), CSV, the sign-in sheet and
 * results as PDF, weak spots; the department profile from settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import type { RecordOp } from '../../main/session/engine';
import type { QuestionDef } from '../../shared/question';
import type { TraineeHistory, TraineeMatch, WeakSpots } from '../../shared/records';
import { ROOT } from '../helpers/app';
import { readPdf } from '../helpers/pdf';

let app: MusterApp;
let base: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-records-api-'));

const MIN = 60_000;
const MAY = new Date(2025, 4, 6, 9).getTime();
const JUNE = new Date(2025, 5, 10, 13).getTime();
const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const XSS = '<img src=x onerror=alert(1)>';
const q = {
  id: 'ind-1',
  type: 'single',
  prompt: 'Which is an indicator, "scripted" or not?',
  options: ['Scripted answers', 'Own ID'],
  correct: 'Scripted answers',
  tags: ['indicators'],
} satisfies QuestionDef;

function classOps(id: string, start: number, courseNumber: string): RecordOp[] {
  const people = [
    {
      t: `${id}-a`,
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Riverside PD',
      answer: 'Scripted answers',
    },
    { t: `${id}-x`, name: XSS, officerId: '00123', agency: 'County, Sheriff', answer: 'Own ID' },
  ];
  return [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking & You',
      courseNumber,
      creditHours: 1.5,
      passMark: 80,
      file: 'm.md',
      title: 'Module',
      at: start,
    },
    ...people.flatMap((p, i): RecordOp[] => [
      {
        op: 'trainee',
        id: p.t,
        sessionId: id,
        name: p.name,
        officerId: p.officerId,
        agency: p.agency,
        at: start + i * 1000,
      },
      { op: 'attendance', sessionId: id, traineeId: p.t, event: 'join', at: start + i * 1000 },
    ]),
    {
      op: 'runOpen',
      runId: `${id}-r`,
      sessionId: id,
      slideIndex: 1,
      question: q,
      at: start + 5 * MIN,
      deadline: null,
    },
    ...people.map((p): RecordOp => ({
      op: 'answer',
      runId: `${id}-r`,
      sessionId: id,
      traineeId: p.t,
      msgId: `m-${p.t}`,
      value: p.answer,
      correct: p.answer === q.correct,
      at: start + 6 * MIN,
    })),
    { op: 'end', sessionId: id, at: start + 90 * MIN },
  ];
}

beforeAll(async () => {
  app = await createApp(
    {
      dataDir,
      contentDir: path.join(ROOT, 'content'),
      settings: memorySettings({
        department: { officerIdLabel: 'TCOLE PID', agency: 'Riverside Academy' },
      }),
    },
    { port: 0, lanHost: '127.0.0.1' },
  );
  base = `http://127.0.0.1:${app.consolePort}`;
  app.records.apply(classOps(S1, MAY, '3270'));
  app.records.apply(classOps(S2, JUNE, '3271'));
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (p: string, token: string | null = app.token) =>
  fetch(`${base}${p}`, { headers: token ? { 'X-Muster-Token': token } : {} });
const book = async (res: Response) =>
  XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });

describe('records API', () => {
  it('needs the console token', async () => {
    for (const p of [
      '/api/trainees?q=004',
      '/api/trainees/00417/history',
      `/api/sessions/${S1}/sign-in.pdf`,
      '/api/roster.xlsx',
      '/api/roster.pdf',
      '/api/export-profiles',
      '/api/weak-spots',
    ]) {
      expect((await get(p, null)).status).toBe(401);
      expect((await get(p, 'wrong')).status).toBe(401);
    }
  });

  it('finds trainees by name or officer ID across sessions', async () => {
    const byId = (await (await get('/api/trainees?q=0041')).json()) as { results: TraineeMatch[] };
    expect(byId.results).toEqual([
      expect.objectContaining({
        officerId: '00417',
        name: 'Ana Ortiz',
        agency: 'Riverside PD',
        sessions: 2,
      }),
    ]);
    const byName = (await (await get(`/api/trainees?q=${encodeURIComponent('ORTIZ')}`)).json()) as {
      results: TraineeMatch[];
    };
    expect(byName.results.map((r) => r.officerId)).toEqual(['00417']);
    expect(
      ((await (await get('/api/trainees?q=')).json()) as { results: unknown[] }).results,
    ).toEqual([]);
  });

  it("gives one trainee's history as JSON and as a workbook", async () => {
    const h = (await (await get('/api/trainees/00417/history')).json()) as TraineeHistory;
    expect(h.totalHours).toBe(3);
    expect(
      h.sessions.map((s) => [
        s.date,
        s.courseNumber,
        s.scorePercent,
        s.result,
        s.hoursAwarded,
        s.certificate,
      ]),
    ).toEqual([
      ['2025-05-06', '3270', 100, 'Pass', 1.5, '3270-20250506-001'],
      ['2025-06-10', '3271', 100, 'Pass', 1.5, '3271-20250610-001'],
    ]);
    const res = await get('/api/trainees/00417/history.xlsx');
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="muster-history-00417.xlsx"',
    );
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(
      (await book(res)).Sheets.History,
    );
    expect(rows.map((r) => r['TCOLE PID'])).toEqual(['00417', '00417']);
    expect((await get('/api/trainees/99999/history')).status).toBe(404);
    expect((await get('/api/trainees/%E0%A4%A/history')).status).toBe(400);
  });

  it('exports the certification roster by date range; bad dates get a 400 that says why', async () => {
    const wb = await book(await get('/api/roster.xlsx?from=2025-06-01&to=2025-06-30'));
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Roster);
    // By last name: the XSS name's last word is "onerror=alert(1)>".
    expect(
      rows.map((r) => [
        r['TCOLE PID'],
        r['Last name'],
        r['First name'],
        r['Date(s)'],
        r.Start,
        r['Course number'],
        r['Credit hours'],
        r['Pass/Fail'],
        r['Certificate number'],
      ]),
    ).toEqual([
      ['00123', 'onerror=alert(1)>', '<img src=x', '2025-06-10', '13:00', '3271', 0, 'Fail', ''],
      ['00417', 'Ortiz', 'Ana', '2025-06-10', '13:00', '3271', 1.5, 'Pass', '3271-20250610-001'],
    ]);
    expect(XLSX.utils.sheet_to_json(wb.Sheets.Roster, { header: 1 })).toHaveLength(3);

    // The same roster laid out for TCOLE, as a CSV for upload: its headers, US dates, IDs as typed.
    const csv = await get('/api/roster.csv?from=2025-06-01&to=2025-06-30&profile=tcole');
    expect([
      csv.status,
      csv.headers.get('content-type'),
      csv.headers.get('content-disposition'),
    ]).toEqual([
      200,
      'text/csv; charset=utf-8',
      'attachment; filename="muster-roster-tcole-2025-06-01-to-2025-06-30.csv"',
    ]);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'PID,Last Name,First Name,Agency,Course Number,Course Title,Begin Date,End Date,Start Time,End Time,Hours,Score,Pass/Fail,Instructor (PID),Location,Certificate Number',
    );
    expect(lines[2]).toBe(
      '00417,Ortiz,Ana,Riverside PD,3271,Human Trafficking & You,06/10/2025,06/10/2025,13:00,14:30,1.5,100,Pass,,,3271-20250610-001',
    );
    // And as a PDF to print.
    const pdf = await get('/api/roster.pdf?from=2025-06-01&to=2025-06-30&profile=fl-cjstc');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const printed = await readPdf(Buffer.from(await pdf.arrayBuffer()));
    expect(printed.size).toEqual([792, 612]);
    expect(printed.pages.join(' ')).toContain('Florida CJSTC');
    expect(printed.pages.join(' ')).toContain('1:00 PM');
    expect((await get('/api/roster.xlsx?profile=nobody')).status).toBe(404);
    expect((await get('/api/roster.xlsx?profile=Not%20an%20id')).status).toBe(400);

    expect(
      XLSX.utils.sheet_to_json(
        (await book(await get('/api/roster.xlsx?course=3270'))).Sheets.Roster,
      ),
    ).toHaveLength(2);
    const bad = await get('/api/roster.xlsx?from=2025-02-30');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('from: not a date (YYYY-MM-DD): "2025-02-30"');
    expect((await get('/api/weak-spots?from=2025-07-01&to=2025-06-01')).status).toBe(400);
  });

  it('serves any sheet as CSV, quoted and neutralised, with the department label', async () => {
    const res = await get(`/api/sessions/${S1}/Scores.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="muster-2025-05-06-11111111-scores.csv"',
    );
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toMatch(/^Name,TCOLE PID,Agency,/);
    expect(lines[2]).toMatch(/^<img src=x onerror=alert\(1\)>,00123,"County, Sheriff",/);
    const items = await (await get(`/api/sessions/${S1}/item-analysis.csv`)).text();
    expect(items).toContain('"Which is an indicator, ""scripted"" or not?"');
    expect((await get(`/api/sessions/${S1}/${encodeURIComponent('Audit log')}.csv`)).status).toBe(
      200,
    );
    expect((await get(`/api/sessions/${S1}/nothing.csv`)).status).toBe(404);
    expect(
      (await get('/api/sessions/00000000-0000-4000-8000-000000000000/Scores.csv')).status,
    ).toBe(404);
  });

  it('re-exports a session workbook with the department profile', async () => {
    const wb = await book(await get(`/api/sessions/${S1}/export.xlsx`));
    expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Attendance, { header: 1 })[0]).toContain(
      'TCOLE PID',
    );
    const summary = Object.fromEntries(
      XLSX.utils.sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 }),
    );
    expect(summary['Presenting agency']).toBe('Riverside Academy');
  });

  it('serves the sign-in sheet and the results summary as PDF files to print, whatever a trainee typed as plain text', async () => {
    const res = await get(`/api/sessions/${S1}/sign-in.pdf`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="muster-2025-05-06-11111111-sign-in.pdf"',
    );
    const sheet = await readPdf(Buffer.from(await res.arrayBuffer()));
    expect(sheet.size).toEqual([612, 792]);
    expect(sheet.pages).toHaveLength(1);
    expect(sheet.pages[0]).toContain('Human Trafficking & You');
    expect(sheet.pages[0]).toContain('TCOLE PID');
    expect(sheet.pages[0]).toContain('<img src=x');
    expect(sheet.pages[0]).toMatch(/Ortiz Ana 00417 Riverside PD 09:00/);
    const results = await readPdf(
      Buffer.from(await (await get(`/api/sessions/${S1}/results.pdf`)).arrayBuffer()),
    );
    expect(results.pages[0]).toContain('Class results');
    expect(results.pages[0]).toMatch(
      /Ortiz Ana 00417 Riverside PD 100% .*Pass Yes 1.5 3270-20250506-001/,
    );
  });

  it('reports weak spots by topic and agency as JSON and as a workbook', async () => {
    const w = (await (
      await get('/api/weak-spots?from=2025-05-01&to=2025-06-30')
    ).json()) as WeakSpots;
    expect(w).toMatchObject({ sessions: 2, answers: 4 });
    expect(w.byTag).toEqual([
      {
        tag: 'indicators',
        answered: 4,
        correct: 2,
        share: 0.5,
        pretest: { answered: 0, correct: 0, share: 0 },
      },
    ]);
    expect(w.byAgency.map((a) => [a.agency, a.trainees, a.share])).toEqual([
      ['County, Sheriff', 1, 0],
      ['Riverside PD', 1, 1],
    ]);
    const wb = await book(await get('/api/weak-spots.xlsx?from=2025-05-01&to=2025-06-30'));
    expect(wb.SheetNames).toEqual([
      'By topic',
      'By agency',
      'By agency and topic',
      'By question',
      'Range',
    ]);
  });

  it('lists past sessions with their trainee counts', async () => {
    const list = (await (await get('/api/records/sessions')).json()) as {
      id: string;
      trainees: number;
    }[];
    expect(list.map((s) => [s.id, s.trainees])).toEqual([
      [S2, 2],
      [S1, 2],
    ]);
  });
});
