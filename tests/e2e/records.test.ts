/**
 * The console's Records view in Chromium: past sessions with re-export (workbook, sign-in sheet and
 * results as PDF), a trainee found by officer ID, their history exported and read back, the
 * certification roster laid out by a chosen profile, the weak-spot chart with its baseline, the
 * Department gaps report.
 */
import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { launchChromium, shotPath } from '../helpers/browser';
import { axeViolations } from '../helpers/a11y';
import { readPdf } from '../helpers/pdf';
import type { RecordOp } from '../../main/session/engine';
import type { QuestionDef } from '../../shared/question';

let app: TestApp;
let browser: Browser;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const q1: QuestionDef = {
  id: 'ind-1',
  type: 'single',
  prompt: 'Which is an indicator?',
  options: ['Scripted answers', 'Own ID'],
  correct: 'Scripted answers',
  tags: ['indicators'],
};
const q2: QuestionDef = {
  id: 'def-1',
  type: 'truefalse',
  prompt: 'Movement is required',
  correct: false,
  tags: ['definitions'],
};
/** The anonymous department gap audit (a poll): Ana says Yes, Ben No, Cara doesn't know. */
const gap: QuestionDef = {
  id: 'dept-gap-interpreter',
  type: 'single',
  prompt: 'Could you get a qualified interpreter at 2 a.m.?',
  options: ['Yes', 'No', "I don't know"],
  tags: ['department-gap'],
};
const GAP_ANSWER: Record<string, string> = { Ana: 'Yes', Ben: 'No', Cara: "I don't know" };

/** A finished class: Ana (00417) passes, Ben fails the definitions question. */
function classOps(id: string, start: number, courseNumber: string): RecordOp[] {
  const people = [
    {
      t: `${id}-a`,
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Riverside PD',
      answers: ['Scripted answers', false],
    },
    {
      t: `${id}-b`,
      name: 'Ben Cole',
      officerId: 'TX-2231',
      agency: 'County Sheriff',
      answers: ['Own ID', true],
    },
    {
      t: `${id}-c`,
      name: 'Cara Diaz',
      officerId: '88120',
      agency: 'County Sheriff',
      answers: ['Scripted answers', true],
    },
  ];
  const ops: RecordOp[] = [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking Awareness',
      courseNumber,
      creditHours: 2,
      passMark: 50,
      file: 'm.md',
      title: 'Identify and respond',
      at: start,
    },
  ];
  people.forEach((p, i) => {
    ops.push({
      op: 'trainee',
      id: p.t,
      sessionId: id,
      name: p.name,
      officerId: p.officerId,
      agency: p.agency,
      at: start + i * 1000,
    });
    ops.push({
      op: 'attendance',
      sessionId: id,
      traineeId: p.t,
      event: 'join',
      at: start + i * 1000,
    });
  });
  [q1, q2].forEach((q, k) => {
    ops.push({
      op: 'runOpen',
      runId: `${id}-r${k}`,
      sessionId: id,
      slideIndex: k,
      question: q,
      at: start + (10 + k) * MIN,
      deadline: null,
    });
    for (const p of people)
      ops.push({
        op: 'answer',
        runId: `${id}-r${k}`,
        sessionId: id,
        traineeId: p.t,
        msgId: `${id}${k}${p.t}`,
        value: p.answers[k],
        correct: null,
        at: start + (10 + k) * MIN + 5000,
      });
  });
  ops.push({
    op: 'runOpen',
    runId: `${id}-gap`,
    sessionId: id,
    slideIndex: 5,
    question: gap,
    at: start + 30 * MIN,
    deadline: null,
  });
  for (const p of people)
    ops.push({
      op: 'answer',
      runId: `${id}-gap`,
      sessionId: id,
      traineeId: p.t,
      msgId: `${id}gap${p.t}`,
      value: GAP_ANSWER[p.name.split(' ')[0]],
      correct: null,
      at: start + 31 * MIN,
    });
  ops.push({ op: 'end', sessionId: id, at: start + 120 * MIN });
  return ops;
}

beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  const now = Date.now();
  app.records.apply(classOps('11111111-aaaa-4aaa-8aaa-111111111111', now - 40 * DAY, '3270'));
  app.records.apply(classOps('22222222-bbbb-4bbb-8bbb-222222222222', now - 5 * DAY, '3271'));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the Records view', () => {
  it('finds a trainee by officer ID, shows their history and exports it', async () => {
    // bypassCSP only so that axe-core can be added as a script for the accessibility check.
    const ctx = await browser.newContext({
      viewport: { width: 1600, height: 1000 },
      acceptDownloads: true,
      bypassCSP: true,
    });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(app.urls().console);
    await page.getByRole('button', { name: 'Records' }).click();
    await page.getByRole('heading', { name: 'Past sessions' }).waitFor();
    await expect.poll(() => page.locator('.records-sessions tbody tr').count()).toBe(2);

    await page.getByLabel('Search trainees').fill('00417');
    const found = page.getByRole('list', { name: 'Trainees found' }).getByRole('button');
    await expect.poll(() => found.count()).toBe(1);
    expect(await found.textContent()).toContain('Ana Ortiz');
    await found.click();
    const history = page.getByRole('region', { name: 'Training history' });
    await history.getByText('2 sessions · 4 credit hours').waitFor();
    expect(await history.locator('tbody tr').count()).toBe(2);
    expect(await history.locator('tbody').textContent()).toContain('3271-');

    // The weak-spot report: the definitions question most got wrong shows up first.
    const topics = page.getByRole('figure').filter({ hasText: 'Share correct by topic' });
    await topics.locator('tbody tr').first().waitFor();
    // No pre-test in these classes: the baseline column is empty.
    expect(await topics.locator('tbody tr').first().textContent()).toMatch(
      /^definitions\s*6\s*33%\s*—$/,
    );

    // The Department gaps report: totals only. Three people in two agencies: too few in either to
    // show on its own, and pooled they make three.
    const gaps = page.getByRole('region', { name: 'Department gaps', exact: true });
    await gaps.locator('tbody tr').first().waitFor();
    const gapRow = (await gaps.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ');
    expect(gapRow).toBe(
      'Could you get a qualified interpreter at 2 a.m.? Other agencies (pooled): 67% of 3 1 1 1 67%',
    );
    expect(await gaps.innerText()).not.toMatch(/Ana|Ben|Cara|Riverside|County/);
    await gaps.screenshot({ path: shotPath('console-department-gaps-1600') });
    await page.screenshot({ path: shotPath('console-records-1600'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history.getByRole('button', { name: 'Export history' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('muster-history-00417.xlsx');
    const wb = XLSX.read(fs.readFileSync((await download.path())!), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.History);
    expect(
      rows.map((r) => [
        r['Officer ID'],
        r.Name,
        r['Course number'],
        r['Score %'],
        r.Result,
        r['Hours awarded'],
      ]),
    ).toEqual([
      ['00417', 'Ana Ortiz', '3270', 100, 'Pass', 2],
      ['00417', 'Ana Ortiz', '3271', 100, 'Pass', 2],
    ]);
    expect(String(rows[0]['Certificate number'])).toMatch(/^3270-\d{8}-001$/);

    // Re-export any session's workbook from the list.
    const [wbDownload] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /^Workbook — / })
        .first()
        .click(),
    ]);
    const sessionBook = XLSX.read(fs.readFileSync((await wbDownload.path())!), { type: 'buffer' });
    expect(sessionBook.SheetNames).toEqual([
      'Summary',
      'Attendance',
      'Scores',
      'Responses',
      'Item analysis',
      'Q&A',
      'Evaluation',
      'Audit log',
      'Department gaps',
    ]);

    // The sign-in sheet and the class's results, as PDF files to print: one click each.
    const pdf = async (name: RegExp) => {
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).first().click(),
      ]);
      expect(d.suggestedFilename()).toMatch(/\.pdf$/);
      return readPdf(fs.readFileSync((await d.path())!));
    };
    const signIn = await pdf(/^Sign-in sheet PDF — /);
    expect(signIn.pages).toHaveLength(1);
    // Sorted by last name: Cole, Diaz, Ortiz.
    expect(signIn.pages[0]).toMatch(
      /1 Cole Ben TX-2231 County Sheriff .* 2 Diaz Cara 88120 .* 3 Ortiz Ana 00417 Riverside PD/,
    );
    expect((await pdf(/^Results PDF — /)).pages[0]).toMatch(/Class results .* Ortiz Ana 00417/);

    // The certification roster laid out for TCOLE, as the CSV a portal takes.
    const range = page.getByRole('region', {
      name: 'Certification roster, weak spots and department gaps',
    });
    await range.getByLabel('Layout').selectOption({ label: 'TCOLE (Texas)' });
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      range.getByRole('button', { name: 'Roster CSV for upload' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^muster-roster-tcole-.*\.csv$/);
    const lines = fs.readFileSync((await csv.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(
      /^PID,Last Name,First Name,Agency,Course Number,Course Title,Begin Date,/,
    );
    expect(lines.filter((l) => l.startsWith('00417,Ortiz,Ana,'))).toHaveLength(2);

    // Back to the class.
    await page.getByRole('button', { name: 'Records' }).click();
    await page.getByRole('button', { name: 'Start session' }).waitFor();
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
