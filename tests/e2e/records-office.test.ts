/**
 * The records office page in Chromium against `records-server serve`'s server on a real
 * PostgreSQL: two consoles (two rooms) push their classes, the deriver runs, a records clerk signs
 * in with a staff login, finds an officer trained in both rooms, and exports the certification
 * roster for both rooms in one workbook (and as the PDF and the CSV for upload), laid out by an
 * export profile; a session's sign-in sheet comes as a PDF.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Records } from '../../main/records/db';
import { replicationState } from '../../main/records/outbox';
import { PushRunner } from '../../main/records/push/push-runner';
import { initSchema } from '../../main/records-server/schema';
import { createStaffLogin, enrolConsole } from '../../main/records-server/roles';
import { deriveAll } from '../../main/records-server/derive';
import { startOffice } from '../../main/records-server/office';
import type { RunningOffice } from '../../main/records-server/office';
import { ROOT } from '../helpers/app';
import { launchChromium, shotPath } from '../helpers/browser';
import { startPostgres } from '../helpers/postgres';
import type { TestPostgres } from '../helpers/postgres';
import { officers, recordClass } from '../helpers/class-records';

let server: TestPostgres;
let admin: pg.Client;
let pool: pg.Pool;
let office: RunningOffice;
let browser: Browser;
let staff: { login: string; password: string };
const dirs: string[] = [];
const now = new Date();
const thisMonth = (day: number) => new Date(now.getFullYear(), now.getMonth(), day, 9).getTime();
const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const both = { officerId: '00417', name: 'Ana Ortiz', agency: 'Riverside PD' };

async function push(room: string, id: string, day: number, people: (typeof both)[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-office-'));
  dirs.push(dir);
  const records = new Records(path.join(dir, 'muster.sqlite'));
  recordClass(records, { id, start: thisMonth(day), officers: people, questions: 4 });
  const e = await enrolConsole(admin, room, server.url);
  const r = new PushRunner({ records, url: e.url, isBusy: () => false, pollMs: 50 });
  r.start();
  const end = Date.now() + 30_000;
  while (!(r.status().state === 'up-to-date' && replicationState(records.db).waiting === 0)) {
    if (Date.now() > end) throw new Error(`${room} did not push: ${r.status().text}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  await r.stop();
  records.close();
}

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  admin = new pg.Client(server.url);
  await admin.connect();
  await initSchema(admin);
  await push('Room 1', 'ROOM1-CLASS', 2, [both, ...officers(4, 'A')]);
  await push('Room 2', 'ROOM2-CLASS', 3, [...officers(3, 'B'), both]);
  await deriveAll(admin);
  staff = await createStaffLogin(admin, 'Records clerk', server.url);
  pool = new pg.Pool({ connectionString: server.url, max: 3 });
  office = await startOffice({
    pool,
    database: server.url,
    staticDir: path.join(ROOT, 'out', 'renderer'),
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await office?.close();
  await pool?.end();
  await admin?.end();
  await server?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the records office', () => {
  it('needs a staff login', async () => {
    const base = `http://127.0.0.1:${office.port}`;
    expect((await fetch(`${base}/api/records/sessions`)).status).toBe(401);
    expect(
      (
        await fetch(`${base}/api/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"user":"postgres","password":"nope"}',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await fetch(`${base}/api/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: 'not json',
        })
      ).status,
    ).toBe(400);
    expect((await fetch(`${base}/api/sessions/x/export.xlsx`, { method: 'DELETE' })).status).toBe(
      405,
    );
  });

  it('finds an officer trained in two rooms and exports both rooms in one roster', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1500, height: 1000 },
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`http://127.0.0.1:${office.port}/`);
    await page.getByLabel('User name').fill(staff.login);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/wrong user name or password/)
      .waitFor();
    await page.getByLabel('Password').fill(staff.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Past sessions' }).waitFor();
    const alerts: string[] = [];
    page.on('response', (r) => r.status() >= 400 && alerts.push(`${r.status()} ${r.url()}`));
    await expect.poll(() => page.locator('.records-sessions tbody tr').count()).toBe(2);
    expect(await page.locator('.records-sessions tbody').textContent()).toMatch(
      /Room 1[\s\S]*|Room 2/,
    );

    await page.getByLabel('Search trainees').fill('00417');
    const found = page.getByRole('list', { name: 'Trainees found' }).getByRole('button');
    await expect.poll(() => found.count()).toBe(1);
    expect(await found.textContent()).toContain('2 sessions');
    await found.click();
    const history = page.getByRole('region', { name: 'Training history' });
    await history.locator('tbody tr').nth(1).waitFor();
    const rows = await history.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Room 1');
    expect(rows[1]).toContain('Room 2');
    await page.screenshot({ path: shotPath('records-office-1500'), fullPage: true });

    // The roster for this month: both rooms' classes in one workbook, laid out by TCOLE's profile.
    await page
      .getByRole('textbox', { name: 'From', exact: true })
      .fill(ymd(new Date(thisMonth(1))));
    await page.getByRole('textbox', { name: 'To', exact: true }).fill(ymd(new Date(thisMonth(28))));
    await page.getByLabel('Layout').selectOption('tcole');
    const save = async (name: string | RegExp) => {
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).first().click(),
      ]);
      return { name: d.suggestedFilename(), body: fs.readFileSync((await d.path())!) };
    };
    const workbook = await save('Roster workbook');
    expect(workbook.name).toMatch(/^muster-roster-tcole-/);
    const wb = XLSX.read(workbook.body, { type: 'buffer' });
    const roster = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Roster);
    const listed = XLSX.utils
      .sheet_to_json<Record<string, unknown>>(wb.Sheets.Sessions)
      .filter((r) => r['Session date']);
    expect(listed.map((r) => r['Session ID']).sort()).toEqual(['ROOM1-CLASS', 'ROOM2-CLASS']);
    expect(roster.filter((r) => Object.values(r).includes('00417'))).toHaveLength(2);
    expect(roster).toHaveLength(5 + 4);
    const csv = await save('Roster CSV for upload');
    expect(csv.body.toString('utf8').trim().split(/\r?\n/)).toHaveLength(1 + 9);
    expect(csv.body.toString('utf8')).toContain('00417');
    expect((await save('Roster PDF')).body.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await save(/^Sign-in sheet PDF — /)).body.subarray(0, 5).toString()).toBe('%PDF-');

    // A session's workbook, built by the console's own export from the rows read back.
    const [wbDownload] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /^Workbook — / })
        .first()
        .click(),
    ]);
    const book = XLSX.read(fs.readFileSync((await wbDownload.path())!), { type: 'buffer' });
    expect(book.SheetNames).toContain('Attendance');

    expect(alerts).toEqual([]);
    expect(await page.locator('.records-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
