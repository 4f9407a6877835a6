/**
 * The Records view in Chromium: a records officer corrects a trainee's check-in (with a reason)
 * in a past session's attendance and sees the table change; fills in the department profile,
 * saves, reloads, and finds it kept.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { axeViolations } from '../helpers/a11y';
import type { RecordOp } from '../../main/session/engine';

const env = useE2e();

const MIN = 60_000;
const SESSION = '55555555-cccc-4ccc-8ccc-555555555555';
/** A class five days ago, 09:00 to 11:00 this computer's time (as the console shows it). */
const day = new Date();
day.setDate(day.getDate() - 5);
const START = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 9, 0).getTime();
const pad = (n: number) => String(n).padStart(2, '0');
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const DATE = local(START).slice(0, 10);

/** Ana's phone only connected at 09:40 (she signed the paper sheet at 09:00); Ben was on time. */
function classOps(): RecordOp[] {
  const people = [
    { t: 'ana', name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD', join: 40 },
    { t: 'ben', name: 'Ben Cole', officerId: 'TX-2231', agency: 'County Sheriff', join: 2 },
  ];
  return [
    {
      op: 'session',
      id: SESSION,
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
    ...people.flatMap((p): RecordOp[] => [
      {
        op: 'trainee',
        id: p.t,
        sessionId: SESSION,
        name: p.name,
        officerId: p.officerId,
        agency: p.agency,
        at: START + p.join * MIN,
      },
      {
        op: 'attendance',
        sessionId: SESSION,
        traineeId: p.t,
        event: 'join',
        at: START + p.join * MIN,
      },
    ]),
    { op: 'end', sessionId: SESSION, at: START + 120 * MIN },
  ];
}

/**
 * The console on its Records view, collecting the page's errors (the 400s the tests provoke on
 * purpose aside). bypassCSP only so that axe-core can be added as a script for the accessibility check.
 */
async function openRecords(): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await env.browser.newContext({
    viewport: { width: 1400, height: 1000 },
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

/** The cells of one row of the attendance table, as the officer reads them. */
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

describe('the Records view: attendance corrections and the department profile', () => {
  it("corrects a trainee's check-in with a reason, and the table shows it", async () => {
    env.app.records.apply(classOps());
    const { ctx, page, problems } = await openRecords();

    await page.getByRole('button', { name: `Attendance — ${DATE} Identify and respond` }).click();
    const panel = page.getByRole('region', { name: `Attendance — ${DATE} Identify and respond` });
    await panel.getByRole('row').filter({ hasText: 'Ana Ortiz' }).waitFor();
    expect(await rowText(page, 'Ana Ortiz')).toEqual([
      'Ana Ortiz',
      '00417',
      'Riverside PD',
      '09:40',
      '11:00',
      '80',
      'No',
      'Correct',
    ]);

    await panel.getByRole('button', { name: 'Correct attendance of Ana Ortiz' }).click();
    const form = panel.getByRole('form', { name: 'Correct attendance of Ana Ortiz' });
    expect(await form.getByLabel('Check-in').inputValue()).toBe(local(START + 40 * MIN));
    await form.getByLabel('Check-in').fill(local(START));
    // No reason: refused in the page, nothing sent.
    await form.getByRole('button', { name: 'Save correction' }).click();
    expect(await form.getByRole('alert').textContent()).toBe(
      'Give a reason for the correction: it goes into the audit log.',
    );
    // A check-in after the check-out: the server says why.
    await form
      .getByLabel('Reason')
      .fill('Phone would not connect; signed the paper sign-in sheet at 09:00');
    await form.getByLabel('Check-in').fill(local(START + 115 * MIN));
    await form.getByLabel('Check-out').fill(local(START + 110 * MIN));
    await form.getByRole('button', { name: 'Save correction' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toMatch(/^The check-out \(.*\) is before the check-in \(.*\)\. Nothing was changed\.$/);
    expect(await rowText(page, 'Ana Ortiz')).toEqual([
      'Ana Ortiz',
      '00417',
      'Riverside PD',
      '09:40',
      '11:00',
      '80',
      'No',
      'Correct',
    ]);

    await form.getByLabel('Check-in').fill(local(START));
    await form.getByLabel('Check-out').fill(local(START + 120 * MIN));
    await page.screenshot({ path: shotPath('console-records-attendance-correct'), fullPage: true });
    await form.getByRole('button', { name: 'Save correction' }).click();
    await panel.getByRole('status').filter({ hasText: 'Correction saved for Ana Ortiz' }).waitFor();
    await expect
      .poll(() => rowText(page, 'Ana Ortiz'))
      .toEqual([
        'Ana Ortiz',
        '00417',
        'Riverside PD',
        '09:00',
        '11:00',
        '120',
        'Yes — Phone would not connect; signed the paper sign-in sheet at 09:00',
        'Correct',
      ]);
    expect(await form.count()).toBe(0);
    expect(await rowText(page, 'Ben Cole')).toEqual([
      'Ben Cole',
      'TX-2231',
      'County Sheriff',
      '09:02',
      '11:00',
      '118',
      'No',
      'Correct',
    ]);
    await page.screenshot({ path: shotPath('console-records-attendance'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('fills in the department profile, saves it, and finds it kept after a reload', async () => {
    const { ctx, page, problems } = await openRecords();
    const panel = page.getByRole('region', { name: 'Department profile' });
    await expect.poll(() => panel.getByLabel('Officer ID label').inputValue()).toBe('Officer ID');
    expect(await panel.getByLabel('Default pass mark (%)').inputValue()).toBe('70');

    await panel.getByLabel('Agency or academy').fill('Riverside Regional Academy');
    await panel.getByLabel('State').fill('TX');
    await panel.getByLabel('Officer ID label').fill('TCOLE PID');
    await panel.getByLabel('Default pass mark (%)').fill('150');
    await panel.getByLabel('Present at least (%)').fill('95');
    await panel.getByLabel('Present means').selectOption('connected');
    await panel.getByLabel('and passed the assessment').uncheck();
    await panel.getByLabel('Late grace (minutes)').fill('5');
    // Out of range: the server refuses it and says which field; nothing is saved.
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toBe('defaultPassMark: the pass mark is 0 to 100. Nothing was saved.');
    expect(await panel.getByRole('status').textContent()).toBe('');

    await panel.getByLabel('Default pass mark (%)').fill('80');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Saved');
    expect(await panel.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: shotPath('console-records-department'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.reload();
    await page.getByRole('button', { name: 'Records' }).click();
    await expect.poll(() => panel.getByLabel('Officer ID label').inputValue()).toBe('TCOLE PID');
    expect(
      await Promise.all(
        [
          'Agency or academy',
          'State',
          'Default pass mark (%)',
          'Present at least (%)',
          'Present means',
          'Late grace (minutes)',
        ].map((l) => panel.getByLabel(l).inputValue()),
      ),
    ).toEqual(['Riverside Regional Academy', 'TX', '80', '95', 'connected', '5']);
    expect(await panel.getByLabel('and passed the assessment').isChecked()).toBe(false);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
