/**
 * A records server for attendance corrections and the department profile (a real server, a real
 * SQLite file, settings in memory): an ended two-hour class (Ana checked out when her phone died,
 * Ben stayed) and a class still running; HTTP helpers that send the console's token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import type { Settings } from '../../main/settings';
import type { RecordOp } from '../../main/session/engine';
import type { AttendanceRow } from '../../shared/records';
import { ROOT } from './app';

export const MIN = 60_000;
export const START = Date.UTC(2025, 4, 6, 14, 0); // 2025-05-06T14:00Z, two hours
export const END = START + 120 * MIN;
export const S1 = '33333333-3333-4333-8333-333333333333';
export const LIVE = '44444444-4444-4444-8444-444444444444';
export const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');
/** How an error message writes an instant: this computer's time, to the minute. */
export const at = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Ana's phone died 30 minutes in (she signed the paper sheet); Ben stayed; Cara never connected after joining late. */
export function classOps(): RecordOp[] {
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

/** Starts the server with both classes stored; stops it and removes its folder afterwards. */
export function useAttendanceApp() {
  const env = {} as { app: MusterApp; base: string; settings: Settings };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-attendance-'));
  beforeAll(async () => {
    const settings = memorySettings();
    const app = await createApp(
      { dataDir, contentDir: path.join(ROOT, 'content'), settings },
      { port: 0, lanHost: '127.0.0.1' },
    );
    const base = `http://127.0.0.1:${app.consolePort}`;
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
    Object.assign(env, { app, base, settings });
  });
  afterAll(async () => {
    await env.app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const headers = (token: string | null = env.app.token): Record<string, string> =>
    token ? { 'X-Muster-Token': token } : {};
  const get = (p: string) => fetch(`${env.base}${p}`, { headers: headers() });
  const send = (method: string, p: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${env.base}${p}`, {
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
    (env.app.records.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { env, headers, get, send, correct, attendanceRows, book, sheet, count };
}
