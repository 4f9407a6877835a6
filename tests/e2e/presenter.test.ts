import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';

const env = useE2e();

const projectedTitle = (p: Page) =>
  p.locator('.slide-body.projected h1, .slide-body.projected h2, .q-prompt').first().textContent();

describe('presenting a lecture', () => {
  it('the console steps through a deck with the keyboard and the projector follows', async () => {
    const urls = env.app.urls();
    const con = await (
      await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await con.goto(urls.console);
    const d = env.app.classroom
      .deckSummaries()
      .find((x) => x.course === 'human-trafficking' && x.file === '01-understanding.md')!;
    await con.getByLabel('Deck').selectOption(`${d.course}/${d.file}`);
    await con.getByRole('region', { name: 'Preview' }).waitFor();
    await con.screenshot({ path: shotPath('console-library-1920') });
    await con.getByRole('button', { name: 'Start session' }).click();
    await con.getByText(/Slide 1 of \d+/).waitFor();

    const projector = await (
      await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await projector.goto(urls.projector);
    await projector.getByText('Room code').waitFor();

    const deck = env.app.classroom.engine.session!.deck;
    const delays: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const expected = env.app.classroom.engine.session!.deck.slides[i];
      const started = Date.now();
      await con.keyboard.press(i % 2 ? 'ArrowRight' : 'PageDown');
      await projector.waitForFunction(
        (id) => document.querySelector('.stage')?.getAttribute('data-slide') === id,
        expected.id,
        { polling: 'raf' },
      );
      delays.push(Date.now() - started);
      await con.getByText(`Slide ${i + 1} of ${deck.slides.length}`).waitFor();
      if (!expected.question)
        expect((await projectedTitle(projector))?.trim()).toBe(expected.title);
    }
    console.log(
      `slide change, console key → projector DOM (ms, includes Playwright's own round trips): ${delays.join(', ')}`,
    );
    await con.keyboard.press('PageUp');
    await con.getByText(`Slide 6 of ${deck.slides.length}`).waitFor();

    // Notes show on the console only.
    const slide =
      env.app.classroom.engine.session!.deck.slides[env.app.classroom.engine.session!.slideIndex];
    expect(slide.notes.length).toBeGreaterThan(20);
    const noteLine = slide.notes.split('\n')[0].slice(0, 40);
    await con.getByText(noteLine, { exact: false }).first().waitFor();
    expect(await projector.content()).not.toContain(noteLine);

    // Body text readable from the back of the room: at least 28 px on a 1080p projector.
    const sizes = await projector.$$eval(
      '.slide-body.projected p, .slide-body.projected li',
      (els) =>
        els.map(
          (e) =>
            parseFloat(getComputedStyle(e).fontSize) *
            (e.getBoundingClientRect().height / (e as HTMLElement).offsetHeight || 1),
        ),
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(28);
    await projector.screenshot({ path: shotPath('projector-slide-1920') });
    await con.screenshot({ path: shotPath('console-presenting-1920') });

    // Black screen (B, or "." from a clicker), white screen (W); B again brings the slide back.
    await con.keyboard.press('b');
    await projector.locator('.blank-black').waitFor();
    await con.keyboard.press('b');
    await projector.locator('.blank').waitFor({ state: 'detached' });
    await con.keyboard.press('.');
    await projector.locator('.blank-black').waitFor();
    await con.keyboard.press('w');
    await projector.locator('.blank-white').waitFor();
    await con.getByRole('button', { name: 'White (W)' }).click();
    await projector.locator('.blank').waitFor({ state: 'detached' });

    // Jump anywhere from the overview.
    const target = deck.slides.findIndex((s, i) => i > 10 && !s.question);
    await con
      .getByRole('navigation', { name: 'Slide overview' })
      .getByRole('button', { name: new RegExp(`^${target + 1}\\s`) })
      .click();
    await projector.waitForFunction(
      (id) => document.querySelector('.stage')?.getAttribute('data-slide') === id,
      deck.slides[target].id,
    );

    // Themes (the room's settings are under Session).
    await con.getByRole('button', { name: 'Session', exact: true }).click();
    await con.getByLabel('Theme').selectOption('light');
    await projector.locator('.stage.theme-light').waitFor();
    await projector.screenshot({ path: shotPath('projector-light-1920') });
    await con.getByLabel('Theme').selectOption('contrast');
    await projector.locator('.stage.theme-contrast').waitFor();

    // Smaller screens: the same stage, scaled.
    await projector.setViewportSize({ width: 1280, height: 720 });
    await con.setViewportSize({ width: 1280, height: 720 });
    await projector.screenshot({ path: shotPath('projector-slide-1280') });
    await con.screenshot({ path: shotPath('console-presenting-1280') });
    const box = await projector.locator('.stage').boundingBox();
    expect(Math.round(box!.width)).toBe(1280);
    expect(Math.round(box!.height)).toBe(720);
  });
});
