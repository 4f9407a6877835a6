/**
 * The question-types class (tests/e2e/question-types-*.test.ts): a course of one deck made of the
 * chosen question slides, five phones that join once and answer every question through the real
 * trainee page, the projector beside them, and the acts a phone performs to answer each type.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestApp } from './app';
import type { TestApp } from './app';
import { launchChromium, phoneContext, shotPath } from './browser';

export const INTERPRETER = 'A qualified interpreter';
export const MULTI = ['Scripted story', 'No ID', 'Rental car', 'Answers for others'];
export const RANK = ['Immediate danger', 'Separate', 'Screen privately', 'Notify task force'];

/** One slide per question type, by name. */
const SLIDES = {
  single: `<!-- id: s-single -->
\`\`\`question
id: q-single
type: single
prompt: "Who should interpret the screening interview?"
options: ["The controller", "A family member", "${INTERPRETER}"]
correct: "${INTERPRETER}"
\`\`\`
`,
  multi: `<!-- id: s-multi -->
\`\`\`question
id: q-multi
type: multi
prompt: "Which are indicators worth a follow-up question?"
options: ${JSON.stringify(MULTI)}
correct: ["Scripted story", "No ID", "Answers for others"]
scoring: partial
\`\`\`
`,
  truefalse: `<!-- id: s-truefalse -->
\`\`\`question
id: q-truefalse
type: truefalse
prompt: "A minor in commercial sex is a victim even without force, fraud or coercion."
correct: true
\`\`\`
`,
  numeric: `<!-- id: s-numeric -->
\`\`\`question
id: q-numeric
type: numeric
prompt: "What is the mandatory minimum term, in years, under §1591(b)(1)?"
correct: 15
tolerance: 1
unit: "years"
\`\`\`
`,
  rating: `<!-- id: s-rating -->
\`\`\`question
id: q-rating
type: rating
prompt: "How confident are you telling trafficking from smuggling?"
scale: {min: 1, max: 5, minLabel: "Not confident", maxLabel: "Very confident"}
\`\`\`
`,
  text: `<!-- id: s-text -->
\`\`\`question
id: q-text
type: text
prompt: "In a word or two: what keeps a victim from asking for help?"
\`\`\`
`,
  ranking: `<!-- id: s-ranking -->
\`\`\`question
id: q-ranking
type: ranking
graded: true
prompt: "Put these steps at a scene in priority order."
options: ${JSON.stringify(RANK)}
\`\`\`
`,
  list: `<!-- id: s-list -->
\`\`\`question
id: q-list
type: text
display: list
prompt: "One thing you will do differently on your next stop?"
\`\`\`
`,
};

export const TRAINEES = [
  { name: 'Ana Ortiz', officerId: '00417' },
  { name: 'Ben Cole', officerId: 'TX-2231' },
  { name: 'Cara Diaz', officerId: '88120' },
  { name: 'Dev Patel', officerId: '00902' },
  { name: 'Eve Stone', officerId: '31337' },
];

export type Act = (p: Page) => Promise<void>;
export const tap =
  (...names: string[]): Act =>
  async (p) => {
    for (const n of names) await p.getByRole('button', { name: n, exact: true }).click();
  };
export const tapAndSend =
  (...names: string[]): Act =>
  async (p) => {
    await tap(...names)(p);
    await p.getByRole('button', { name: 'Send answer' }).click();
  };
/** A scale point; its end points may carry their label in the accessible name ("5, Very confident"). */
export const rate =
  (n: number): Act =>
  async (p) => {
    await p.getByRole('button', { name: new RegExp(`^${n}(,|$)`) }).click();
  };
export const type =
  (text: string): Act =>
  async (p) => {
    await p.getByLabel(/Your answer/).fill(text);
    await p.getByRole('button', { name: 'Send answer' }).click();
  };
/** Puts the items in this order with the arrows (each phone starts from its own shuffle), then sends. */
export const rank =
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
export function rows(table: Locator): Promise<string[][]> {
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) =>
        ((c.querySelector('.bar-text') ?? c).textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

/** Nothing on the projector says how many chose what while the question is open. */
export async function noSplit(projector: Page): Promise<void> {
  expect(
    await projector
      .locator(
        '.q-results, [data-testid^="count-"], .cloud-word, .rank-table, .bins-table, .answer-list',
      )
      .count(),
  ).toBe(0);
}

/**
 * One real app with a course "Question types" whose one deck (`title`) is a title slide and then
 * the `questions` in order, and one Chromium; both stopped afterwards.
 */
export function useTypesCourse(
  title: string,
  questions: (keyof typeof SLIDES)[],
): { app: TestApp; browser: Browser } {
  const env = {} as { app: TestApp; browser: Browser };
  let contentDir: string | undefined;
  beforeAll(async () => {
    contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-types-'));
    fs.mkdirSync(path.join(contentDir, 'types'));
    fs.writeFileSync(
      path.join(contentDir, 'types', 'course.yaml'),
      `id: types\ntitle: "Question types"\nmodules:\n  - file: 01-types.md\n    title: ${title}\n    minutes: 30\n`,
    );
    const deck = [`---\ntitle: ${title}\n---\n<!-- id: start -->\n# Question types\n`]
      .concat(questions.map((q) => SLIDES[q]))
      .join('\n---\n');
    fs.writeFileSync(path.join(contentDir, 'types', '01-types.md'), deck);
    env.app = await startTestApp({ contentDir });
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.stop();
    if (contentDir) fs.rmSync(contentDir, { recursive: true, force: true });
  });
  return env;
}

export interface TypesClass {
  con: Page;
  projector: Page;
  phones: Page[];
  /** Next slide, open the question, each phone answers and sees "Answer received". */
  ask(prompt: string, acts: Act[]): Promise<void>;
  /** Close, reveal, and keep a picture of the projector. */
  reveal(shot: string): Promise<void>;
  /** A table of the question on the projector, by class. */
  table(cls: string): Locator;
  close(): Promise<void>;
}

/** The console starts the deck (`label` in the deck list), the projector opens, five phones join. */
export async function openTypesClass(
  env: { app: TestApp; browser: Browser },
  label: string,
  slides: number,
): Promise<TypesClass> {
  const { browser } = env;
  const urls = env.app.urls();
  const consoleCtx: BrowserContext = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    acceptDownloads: true,
  });
  const con = await consoleCtx.newPage();
  await con.goto(urls.console);
  await con.getByLabel('Deck').selectOption({ label });
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
  return {
    con,
    projector,
    phones,
    async ask(prompt, acts) {
      await con.getByRole('button', { name: 'Next slide' }).click();
      slide++;
      await con.getByText(`Slide ${slide} of ${slides}`).waitFor();
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
    },
    async reveal(shot) {
      await con.getByRole('button', { name: 'Close question' }).click();
      await con.getByRole('button', { name: 'Show results' }).click();
      await con.getByText('Results shown').waitFor();
      await projector.locator('.q-results').waitFor();
      await projector.waitForTimeout(300); // the histogram's 150 ms animation
      await projector.screenshot({ path: shotPath(`projector-results-${shot}-1920`) });
    },
    table: (cls) => projector.locator(`.question-screen .${cls}`),
    async close() {
      await Promise.all(phones.map((p) => p.context().close()));
      await consoleCtx.close();
      await projCtx.close();
    },
  };
}

/** The console's Export, downloaded: the workbook, its Responses rows, and a trainee's row for a question. */
export async function exportResponses(con: Page) {
  const [download] = await Promise.all([
    con.waitForEvent('download'),
    con.getByRole('button', { name: 'Export' }).click(),
  ]);
  const wb = XLSX.read(fs.readFileSync((await download.path())!), {
    type: 'buffer',
    cellNF: true,
  });
  const responses = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Responses);
  const cell = (officerId: string, questionId: string) =>
    responses.find((r) => r['Officer ID'] === officerId && r['Question ID'] === questionId)!;
  const answers = (questionId: string) => TRAINEES.map((t) => cell(t.officerId, questionId).Answer);
  return { wb, responses, cell, answers };
}
