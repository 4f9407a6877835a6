import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e, startClass, openProjectorPage } from '../helpers/e2e';
import { joinOnPhone, shotPath } from '../helpers/browser';
import { a11yPhoneContext, axeViolations, layoutReport } from '../helpers/a11y';

const env = useE2e();

const TRAINEES = [
  { name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD' },
  { name: 'Ben Cole', officerId: 'TX-2231', agency: 'County Sheriff' },
];

describe('the optional game layer in Chromium', () => {
  it('turned on in the console, played on two phones, the leaderboard on the projector', async () => {
    const { con, joinUrl: readJoinUrl } = await startClass(env, { deck: 'demo/01-welcome.md' });

    // Off by default; the instructor turns it on.
    await con.getByRole('button', { name: 'Game', exact: true }).click();
    expect(await con.getByRole('radio', { name: 'Off' }).isChecked()).toBe(true);
    // The radio follows the server's view (click, then the server says the game is on).
    await con.getByRole('radio', { name: 'Leaderboard' }).click();
    await con.getByRole('button', { name: 'Game (on)' }).waitFor();

    const projector = await openProjectorPage(env);
    const roomCode = (await con.locator('.room-code').textContent())!.trim();
    const joinUrl = await readJoinUrl();

    const phones: Page[] = [];
    for (const t of TRAINEES) {
      const p = await (await a11yPhoneContext(env.browser)).newPage();
      expect(joinUrl).toContain(`room=${roomCode}`);
      await joinOnPhone(p, joinUrl, t);
      await p.getByText('Game points').waitFor();
      phones.push(p);
    }
    const [ana, ben] = phones;
    // Ana picks a nickname; Ben keeps the automatic one.
    await ana.getByText('Change nickname').click();
    await ana.getByLabel('Nickname on the leaderboard').fill('Night Owl');
    await ana.getByRole('button', { name: 'Save nickname' }).click();
    await ana.getByText('On the leaderboard as Night Owl').waitFor();
    await ben.getByText('On the leaderboard as Unit 2').waitFor();
    // The nickname form passes axe too.
    await ben.getByText('Change nickname').click();
    await ben.getByLabel('Nickname on the leaderboard').waitFor();
    expect(await axeViolations(ben)).toEqual([]);
    await ana.screenshot({ path: shotPath('game-phone-waiting-360'), fullPage: true });

    // The graded true/false question (slide 4): Ana answers at once, Ben two seconds later.
    for (const n of [2, 3, 4]) {
      await con.getByRole('button', { name: 'Next slide' }).click();
      await con.getByText(`Slide ${n} of 6`).waitFor();
    }
    await con.getByRole('button', { name: 'Open question' }).click();
    await con.getByText('Question open').waitFor();
    await ana.getByRole('button', { name: 'True', exact: true }).click();
    await ana.getByText('Answer received').waitFor();
    await ana.waitForTimeout(2000);
    await ben.getByRole('button', { name: 'True', exact: true }).click();
    await ben.getByText('Answer received').waitFor();
    await con.getByRole('button', { name: 'Close question' }).click();
    await con.getByRole('button', { name: 'Show results' }).click();
    await con.getByText('Results shown').waitFor();

    // Each phone: its own points and rank after the reveal.
    await ana.getByText('+1,000 for this question').waitFor();
    await ana.getByText('rank 1 of 2').waitFor();
    await ben.getByText('rank 2 of 2').waitFor();
    const benLast = await ben.locator('.game-last').textContent();
    const benPoints = Number(/\+([\d,]+)/.exec(benLast ?? '')![1].replace(/,/g, ''));
    expect(benPoints).toBeGreaterThanOrEqual(500);
    expect(benPoints).toBeLessThan(1000);
    // Nobody else's nickname or points on a phone.
    expect(await ana.locator('body').textContent()).not.toContain('Unit 2');
    await ana.locator('.game-card').scrollIntoViewIfNeeded();
    await ana.screenshot({ path: shotPath('game-phone-points-360') });
    await ana.screenshot({ path: shotPath('game-phone-points-full-360'), fullPage: true });
    expect(await axeViolations(ana)).toEqual([]);
    const layout = await layoutReport(ana);
    expect(layout.overflow).toEqual([]);
    expect(layout.smallTargets).toEqual([]);

    // The console (it turned to the answers when the question opened): nickname next to the real
    // name, and the leaderboard on the projector.
    await con.getByRole('button', { name: 'Game (on)' }).click();
    await con.getByRole('cell', { name: 'Night Owl', exact: true }).waitFor();
    await con.getByRole('cell', { name: 'Ana Ortiz', exact: true }).waitFor();
    await con.getByRole('button', { name: 'Show leaderboard' }).click();
    await projector.getByRole('heading', { name: 'Leaderboard' }).waitFor();
    await expect
      .poll(() => projector.locator('.leaderboard li').allTextContents())
      .toEqual(['1Night Owl1,000', `2Unit 2${benPoints.toLocaleString('en-US')}`]);
    const projected = (await projector.locator('.stage').textContent()) ?? '';
    for (const t of TRAINEES) {
      expect(projected).not.toContain(t.name);
      expect(projected).not.toContain(t.officerId);
    }
    await projector.screenshot({ path: shotPath('game-projector-leaderboard-1920') });
    await con.screenshot({ path: shotPath('game-console-1920') });

    // Next slide: the leaderboard leaves the projector.
    await con.getByRole('button', { name: 'Next slide' }).click();
    await projector.getByRole('heading', { name: 'Leaderboard' }).waitFor({ state: 'detached' });

    await Promise.all(phones.map((p) => p.context().close()));
    await con.context().close();
    await projector.context().close();
  });
});
