/**
 * Records exports built in the export thread (main/records/export-runner.ts), on a real server with
 * a real SQLite file: the files downloaded over HTTP are the synchronous builders' files; a live
 * answer is acknowledged while a big export is being built; unknown things are still 404; an export
 * that fails answers 500 and the class goes on; too many at once get 503, and a client that goes
 * away takes its export with it. No timing thresholds anywhere: only orders of events. (The runner
 * alone, with stand-in worker scripts, is in export-runner.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SESSION_SHEETS,
  certificationRoster,
  sessionWorkbookBuffer,
  sheetCsv,
  traineeHistory,
  traineeHistorySheets,
  weakSpots,
  weakSpotsSheets,
  writeXlsx,
} from '../../main/records/export';
import type { ExportOptions } from '../../main/records/export';
import { exportRunner } from '../../main/records/export-runner';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import { ROOT } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import { expectSameWorkbook, storeSession } from '../helpers/export-workbook';
import { readPdf } from '../helpers/pdf';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-export-worker-'));
const DEPARTMENT = {
  officerIdLabel: 'TCOLE PID',
  agency: 'Riverside Academy',
  defaultPassMark: 75,
};
const SMALL = '33333333-3333-4333-8333-333333333333';
const BIG = '44444444-4444-4444-8444-444444444444';
const MISSING = '00000000-0000-4000-8000-000000000000';
const MAY = new Date(2025, 4, 6, 9).getTime();
const MIN = 60_000;
let app: MusterApp;
let base: string;
let lanUrl: string;
/** What the server applies (the department profile from settings), for the synchronous builders. */
const o: ExportOptions = { department: DEPARTMENT };

beforeAll(async () => {
  app = await createApp(
    {
      dataDir,
      contentDir: path.join(ROOT, 'content'),
      settings: memorySettings({ department: DEPARTMENT }),
    },
    { port: 0, lanHost: '127.0.0.1' },
  );
  app.classroom.joinHost = '127.0.0.1';
  base = `http://127.0.0.1:${app.consolePort}`;
  lanUrl = `http://127.0.0.1:${app.lanPort}`;
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (p: string, init: RequestInit = {}) =>
  fetch(`${base}${p}`, { ...init, headers: { 'X-Muster-Token': app.token } });

/** The demo deck's poll open, with a trainee on a real socket (the class is started once, then reused). */
async function liveClass(who: { name: string; officerId: string }) {
  const con = await openConsole(base, app.token);
  if (!app.classroom.engine.session) {
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const poll = app.classroom.engine.session!.deck.slides.findIndex(
      (x) => x.question?.type === 'single',
    );
    expect((await con.cmd({ type: 'goto', index: poll })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
  }
  const trainee = await joinTrainee(lanUrl, app.classroom.engine.session!.roomCode, who);
  return { con, trainee, runId: app.classroom.engine.run!.runId };
}
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** A session workbook over HTTP, and when it was asked for and received. */
async function sessionWorkbook(
  id: string,
): Promise<{ res: Response; body: Buffer; within: [number, number] }> {
  const t0 = Date.now();
  const res = await get(`/api/sessions/${id}/export.xlsx`);
  const body = await bytes(res);
  return { res, body, within: [t0, Date.now()] };
}

describe('records exports in the export thread', () => {
  it('downloads the same workbook, CSV, roster, history and weak spots as the synchronous builders, and the PDFs', async () => {
    storeSession(app.records, SMALL, MAY, 40, 14);
    const wb = await sessionWorkbook(SMALL);
    expect(wb.res.status).toBe(200);
    expect(wb.res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(wb.res.headers.get('content-disposition')).toBe(
      'attachment; filename="muster-2025-05-06-33333333.xlsx"',
    );
    expectSameWorkbook(wb.body, sessionWorkbookBuffer(app.records, SMALL, o), wb.within);
    expect(
      XLSX.utils.sheet_to_json<unknown[]>(
        XLSX.read(wb.body, { type: 'buffer' }).Sheets.Attendance,
        { header: 1 },
      )[0],
    ).toContain('TCOLE PID');

    // The Summary's "Exported at" is when each was built (to the minute): in the request's window, and otherwise the same.
    const exported = /^Exported at,(.*)\r$/m;
    for (const sheet of SESSION_SHEETS) {
      const t0 = Date.now();
      const res = await get(`/api/sessions/${SMALL}/${encodeURIComponent(sheet)}.csv`);
      const want = sheetCsv(app.records, SMALL, sheet, o);
      if (want === undefined) {
        // A sheet this workbook does not have (Scenarios, with no role-play in the class).
        expect(res.status, sheet).toBe(404);
        continue;
      }
      expect(res.status, sheet).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      let csv = await res.text();
      const at = exported.exec(csv)?.[1];
      if (at !== undefined) {
        expect(Date.parse(at.replace(' ', 'T'))).toBeGreaterThanOrEqual(
          Math.floor(t0 / 60_000) * 60_000,
        );
        csv = csv.replace(exported, `Exported at,${exported.exec(want)?.[1]}\r`);
      }
      expect(csv, sheet).toBe(want);
    }
    // The PDFs are laid out in the thread too (pdfmake): 40 trainees make a 2-page sign-in sheet.
    const sheet = await readPdf(await bytes(await get(`/api/sessions/${SMALL}/sign-in.pdf`)));
    expect([
      sheet.pages.length,
      sheet.pages[1].includes('TCOLE PID'),
      sheet.pages.join(' ').includes('00003'),
    ]).toEqual([2, true, true]);
    expect(
      (await readPdf(await bytes(await get(`/api/sessions/${SMALL}/results.pdf`)))).pages[0],
    ).toContain('Class results');

    const range = { from: '2025-05-01', to: '2025-05-31' };
    expectSameWorkbook(
      await bytes(await get('/api/roster.xlsx?from=2025-05-01&to=2025-05-31')),
      certificationRoster(app.records, range, o),
    );
    expectSameWorkbook(
      await bytes(await get('/api/weak-spots.xlsx?from=2025-05-01&to=2025-05-31')),
      writeXlsx(weakSpotsSheets(weakSpots(app.records, range, o)), {
        footerLeft: 'Weak spots',
        footerCenter: '2025-05-01 to 2025-05-31',
      }),
    );
    const h = traineeHistory(app.records, '00003', o);
    expectSameWorkbook(
      await bytes(await get('/api/trainees/00003/history.xlsx')),
      writeXlsx(traineeHistorySheets(h, o), { footerLeft: `Training history — ${h.name} (00003)` }),
    );
  });

  it('answers 404 for a session, sheet or officer ID that does not exist, and 400 for a bad date', async () => {
    for (const p of [
      `/api/sessions/${MISSING}/export.xlsx`,
      `/api/sessions/${MISSING}/Scores.csv`,
      `/api/sessions/${MISSING}/sign-in.pdf`,
      `/api/sessions/${MISSING}/results.pdf`,
    ]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(await res.text()).toBe('no such session');
    }
    const sheet = await get(`/api/sessions/${SMALL}/nothing.csv`);
    expect(sheet.status).toBe(404);
    expect(await sheet.text()).toBe('no sheet "nothing"');
    expect((await get('/api/trainees/99999/history.xlsx')).status).toBe(404);
    expect((await get('/api/weak-spots.xlsx?from=2025-13-01')).status).toBe(400);
  });

  it('acknowledges a live answer while a big export is being built, before the export is sent', async () => {
    storeSession(app.records, BIG, MAY + 24 * 60 * MIN, 1500, 40);
    const { con, trainee, runId } = await liveClass({ name: 'Ana Ortiz', officerId: '00417' });

    const events: string[] = [];
    const download = get(`/api/sessions/${BIG}/export.xlsx`).then(async (res) => {
      const body = await bytes(res);
      events.push('export');
      return { status: res.status, body };
    });
    // Once the export is in the thread's hands, the class goes on: the answer is stored and acknowledged.
    await vi.waitFor(() => expect(exportRunner.state.running).toBe(true), {
      timeout: 10_000,
      interval: 2,
    });
    const id = msgId();
    trainee.send({ t: 'answer', id, runId, value: 'Nights' });
    await trainee.next((m) => m.t === 'ack' && m.id === id, 30_000);
    events.push('ack');
    const done = await download;
    expect(events).toEqual(['ack', 'export']);
    expect(done.status).toBe(200);
    const book = XLSX.read(done.body, { type: 'buffer', sheetRows: 3 });
    expect(book.SheetNames).toContain('Responses');
    expect(
      app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBeGreaterThanOrEqual(1);
    await trainee.close();
    await con.close();
  });

  it('refuses exports beyond the queue with 503, and drops the export of a client that went away', async () => {
    const exportBig = (signal?: AbortSignal) =>
      get(`/api/sessions/${BIG}/export.xlsx`, { signal }).catch((e: Error) => e);
    // One running (the big workbook takes a while) …
    const first = exportBig();
    await vi.waitFor(() => expect(exportRunner.state.running).toBe(true), {
      timeout: 10_000,
      interval: 2,
    });
    // … four waiting behind it …
    const aborts = Array.from({ length: 4 }, () => new AbortController());
    const waiting = aborts.map((a) => exportBig(a.signal));
    await vi.waitFor(() => expect(exportRunner.state.waiting).toBe(4), {
      timeout: 10_000,
      interval: 2,
    });
    // … and the next ones are refused at once.
    for (let i = 0; i < 2; i++) {
      const r = await get(`/api/sessions/${SMALL}/Scores.csv`);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(await r.text()).toBe('another export is running; try again in a moment');
    }
    // The clients of the waiting ones give up: their exports leave the queue, and the log is not
    // filled with failures that are none (nobody was waiting for those files any more).
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const a of aborts) a.abort();
      await vi.waitFor(() => expect(exportRunner.state.waiting).toBe(0), { timeout: 10_000 });
      for (const w of await Promise.all(waiting)) expect(w).toBeInstanceOf(Error);
      const done = (await first) as Response;
      expect(done.status).toBe(200);
      expect(XLSX.read(await bytes(done), { type: 'buffer', sheetRows: 2 }).SheetNames).toContain(
        'Scores',
      );
      expect(log.mock.calls.filter((c) => /export failed/.test(String(c[0])))).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });

  it('answers 500 when the export fails (the thread cannot open the file), and the server and the class go on', async () => {
    const file = path.join(dataDir, 'muster.sqlite');
    const { con, trainee, runId } = await liveClass({ name: 'Ben Lee', officerId: '00418' });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    fs.renameSync(file, `${file}.away`);
    try {
      const res = await get(`/api/sessions/${SMALL}/export.xlsx`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('the export failed; see the log');
      expect(log).toHaveBeenCalledWith(
        expect.stringMatching(
          /^records: export failed: session-workbook: .*unable to open database file/s,
        ),
      );
    } finally {
      fs.renameSync(`${file}.away`, file);
      log.mockRestore();
    }
    // The class goes on, and so do the records.
    const id = msgId();
    trainee.send({ t: 'answer', id, runId, value: 'Days' });
    await trainee.next((m) => m.t === 'ack' && m.id === id);
    expect((await get('/api/records/sessions')).status).toBe(200);
    const again = await sessionWorkbook(SMALL);
    expect(again.res.status).toBe(200);
    expectSameWorkbook(again.body, sessionWorkbookBuffer(app.records, SMALL, o), again.within);
    await trainee.close();
    await con.close();
  });
});
