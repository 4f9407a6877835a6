/**
 * Fair questions and phones that teach: a graded ranking reaches two phones in different orders
 * (each the same after a reload), never in the order that is its answer key; at the reveal each
 * phone says "Correct" or "Not quite", with the right answer (a ranking as a numbered list) and
 * why; a number is checked as it is typed; Q&A stays at hand while a question is up. axe-core
 * passes on each of these screens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { joinOnPhone, shotPath } from '../helpers/browser';
import { openConsole } from '../helpers/clients';
import { a11yPhoneContext, axeViolations, layoutReport } from '../helpers/a11y';

const RANK = [
  'Check for immediate danger',
  'Separate the people',
  'Call for an interpreter',
  'Screen privately',
  'Notify the task force',
  'Write the report',
];
const RIGHT = 'A qualified interpreter';
const WRONG = 'A family member';

const contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-teach-'));
fs.mkdirSync(path.join(contentDir, 'teach'));
fs.writeFileSync(
  path.join(contentDir, 'teach', 'course.yaml'),
  'id: teach\ntitle: "Phones that teach"\nmodules:\n  - file: 01-teach.md\n    title: Teaching\n    minutes: 10\n',
);
fs.writeFileSync(
  path.join(contentDir, 'teach', '01-teach.md'),
  [
    '---\ntitle: Teaching\n---\n<!-- id: start -->\n# Phones that teach\n',
    `<!-- id: s-rank -->\n\`\`\`question\nid: q-rank\ntype: ranking\ngraded: true\nprompt: "Put these steps in order."\noptions: ${JSON.stringify(RANK)}\nexplanation: "Safety first, then separation, then a private screening with a qualified interpreter."\n\`\`\`\n`,
    `<!-- id: s-single -->\n\`\`\`question\nid: q-single\ntype: single\nprompt: "Who should interpret the screening interview?"\noptions: ["The controller", "${WRONG}", "${RIGHT}"]\ncorrect: "${RIGHT}"\nexplanation: "A controller or relative can intimidate or mistranslate."\n\`\`\`\n`,
    '<!-- id: s-numeric -->\n```question\nid: q-numeric\ntype: numeric\nprompt: "How many years is the mandatory minimum under §1591(b)(1)?"\ncorrect: 15\ntolerance: 0\nunit: "years"\n```\n',
  ].join('\n---\n'),
);

const env = useE2e(() => ({ contentDir }));
afterAll(() => fs.rmSync(contentDir, { recursive: true, force: true }));

/** The ranking as this phone shows it, top first. */
const order = (p: Page) =>
  p
    .locator('.ranking li .rank-label')
    .evaluateAll((els) => els.map((e) => (e.lastChild?.textContent ?? '').trim()));

/** Moves items with the phone's arrows until the list reads `target`, as a trainee would. */
async function arrange(p: Page, target: string[]) {
  for (let i = 0; i < target.length; i++) {
    let at = (await order(p)).indexOf(target[i]);
    for (; at > i; at--) await p.getByRole('button', { name: `Move ${target[i]} up` }).click();
  }
  expect(await order(p)).toEqual(target);
}

describe('phones that teach', () => {
  it('a ranking in a different order on each phone; "Correct" or "Not quite" at the reveal; a number checked as typed; Q&A at hand', async () => {
    const con = await openConsole(env.app.consoleBase, env.app.token);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'teach', file: '01-teach.md' } })).ok,
    ).toBe(true);
    const room = env.app.classroom.engine.session!.roomCode;
    const [ana, ben] = await Promise.all(
      [
        { name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD' },
        { name: 'Ben Cole', officerId: 'TX-2231', agency: 'Riverside PD' },
      ].map(async (who) => {
        const p = await (await a11yPhoneContext(env.browser)).newPage();
        await joinOnPhone(p, `${env.app.lanUrl}/join/?room=${room}`, who);
        return p;
      }),
    );
    const violations: Record<string, unknown[]> = {};
    const layout: Record<string, unknown> = {};
    const look = async (p: Page, name: string) => {
      violations[name] = await axeViolations(p);
      const l = await layoutReport(p);
      if (l.overlaps.length || l.overflow.length || l.smallTargets.length) layout[name] = l;
      await p.screenshot({ path: shotPath(`trainee-${name}-360`), fullPage: true });
    };

    // ---- the ranking: each phone its own order, the same after a reload, never the key
    expect((await con.cmd({ type: 'goto', index: 1 })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    for (const p of [ana, ben])
      await p.getByRole('heading', { name: 'Put these steps in order.' }).waitFor();
    const [a, b] = [await order(ana), await order(ben)];
    expect([...a].sort()).toEqual([...RANK].sort());
    expect(a).not.toEqual(b);
    const sent = env.app.classroom.engine.traineeView(Date.now(), env.app.classroom.stage).question!
      .q.options;
    expect(sent).not.toEqual(RANK);
    await ben.reload();
    await ben.getByRole('heading', { name: 'Put these steps in order.' }).waitFor();
    expect(await order(ben)).toEqual(b);
    await look(ana, 'ranking-own-order');
    await arrange(ana, RANK);
    await ana.getByRole('button', { name: 'Send answer' }).click();
    await ben.getByRole('button', { name: 'Send answer' }).click();
    for (const p of [ana, ben]) await p.getByText('Answer received').waitFor();

    // Q&A at hand while the question is up: folded under it, one tap away.
    await ana.getByText('Ask the instructor a question').click();
    await ana.getByLabel('Your question').fill('Does the order change with a child victim?');
    await ana.getByRole('button', { name: 'Send question' }).click();
    await ana.getByText('Question received', { exact: false }).waitFor();
    await look(ana, 'question-with-qa');

    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
    await ana.locator('.verdict').getByText('Correct').waitFor();
    expect(await ana.locator('.right-order li').allTextContents()).toEqual(RANK);
    await ana.getByText('Safety first, then separation', { exact: false }).waitFor();
    await ben.locator('.right-order').waitFor();
    expect(await ben.locator('.verdict').textContent()).toBe(
      b.join() === RANK.join() ? '✓ Correct' : '✗ Not quite',
    );
    await look(ana, 'ranking-correct');
    await look(ben, 'ranking-revealed');

    // ---- one right answer: Ana right, Ben not; each phone says so, with the right answer and why
    expect((await con.cmd({ type: 'goto', index: 2 })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    await ana.getByRole('button', { name: RIGHT, exact: true }).click();
    await ben.getByRole('button', { name: WRONG, exact: true }).click();
    for (const p of [ana, ben]) await p.getByText('Answer received').waitFor();
    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
    await ana.locator('.verdict').getByText('Correct').waitFor();
    await ben.locator('.verdict').getByText('Not quite').waitFor();
    await ben.getByText(`The right answer: ${RIGHT}`).waitFor();
    await ben.getByText('A controller or relative can intimidate or mistranslate.').waitFor();
    // The buttons say it in words too: never colour alone.
    expect(await ben.getByRole('button', { name: WRONG, exact: true }).textContent()).toContain(
      '✗ Your answer',
    );
    expect(await ben.getByRole('button', { name: RIGHT, exact: true }).textContent()).toContain(
      '✓ Right answer',
    );
    await look(ana, 'single-correct');
    await look(ben, 'single-not-quite');

    // ---- a number: checked as it is typed, and said why
    expect((await con.cmd({ type: 'goto', index: 3 })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    const field = ben.getByLabel('Your answer (years)');
    await field.fill('fifteen');
    await ben.getByRole('alert').getByText('Type a number', { exact: false }).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await ben.getByRole('button', { name: 'Send answer' }).isDisabled()).toBe(true);
    await look(ben, 'numeric-not-a-number');
    await field.fill('14,5');
    expect(await ben.getByRole('button', { name: 'Send answer' }).isDisabled()).toBe(false);
    await ben.getByRole('button', { name: 'Send answer' }).click();
    await ben.getByText('Answer received').waitFor();
    expect(env.app.classroom.engine.run!.answers.size).toBe(1);
    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
    await ben.locator('.verdict').getByText('Not quite').waitFor();
    await ana.locator('.verdict').getByText('No answer given').waitFor();

    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
    expect(layout).toEqual({});
    await con.close();
  });
});
