import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { launchChromium, phoneContext, shotPath } from '../helpers/browser';

/**
 * Every question type, end to end: five phones answer through the real trainee page, the projector
 * shows the right aggregate (read from the text each view carries), and the export holds the answers.
 */

const COURSE = `id: types
title: "Question types"
modules:
  - file: 01-types.md
    title: All question types
    minutes: 30
`;

const INTERPRETER = 'A qualified interpreter';
const MULTI = ['Scripted story', 'No ID', 'Rental car', 'Answers for others'];
const RANK = ['Immediate danger', 'Separate', 'Screen privately', 'Notify task force'];

const DECK = `---
title: All question types
---
<!-- id: start -->
# Question types

---
<!-- id: s-single -->
\`\`\`question
id: q-single
type: single
prompt: "Who should interpret the screening interview?"
options: ["The controller", "A family member", "${INTERPRETER}"]
correct: "${INTERPRETER}"
\`\`\`

---
<!-- id: s-multi -->
\`\`\`question
id: q-multi
type: multi
prompt: "Which are indicators worth a follow-up question?"
options: ${JSON.stringify(MULTI)}
correct: ["Scripted story", "No ID", "Answers for others"]
scoring: partial
\`\`\`

---
<!-- id: s-truefalse -->
\`\`\`question
id: q-truefalse
type: truefalse
prompt: "A minor in commercial sex is a victim even without force, fraud or coercion."
correct: true
\`\`\`

---
<!-- id: s-numeric -->
\`\`\`question
id: q-numeric
type: numeric
prompt: "What is the mandatory minimum term, in years, under §1591(b)(1)?"
correct: 15
tolerance: 1
unit: "years"
\`\`\`

---
<!-- id: s-rating -->
\`\`\`question
id: q-rating
type: rating
prompt: "How confident are you telling trafficking from smuggling?"
scale: {min: 1, max: 5, minLabel: "Not confident", maxLabel: "Very confident"}
\`\`\`

---
<!-- id: s-text -->
\`\`\`question
id: q-text
type: text
prompt: "In a word or two: what keeps a victim from asking for help?"
\`\`\`

---
<!-- id: s-ranking -->
\`\`\`question
id: q-ranking
type: ranking
graded: true
prompt: "Put these steps at a scene in priority order."
options: ${JSON.stringify(RANK)}
\`\`\`

---
<!-- id: s-list -->
\`\`\`question
id: q-list
type: text
display: list
prompt: "One thing you will do differently on your next stop?"
\`\`\`
`;

const TRAINEES = [
  { name: 'Ana Ortiz', officerId: '00417' },
  { name: 'Ben Cole', officerId: 'TX-2231' },
  { name: 'Cara Diaz', officerId: '88120' },
  { name: 'Dev Patel', officerId: '00902' },
  { name: 'Eve Stone', officerId: '31337' },
];

type Act = (p: Page) => Promise<void>;
const tap =
  (...names: string[]): Act =>
  async (p) => {
    for (const n of names) await p.getByRole('button', { name: n, exact: true }).click();
  };
const tapAndSend =
  (...names: string[]): Act =>
  async (p) => {
    await tap(...names)(p);
    await p.getByRole('button', { name: 'Send answer' }).click();
  };
/** A scale point; its end points may carry their label in the accessible name ("5, Very confident"). */
const rate =
  (n: number): Act =>
  async (p) => {
    await p.getByRole('button', { name: new RegExp(`^${n}(,|$)`) }).click();
  };
const type =
  (text: string): Act =>
  async (p) => {
    await p.getByLabel(/Your answer/).fill(text);
    await p.getByRole('button', { name: 'Send answer' }).click();
  };
/** Puts the items in this order with the arrows (each phone starts from its own shuffle), then sends. */
const rank =
  (...target: string[]): Act =>
  async (p) => {
    const order = () =>
      p
        .locator('.ranking li .rank-label')
        .evaluateAll((els) => els.map((e) => (e.lastChild?.textContent ?? '').trim()));
    for (let i = 0; i < target.length; i++)
      for (let at = (await order()).indexOf(target[i]); at > i; at--)
        await p.getByRole('button', { name: `Move ${target[i]} up` }).click();
    expect(await order()).toEqual(target);
    await p.getByRole('button', { name: 'Send answer' }).click();
  };

/** The rows of a table as text, cells trimmed: what a person reading the screen sees (an option's mark aside). */
function rows(table: Locator): Promise<string[][]> {
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) =>
        ((c.querySelector('.bar-text') ?? c).textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

/** Nothing on the projector says how many chose what while the question is open. */
async function noSplit(projector: Page): Promise<void> {
  expect(
    await projector
      .locator(
        '.q-results, [data-testid^="count-"], .cloud-word, .rank-table, .bins-table, .answer-list',
      )
      .count(),
  ).toBe(0);
}

let app: TestApp;
let browser: Browser;
let contentDir: string;

beforeAll(async () => {
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-types-'));
  fs.mkdirSync(path.join(contentDir, 'types'));
  fs.writeFileSync(path.join(contentDir, 'types', 'course.yaml'), COURSE);
  fs.writeFileSync(path.join(contentDir, 'types', '01-types.md'), DECK);
  app = await startTestApp({ contentDir });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (contentDir) fs.rmSync(contentDir, { recursive: true, force: true });
});

describe('every question type from the phones to the projector to the spreadsheet', () => {
  it('five trainees answer each type; the projector shows its aggregate; the export holds the answers', async () => {
    const urls = app.urls();
    const consoleCtx = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      acceptDownloads: true,
    });
    const con = await consoleCtx.newPage();
    await con.goto(urls.console);
    await con
      .getByLabel('Deck')
      .selectOption({ label: 'Question types — All question types (9 slides)' });
    await con.getByRole('button', { name: 'Start session' }).click();
    await con.getByText('Waiting for trainees').waitFor();
    const projCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const projector = await projCtx.newPage();
    await projector.goto(urls.projector);
    const joinUrl = (await con.locator('.join-url').textContent())!.trim();

    // Five phones join once and stay for every question.
    const phones = await Promise.all(
      TRAINEES.map(async (t) => {
        const p = await (await phoneContext(browser)).newPage();
        await p.goto(joinUrl);
        await p.getByLabel('Name').fill(t.name);
        await p.getByLabel('Officer ID').fill(t.officerId);
        await p.getByLabel('Agency').fill('Riverside PD');
        await p.getByRole('button', { name: 'Join' }).click();
        await p.getByText('You are in').waitFor();
        return p;
      }),
    );
    await projector.getByText('5 joined').waitFor();

    let slide = 1;
    /** Next slide, open the question, each phone answers and sees "Answer received". */
    async function ask(prompt: string, acts: Act[]): Promise<void> {
      await con.getByRole('button', { name: 'Next slide' }).click();
      slide++;
      await con.getByText(`Slide ${slide} of 9`).waitFor();
      await con.getByRole('button', { name: 'Open question' }).click();
      await con.getByText('Question open').waitFor();
      await Promise.all(
        phones.map(async (p, i) => {
          await p.getByRole('heading', { name: prompt }).waitFor();
          await acts[i](p).catch(async (e) => {
            await p.screenshot({ path: shotPath(`debug-phone-${i}`) });
            fs.writeFileSync(shotPath(`debug-phone-${i}`) + '.html', await p.content());
            throw e;
          });
          await p.getByText('Answer received').waitFor();
        }),
      );
      await projector.getByText('5 of 5 answered').waitFor();
    }
    /** Close, reveal, and keep a picture of the projector. */
    async function reveal(shot: string): Promise<void> {
      await con.getByRole('button', { name: 'Close question' }).click();
      await con.getByRole('button', { name: 'Show results' }).click();
      await con.getByText('Results shown').waitFor();
      await projector.locator('.q-results').waitFor();
      await projector.waitForTimeout(300); // the histogram's 150 ms animation
      await projector.screenshot({ path: shotPath(`projector-results-${shot}-1920`) });
    }
    const table = (cls: string) => projector.locator(`.question-screen .${cls}`);

    // ---- single choice: counts per option, once shown; the right one is marked
    await ask('Who should interpret the screening interview?', [
      tap(INTERPRETER),
      tap(INTERPRETER),
      tap('A family member'),
      tap(INTERPRETER),
      tap('The controller'),
    ]);
    await noSplit(projector);
    await reveal('single');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['The controller', '1'],
        ['A family member', '1'],
        [INTERPRETER, '3'],
      ]);
    await expect(
      table('results-table').locator('tr.correct .bar-text').textContent(),
    ).resolves.toBe(INTERPRETER);

    // ---- multiple select, partial credit: every pick counted
    await ask('Which are indicators worth a follow-up question?', [
      tapAndSend('Scripted story', 'No ID', 'Answers for others'),
      tapAndSend('No ID', 'Scripted story'),
      tapAndSend('Scripted story', 'Rental car'),
      tapAndSend('Rental car'),
      tapAndSend('Answers for others', 'Rental car', 'Scripted story', 'No ID'),
    ]);
    await noSplit(projector);
    await reveal('multi');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['Scripted story', '4'],
        ['No ID', '3'],
        ['Rental car', '3'],
        ['Answers for others', '2'],
      ]);

    // ---- true/false
    await ask('A minor in commercial sex is a victim even without force, fraud or coercion.', [
      tap('True'),
      tap('True'),
      tap('False'),
      tap('True'),
      tap('True'),
    ]);
    await noSplit(projector);
    await reveal('truefalse');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['True', '4'],
        ['False', '1'],
      ]);

    // ---- numeric: a histogram with mean and median; the band once shown. "14,5" is a decimal comma.
    await ask('What is the mandatory minimum term, in years, under §1591(b)(1)?', [
      type('15'),
      type('14,5'),
      type('10'),
      type('15'),
      type('20'),
    ]);
    await noSplit(projector);
    // The console sees the answers arrive (the instructor's own view), with the same drawing.
    await con.locator('.results').getByText('Median').waitFor();
    expect(await rows(con.locator('.results .results-stats-table'))).toEqual([
      ['Mean', '14.9 years'],
      ['Median', '15 years'],
    ]);
    await reveal('numeric');
    await expect
      .poll(() => rows(table('bins-table')))
      .toEqual([
        ['10–12.5', '1'],
        ['12.5–15', '1'],
        ['15–17.5', '2'],
        ['17.5–20', '0'],
        ['20–22.5', '1'],
      ]);
    await expect
      .poll(() => rows(table('results-stats-table')))
      .toEqual([
        ['Mean', '14.9 years'],
        ['Median', '15 years'],
        ['Correct', '15 years ± 1'],
      ]);
    expect(await table('bins-table').locator('tr.in-band th').allTextContents()).toEqual([
      '12.5–15',
      '15–17.5',
    ]);
    await con.screenshot({ path: shotPath('console-results-numeric-1920') });

    // ---- rating: counts per scale point and the mean
    await ask('How confident are you telling trafficking from smuggling?', [
      rate(4),
      rate(5),
      rate(3),
      rate(4),
      rate(2),
    ]);
    await noSplit(projector);
    await reveal('rating');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['1', '0'],
        ['2', '1'],
        ['3', '1'],
        ['4', '2'],
        ['5', '1'],
      ]);
    expect(await projector.getByTestId('rating-mean').textContent()).toBe('3.6');
    await projector.getByText('1 = Not confident').waitFor();

    // ---- open text as a word cloud: normalised, short answers as phrases, long ones as words
    await ask('In a word or two: what keeps a victim from asking for help?', [
      type('Debt bondage'),
      type('debt bondage!'),
      type('Fear'),
      type('  FEAR of police '),
      type('They took her passport and kept all of her wages'),
    ]);
    await noSplit(projector);
    await reveal('text');
    await expect
      .poll(() => rows(table('cloud-table')))
      .toEqual([
        ['debt bondage', '2'],
        ['fear', '1'],
        ['fear of police', '1'],
        ['kept', '1'],
        ['passport', '1'],
        ['took', '1'],
        ['wages', '1'],
      ]);
    expect((await projector.locator('.cloud-word').allTextContents()).sort()).toEqual([
      'debt bondage',
      'fear',
      'fear of police',
      'kept',
      'passport',
      'took',
      'wages',
    ]);
    await con.screenshot({ path: shotPath('console-results-text-1920') });

    // ---- ranking: average rank per item, best first; each item's right place once shown
    const [danger, separate, screen, notify] = RANK;
    await ask('Put these steps at a scene in priority order.', [
      rank(...RANK),
      rank(separate, danger, screen, notify),
      rank(...RANK),
      rank(danger, separate, notify, screen),
      rank(separate, danger, screen, notify),
    ]);
    await noSplit(projector);
    await reveal('ranking');
    expect(await rows(table('rank-table'))).toEqual([
      ['1', 'Immediate danger', '1.4', '1'],
      ['2', 'Separate', '1.6', '2'],
      ['3', 'Screen privately', '3.2', '3'],
      ['4', 'Notify task force', '3.8', '4'],
    ]);
    await con.screenshot({ path: shotPath('console-results-ranking-1920') });
    // The phones see the whole right order, and whether theirs was it.
    await phones[0].locator('.right-order').waitFor();
    expect(await phones[0].locator('.right-order li').allTextContents()).toEqual(RANK);
    expect(await Promise.all(phones.map((p) => p.locator('.verdict').textContent()))).toEqual([
      '✓ Correct',
      '✗ Not quite',
      '✓ Correct',
      '✗ Not quite',
      '✗ Not quite',
    ]);

    // ---- the export: one row per trainee per question, each answer readable
    const [download] = await Promise.all([
      con.waitForEvent('download'),
      con.getByRole('button', { name: 'Export' }).click(),
    ]);
    const wb = XLSX.read(fs.readFileSync((await download.path())!), {
      type: 'buffer',
      cellNF: true,
    });
    const responses = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Responses);
    expect(responses).toHaveLength(35);
    const cell = (officerId: string, questionId: string) =>
      responses.find((r) => r['Officer ID'] === officerId && r['Question ID'] === questionId)!;
    const answers = (questionId: string) =>
      TRAINEES.map((t) => cell(t.officerId, questionId).Answer);
    expect(answers('q-single')).toEqual([
      INTERPRETER,
      INTERPRETER,
      'A family member',
      INTERPRETER,
      'The controller',
    ]);
    expect(answers('q-multi')).toEqual([
      'Scripted story | No ID | Answers for others',
      'Scripted story | No ID',
      'Scripted story | Rental car',
      'Rental car',
      'Scripted story | No ID | Rental car | Answers for others',
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-multi').Score)).toEqual([
      1, 0.6667, 0, 0, 0.6667,
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-multi').Correct)).toEqual([
      'Yes',
      'No',
      'No',
      'No',
      'No',
    ]);
    expect(answers('q-truefalse')).toEqual(['True', 'True', 'False', 'True', 'True']);
    expect(answers('q-numeric')).toEqual([15, 14.5, 10, 15, 20]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-numeric').Score)).toEqual([1, 1, 0, 1, 0]);
    expect(answers('q-rating')).toEqual([4, 5, 3, 4, 2]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-rating').Score)).toEqual(['', '', '', '', '']);
    expect(answers('q-text')).toEqual([
      'Debt bondage',
      'debt bondage!',
      'Fear',
      'FEAR of police',
      'They took her passport and kept all of her wages',
    ]);
    expect(answers('q-ranking')).toEqual([
      RANK.join(' > '),
      'Separate > Immediate danger > Screen privately > Notify task force',
      RANK.join(' > '),
      'Immediate danger > Separate > Notify task force > Screen privately',
      'Separate > Immediate danger > Screen privately > Notify task force',
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-ranking').Score)).toEqual([1, 0, 1, 0, 0]);
    expect(wb.Sheets.Responses[XLSX.utils.encode_cell({ r: 1, c: 7 })].z).toBe('0%');

    // ---- open text as a list: newest first, text only, rendered as text
    await ask('One thing you will do differently on your next stop?', [
      type('Separate passengers before asking'),
      type('<img src=x onerror="document.title=1">'),
      type('=1+1'),
      type('Call the task force early'),
      type('Watch who answers for whom'),
    ]);
    await noSplit(projector);
    await reveal('text-list');
    await expect
      .poll(async () => (await projector.locator('.answer-list li').allTextContents()).sort())
      .toEqual(
        [
          '<img src=x onerror="document.title=1">',
          '=1+1',
          'Call the task force early',
          'Separate passengers before asking',
          'Watch who answers for whom',
        ].sort(),
      );
    expect(await projector.locator('.answer-list img').count()).toBe(0);
    expect(await projector.locator('.results-list').textContent()).not.toMatch(/Ana|Ortiz|00417/);

    await Promise.all(phones.map((p) => p.context().close()));
    await consoleCtx.close();
    await projCtx.close();
  });
});
