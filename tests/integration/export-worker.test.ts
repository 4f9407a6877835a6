/**
 * Records exports built in the export thread (main/records/export-runner.ts), on a real server with
 * a real SQLite file: the files downloaded over HTTP are the synchronous builders' files; a live
 * answer is acknowledged while a big export is being built; unknown things are still 404; an export
 * that fails answers 500 and the class goes on; too many at once get 503, and a client that goes
 * away takes its export with it. Then the runner alone, with stand-in worker scripts: the time
 * limit, a thread that crashes, the queue. No timing thresholds anywhere: only orders of events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordOp } from '../../main/session/engine';
import type { AnswerValue, QuestionDef } from '../../shared/question';
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
import { ExportRunner, exportRunner } from '../../main/records/export-runner';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import { ROOT } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
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

function question(i: number): QuestionDef {
  const id = `q${i + 1}`;
  const tags = [['indicators', 'definitions', 'screening'][i % 3]];
  switch (i % 7) {
    case 0:
      return {
        id,
        type: 'single',
        prompt: `Which is an indicator? "${i}", or not`,
        options: ['Scripted answers', 'Own ID', '=SUM(A1)'],
        correct: 'Scripted answers',
        tags,
      };
    case 1:
      return {
        id,
        type: 'multi',
        prompt: `Elements (${i})`,
        options: ['Force', 'Fraud', 'Coercion', 'Movement'],
        correct: ['Force', 'Fraud', 'Coercion'],
        scoring: 'partial',
        tags,
      };
    case 2:
      return {
        id,
        type: 'truefalse',
        prompt: `A minor needs no proof of force (${i})`,
        correct: true,
        tags,
      };
    case 3:
      return { id, type: 'numeric', prompt: `Hours? (${i})`, correct: 2, tolerance: 0, tags };
    case 4:
      return { id, type: 'text', prompt: `What would you ask? (${i})` };
    case 5:
      return {
        id,
        type: 'ranking',
        prompt: `Order the steps (${i})`,
        options: ['Separate', 'Interpret', 'Screen'],
      };
    default:
      return {
        id: `eval-${i + 1}`,
        type: 'rating',
        prompt: `Useful? (${i})`,
        scale: { min: 1, max: 5 },
        tags: ['evaluation'],
      };
  }
}

function answer(q: QuestionDef, k: number): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options[k % 3];
    case 'multi':
      return k % 2 ? ['Force', 'Fraud'] : ['Force', 'Fraud', 'Coercion'];
    case 'truefalse':
      return k % 4 !== 0;
    case 'numeric':
      return k % 5 ? 2 : 8;
    case 'text':
      return [`ask about the ID, "${k}"`, '=HYPERLINK("http://x")', '+1, then\nmore', '@name'][
        k % 4
      ];
    case 'ranking':
      return k % 2 ? ['Separate', 'Interpret', 'Screen'] : ['Screen', 'Separate', 'Interpret'];
    case 'rating':
      return 1 + (k % 5);
  }
}

/** One ended session through Records.apply, in batches like the classroom's group commit. */
function storeSession(id: string, start: number, trainees: number, questions: number): void {
  const batch: RecordOp[] = [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking & You',
      courseNumber: '3270',
      creditHours: 2,
      passMark: null,
      file: 'm.md',
      title: 'Module',
      at: start,
    },
  ];
  const flush = () => app.records.apply(batch.splice(0));
  const names = ['Ana Ortiz', '<img src=x onerror=alert(1)>', '=cmd|calc', 'Ben, "Junior" Lee'];
  for (let t = 0; t < trainees; t++) {
    const tid = `${id}-t${t}`;
    const at = start + t * 100;
    batch.push({
      op: 'trainee',
      id: tid,
      sessionId: id,
      name: `${names[t % names.length]} ${t}`,
      officerId: String(t).padStart(5, '0'),
      agency: ['Riverside PD', 'County, Sheriff'][t % 2],
      at,
    });
    batch.push({ op: 'attendance', sessionId: id, traineeId: tid, event: 'join', at });
    if (t % 7 === 3)
      batch.push({
        op: 'attendance',
        sessionId: id,
        traineeId: tid,
        event: 'leave',
        at: at + 20 * MIN,
      });
  }
  flush();
  for (let i = 0; i < questions; i++) {
    const q = question(i);
    const runId = `${id}-r${i}`;
    const at = start + (5 + i * 2) * MIN;
    batch.push({
      op: 'runOpen',
      runId,
      sessionId: id,
      slideIndex: i,
      question: q,
      at,
      deadline: null,
    });
    for (let t = 0; t < trainees; t++) {
      if ((t + i) % 11 === 0) continue; // some never answer
      batch.push({
        op: 'answer',
        runId,
        sessionId: id,
        traineeId: `${id}-t${t}`,
        msgId: `m${i}-${t}`,
        value: answer(q, t + i),
        correct: null,
        at: at + 1000 + t,
      });
      if (batch.length >= 5000) flush();
    }
    batch.push({ op: 'runClose', runId, at: at + MIN });
    flush();
  }
  batch.push({ op: 'end', sessionId: id, at: start + 3 * 60 * MIN });
  flush();
}

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

/** The "Exported at" of a session workbook's Summary sheet (the one cell that depends on when it was built). */
function exportedAt(book: Buffer): string {
  const rows = XLSX.utils.sheet_to_json<[string, unknown]>(
    XLSX.read(book, { type: 'buffer' }).Sheets.Summary,
    { header: 1 },
  );
  return String(rows.find((r) => r[0] === 'Exported at')?.[1] ?? '');
}

/**
 * Every part of two xlsx files (zip entries) byte for byte, and every cell of every sheet as SheetJS
 * reads it. With `builtWithin`, a session workbook: its "Exported at" must lie in that window and is
 * then taken as the expected one's.
 */
function expectSameWorkbook(
  actual: Buffer,
  expected: Buffer,
  builtWithin?: [number, number],
): void {
  const a = unzipSync(actual);
  const e = unzipSync(expected);
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  let swap = (part: Uint8Array) => Buffer.from(part);
  if (builtWithin) {
    const [at, want] = [exportedAt(actual), exportedAt(expected)];
    expect(Date.parse(at.replace(' ', 'T'))).toBeGreaterThanOrEqual(
      Math.floor(builtWithin[0] / 60_000) * 60_000,
    ); // local, to the minute
    expect(Date.parse(at.replace(' ', 'T'))).toBeLessThanOrEqual(builtWithin[1]);
    swap = (part) => Buffer.from(Buffer.from(part).toString('utf8').replaceAll(at, want), 'utf8');
  }
  for (const name of Object.keys(e))
    expect(swap(a[name]).equals(Buffer.from(e[name])), name).toBe(true);
  const wa = XLSX.read(actual, { type: 'buffer' });
  const we = XLSX.read(expected, { type: 'buffer' });
  expect(wa.SheetNames).toEqual(we.SheetNames);
  for (const s of we.SheetNames) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wa.Sheets[s], { header: 1, raw: true });
    if (builtWithin && s === 'Summary')
      for (const r of rows) if (r[0] === 'Exported at') r[1] = exportedAt(expected);
    expect(rows, s).toEqual(XLSX.utils.sheet_to_json(we.Sheets[s], { header: 1, raw: true }));
  }
}

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
    storeSession(SMALL, MAY, 40, 14);
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
    storeSession(BIG, MAY + 24 * 60 * MIN, 1500, 40);
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

describe('the export runner', () => {
  // Stand-ins for export-worker: they speak its protocol ({ id, file, job } in; { id, outcome } out).
  const scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-export-runner-'));
  const fake = path.join(scripts, 'fake-worker.mjs');
  fs.writeFileSync(
    fake,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, job }) => {
  if (job.sheet === 'hang') return;
  if (job.sheet === 'crash') throw new Error('boom');
  if (job.sheet === 'throw') return parentPort.postMessage({ id, error: 'Error: it threw' });
  if (job.sheet === 'odd') return parentPort.postMessage({ id, outcome: { ok: 'yes' } });
  parentPort.postMessage({ id, outcome: { ok: true, body: new TextEncoder().encode(job.sheet) } });
});
`,
  );
  afterAll(() => fs.rmSync(scripts, { recursive: true, force: true }));
  const job = (sheet: string) => ({ kind: 'session-csv' as const, sessionId: 's', sheet });
  const text = async (p: Promise<unknown>) => {
    const out = (await p) as { ok: true; body: Uint8Array };
    return new TextDecoder().decode(out.body);
  };

  it('stops an export past its time limit, and the next one gets a fresh thread', async () => {
    const runner = new ExportRunner({ workerSource: fake });
    try {
      await expect(runner.run('/x.sqlite', job('hang'), {}, { timeoutMs: 300 })).rejects.toThrow(
        /session-csv: took longer than 0.3 s and was stopped/,
      );
      expect(runner.state.thread).toBe(false);
      expect(await text(runner.run('/x.sqlite', job('after'), {}))).toBe('after');
    } finally {
      await runner.close();
    }
  });

  it('fails only the export whose thread crashed, threw or answered nonsense', async () => {
    const runner = new ExportRunner({ workerSource: fake });
    try {
      await expect(runner.run('/x.sqlite', job('crash'), {})).rejects.toMatchObject({
        name: 'MusterError',
        code: 'export-failed',
        status: 500,
      });
      await expect(runner.run('/x.sqlite', job('throw'), {})).rejects.toThrow(
        /session-csv: Error: it threw/,
      );
      await expect(runner.run('/x.sqlite', job('odd'), {})).rejects.toThrow(/not this export/);
      expect(await text(runner.run('/x.sqlite', job('fine'), {}))).toBe('fine');
      await expect(runner.run(':memory:', job('x'), {})).rejects.toThrow(/in-memory/);
    } finally {
      await runner.close();
    }
  });

  it('runs one export at a time, queues a few, refuses more, and keeps the order', async () => {
    const runner = new ExportRunner({ workerSource: fake, maxWaiting: 2 });
    try {
      const hang = expect(runner.run('/x.sqlite', job('hang'), {})).rejects.toThrow(
        /the exports were stopped/,
      );
      const queued = ['a', 'b'].map((s) =>
        expect(runner.run('/x.sqlite', job(s), {})).rejects.toThrow(/the exports were stopped/),
      );
      await expect(runner.run('/x.sqlite', job('c'), {})).rejects.toMatchObject({
        name: 'MusterError',
        code: 'export-busy',
        status: 503,
      });
      expect(runner.state).toEqual({ thread: true, running: true, waiting: 2 });
      await runner.close();
      await hang;
      await Promise.all(queued);
      expect(runner.state).toEqual({ thread: false, running: false, waiting: 0 });
      // A new runner: the queue drains in order.
      const again = new ExportRunner({ workerSource: fake });
      const all = await Promise.all(
        ['1', '2', '3'].map((s) => text(again.run('/x.sqlite', job(s), {}))),
      );
      expect(all).toEqual(['1', '2', '3']);
      await sleep(0);
      await again.close();
    } finally {
      await runner.close();
    }
  });
});
