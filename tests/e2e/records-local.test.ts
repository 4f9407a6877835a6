/**
 * The Records screens a records clerk uses, in Chromium, on a computer set to America/Chicago (TZ):
 * an evening class's check-in shows the same minute on the console's Attendance screen and in the
 * exported workbook, with no "Z"; a rostered officer who never joined is absent and is marked
 * present from the paper sheet; a roster layout edited on screen changes the next roster export; a
 * roster whose IDs lost their zeros warns and gets them back on the clerk's say-so.
 */
process.env.TZ = 'America/Chicago';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { ROOT } from '../helpers/app';
import { axeViolations } from '../helpers/a11y';
import type { RecordOp } from '../../main/session/engine';

const env = useE2e();
afterAll(() => {
  delete process.env.TZ;
});

const MIN = 60_000;
const SESSION = '77777777-dddd-4ddd-8ddd-777777777777';
/** An evening class three days ago, 19:30 to 22:30 in Chicago: after 18:00 there, the day is already the next one in UTC. */
const day = new Date();
day.setDate(day.getDate() - 3);
const START = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 19, 30).getTime();
const pad = (n: number) => String(n).padStart(2, '0');
const DATE = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;

function classOps(): RecordOp[] {
  return [
    {
      op: 'session',
      id: SESSION,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking Awareness',
      courseNumber: '3270',
      creditHours: 3,
      passMark: null,
      file: 'm.md',
      title: 'Evening in-service',
      at: START,
    },
    {
      op: 'roster',
      sessionId: SESSION,
      name: 'Evening roster',
      entries: [
        {
          officerId: '00417',
          name: 'Ana Ortiz',
          agency: 'Riverside PD',
          email: '',
          firstName: 'Ana',
          lastName: 'Ortiz',
        },
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
      at: START - 10 * MIN,
    },
    // Ana's phone joined at 19:32:47: the minute is what a person reads.
    {
      op: 'trainee',
      id: 'ana',
      sessionId: SESSION,
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Riverside PD',
      at: START + 2 * MIN + 47_000,
    },
    {
      op: 'attendance',
      sessionId: SESSION,
      traineeId: 'ana',
      event: 'join',
      at: START + 2 * MIN + 47_000,
    },
    { op: 'end', sessionId: SESSION, at: START + 180 * MIN },
  ];
}

async function openRecords(): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  // CSP bypassed only so axe can be injected for the accessibility check.
  const ctx = await env.browser.newContext({
    viewport: { width: 1400, height: 1100 },
    timezoneId: 'America/Chicago',
    acceptDownloads: true,
    bypassCSP: true,
  });
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on(
    'console',
    (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && problems.push(m.text()),
  );
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(env.app.urls().console);
  await page.getByRole('button', { name: 'Records' }).click();
  await page.getByRole('heading', { name: 'Past sessions' }).waitFor();
  return { ctx, page, problems };
}

const download = async (page: Page, click: () => Promise<void>) => {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return fs.readFileSync((await d.path())!);
};
const rowText = async (page: Page, name: string) =>
  (
    await page
      .getByRole('region', { name: /^Attendance — / })
      .getByRole('row')
      .filter({ hasText: name })
      .first()
      .locator('td')
      .allInnerTexts()
  ).map((s) => s.trim());

describe('Records on a Chicago computer', () => {
  it('an evening class: the check-in on the Attendance screen is the one in the workbook, to the minute, no Z; an absent officer is marked present', async () => {
    env.app.records.apply(classOps());
    const { ctx, page, problems } = await openRecords();
    await page.getByRole('button', { name: `Attendance — ${DATE} Evening in-service` }).click();
    const panel = page.getByRole('region', { name: `Attendance — ${DATE} Evening in-service` });
    await panel.getByRole('row').filter({ hasText: 'Ana Ortiz' }).waitFor();
    const ana = await rowText(page, 'Ana Ortiz');
    expect(ana.slice(0, 5)).toEqual(['Ana Ortiz', '00417', 'Riverside PD', '19:32', '22:30']);
    // Rosa is on the roster and never joined.
    expect(await rowText(page, 'Rosa Alvarez')).toEqual([
      'Rosa Alvarez',
      '00777',
      'Riverside PD',
      'Absent',
      '—',
      '0',
      'On the roster, never joined',
      'Mark present',
    ]);

    const book = XLSX.read(
      await download(page, () =>
        page.getByRole('button', { name: `Workbook — ${DATE} Evening in-service` }).click(),
      ),
      { type: 'buffer' },
    );
    const att = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.Attendance, {
      defval: '',
    });
    expect(att.map((r) => [r.Name, r.Status, r['Check-in'], r['Check-out']])).toEqual([
      ['Ana Ortiz', 'Present', `${DATE} ${ana[3]}`, `${DATE} ${ana[4]}`],
      ['Rosa Alvarez', 'Absent', '', ''],
    ]);
    const summary = Object.fromEntries(
      XLSX.utils.sheet_to_json<[string, unknown]>(book.Sheets.Summary, { header: 1 }),
    );
    expect([summary['Session date'], summary.Started, summary.Ended]).toEqual([
      DATE,
      `${DATE} 19:30`,
      `${DATE} 22:30`,
    ]);
    expect(summary['Time zone']).toMatch(/^America\/Chicago \(UTC−0[56]:00\)$/);
    for (const name of book.SheetNames)
      expect(
        JSON.stringify(XLSX.utils.sheet_to_json(book.Sheets[name], { header: 1 })),
        name,
      ).not.toMatch(/\dZ"|T\d{2}:\d{2}/);

    // Rosa signed the paper sheet at 19:45: marked present, with the reason.
    await panel.getByRole('button', { name: 'Mark present Rosa Alvarez' }).click();
    const form = panel.getByRole('form', { name: 'Mark Rosa Alvarez present' });
    await form.getByLabel('Check-in').fill(`${DATE}T19:45`);
    await form.getByLabel('Reason').fill('No phone; signed the paper sign-in sheet at 19:45');
    await page.screenshot({ path: shotPath('console-records-mark-present'), fullPage: true });
    await form.getByRole('button', { name: 'Save correction' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: 'Correction saved for Rosa Alvarez' })
      .waitFor();
    await expect
      .poll(() => rowText(page, 'Rosa Alvarez'))
      .toEqual([
        'Rosa Alvarez',
        '00777',
        'Riverside PD',
        '19:45',
        '22:30',
        '165',
        'Yes — No phone; signed the paper sign-in sheet at 19:45',
        'Correct',
      ]);
    await page.screenshot({ path: shotPath('console-records-attendance-local'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('a roster layout edited on screen changes the next roster export', async () => {
    const { ctx, page, problems } = await openRecords();
    const profiles = page.getByRole('region', { name: 'Roster layouts (export profiles)' });
    await profiles.getByLabel('Profile').selectOption({ label: 'POST roster (generic)' });
    await profiles.getByLabel('Column 1 header').fill('Surname');
    await profiles.getByRole('button', { name: 'Remove column 14' }).click(); // Location
    await profiles.getByLabel('Dates as').selectOption('MM/DD/YYYY');
    await profiles.getByRole('button', { name: 'Add column' }).click();
    await profiles.getByLabel('Column 15 header').fill('Provider');
    await profiles.getByLabel('Column 15 fixed text').fill('TP-0042');
    await page.screenshot({ path: shotPath('console-records-profiles'), fullPage: true });
    await profiles.getByRole('button', { name: 'Save profiles' }).click();
    await expect
      .poll(() => profiles.getByRole('status').textContent())
      .toBe('Saved: the next roster export uses these layouts.');
    expect(await axeViolations(page)).toEqual([]);

    const range = page.getByRole('region', {
      name: 'Certification roster, weak spots and department gaps',
    });
    expect(await range.getByLabel('Layout').inputValue()).toBe('post-roster');
    const rows = XLSX.utils.sheet_to_json<unknown[]>(
      XLSX.read(
        await download(page, () => range.getByRole('button', { name: 'Roster workbook' }).click()),
        { type: 'buffer' },
      ).Sheets.Roster,
      { header: 1 },
    );
    expect(rows[0]).toEqual([
      'Surname',
      'First name',
      'Officer ID',
      'Agency',
      'Course number',
      'Course title',
      'Date(s)',
      'Start',
      'End',
      'Credit hours',
      'Score',
      'Pass/Fail',
      'Instructor(s)',
      'Certificate number',
      'Provider',
    ]);
    const [m, d, y] = [DATE.slice(5, 7), DATE.slice(8, 10), DATE.slice(0, 4)];
    expect(rows.find((r) => r[2] === '00417')?.slice(0, 9)).toEqual([
      'Ortiz',
      'Ana',
      '00417',
      'Riverside PD',
      '3270',
      'Human Trafficking Awareness',
      `${m}/${d}/${y}`,
      '19:30',
      '22:30',
    ]);
    expect(rows.find((r) => r[2] === '00417')?.at(-1)).toBe('TP-0042');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('a roster whose IDs lost their zeros warns, and gets them back only when the clerk ticks the box', async () => {
    const ctx = await env.browser.newContext({
      viewport: { width: 1400, height: 1000 },
      bypassCSP: true,
    });
    const con = await ctx.newPage();
    await con.goto(env.app.urls().console);
    await con.getByText('Connected').waitFor();
    await con
      .getByLabel('Import roster')
      .setInputFiles(path.join(ROOT, 'tests', 'fixtures', 'roster-ids-plain.xlsx'));
    const warning = con.locator('.roster-warnings');
    await warning.getByText(/The officer IDs have different lengths \(3 to 5 digits\)/).waitFor();
    await con.getByRole('cell', { name: '417', exact: true }).waitFor();
    await warning
      .getByLabel(/Add the leading zeros back: 417 → 00417, 2231 → 02231, 902 → 00902/)
      .check();
    await con.getByRole('cell', { name: '00417', exact: true }).waitFor();
    await con.screenshot({ path: shotPath('console-roster-lost-zeros'), fullPage: true });
    await con.getByRole('button', { name: 'Import roster (4 trainees)' }).click();
    await con.getByText('Imported 4 trainees into the roster “roster-ids-plain”.').waitFor();
    expect(env.app.records.rosterEntries(null).map((e) => e.officerId)).toEqual([
      '00417',
      '02231',
      '88120',
      '00902',
    ]);
    await ctx.close();
  });
});
