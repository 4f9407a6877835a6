/**
 * The presenter console under pressure, at the laptop sizes instructors have (1280×800, 1440×900,
 * 1920×1080): in every state a class goes through, nothing is cut off, no label wraps or spills,
 * the page never scrolls (each panel scrolls on its own), and axe-core finds nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import { axeViolations } from '../helpers/a11y';
import { overflowReport } from '../helpers/overflow';

const env = useE2e();

const SIZES = [
  [1280, 800],
  [1440, 900],
  [1920, 1080],
] as const;
/** Every panel of the console, and the rows that hold its controls. */
const PANELS =
  '.bar, .panel, .presenter > section, .now-head, .step-actions, .keys, .tabs, .tab-body, .scaled-stage, .alert-banner, .claims';

/** Two animation frames: the layout has settled after a resize or a view. */
const frames = (p: Page) =>
  p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('the presenter console', () => {
  it('fits at 1280×800, 1440×900 and 1920×1080 in every state of a class, and passes axe', async () => {
    const ws = await openConsole(env.app.consoleBase, env.app.token);
    expect(
      (
        await ws.cmd({
          type: 'startSession',
          deck: { course: 'human-trafficking', file: '01-understanding.md' },
        })
      ).ok,
    ).toBe(true);
    const room = env.app.classroom.engine.session!.roomCode;
    const trainees: Client[] = [];
    for (const [i, name] of [
      'Maria Guadalupe Hernández-Villanueva',
      'Bo Chen',
      'Christopher Alexander Montgomery III',
      'Dee Park',
      'Eli Stone',
    ].entries())
      trainees.push(
        await joinTrainee(env.app.lanUrl, room, {
          name,
          officerId: `TX-000${i}-PATROL`,
          agency: 'Riverside County Sheriff’s Office',
        }),
      );
    // A phone asking to join as someone already here: the identity check sits above the class.
    const claimer = await Client.open(`${env.app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    claimer.send({
      t: 'join',
      name: 'Bo Chen',
      officerId: 'TX-0001-PATROL',
      agency: 'Riverside County Sheriff’s Office',
      roomCode: room,
    });
    await claimer.next((m) => m.t === 'claim');
    const ask = msgId();
    trainees[0].send({
      t: 'ask',
      id: ask,
      text: 'What if she says she is 18 but has no ID and the man with her answers every question for her?',
      anonymous: true,
    });
    await trainees[0].next((m) => m.t === 'ack' && m.id === ask);

    const con = await (
      await env.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })
    ).newPage();
    await con.goto(env.app.urls().console);
    await con.getByText(/Slide 1 of \d+/).waitFor();
    await con.locator('.claims').waitFor();

    const problems: Record<string, string[]> = {};
    const violations: Record<string, unknown[]> = {};
    /** Measures the console as it is now at every size; a picture of each. */
    const measure = async (state: string, axe = false) => {
      for (const [w, h] of SIZES) {
        await con.setViewportSize({ width: w, height: h });
        await frames(con);
        const found = await overflowReport(con, PANELS, { fixedPage: true });
        // The header is one line, whatever it holds.
        const bar = (await con.locator('header.bar').boundingBox())!.height;
        if (bar > 50) found.push(`the header is ${Math.round(bar)} px tall: something in it wraps`);
        if (found.length) problems[`${state} @${w}×${h}`] = found;
        await con.screenshot({ path: shotPath(`console-${state}-${w}`) });
      }
      if (axe) violations[state] = await axeViolations(con);
    };

    await measure('lobby', true);

    // A question open, answers arriving; long options, long notes.
    const slides = env.app.classroom.engine.session!.deck.slides;
    const multi = slides.findIndex((s) => s.question?.type === 'multi');
    expect((await ws.cmd({ type: 'goto', index: multi })).ok).toBe(true);
    await con.getByRole('button', { name: 'Open question' }).click();
    await con.getByText('Question open').waitFor();
    const options = (slides[multi].question as { options: string[] }).options;
    const runId = env.app.classroom.engine.run!.runId;
    for (const [i, t] of trainees.entries())
      t.send({ t: 'answer', id: msgId(), runId, value: [options[i % options.length]] });
    await con.locator('.answered-count').getByText('5 of 5 answered').waitFor();
    await measure('question-open', true);

    // The other tabs of the room.
    await con.getByRole('button', { name: /^Q&A \(1 new\)$/ }).click();
    await con.getByText('Anonymous · 0 votes', { exact: false }).waitFor();
    await measure('tab-qa');
    await con.getByRole('button', { name: /^Tests/ }).click();
    await con.getByRole('button', { name: 'Start pre-test' }).waitFor();
    await measure('tab-tests');
    await con.getByRole('button', { name: 'Game', exact: true }).click();
    await con.getByRole('radio', { name: 'Leaderboard' }).click();
    await con.getByRole('button', { name: 'Game (on)' }).waitFor();
    await measure('tab-game', true);
    for (const tab of ['Join', 'Session']) {
      await con.getByRole('button', { name: tab, exact: true }).click();
      await measure(`tab-${tab.toLowerCase()}`, tab === 'Session');
    }
    await con.getByRole('button', { name: 'Trainees', exact: true }).click();

    // Results shown, then a black screen: a state the console shows, not only a pressed button.
    await con.getByRole('button', { name: 'Close question' }).click();
    await con.getByRole('button', { name: 'Show results' }).click();
    await con.getByText('Results shown').waitFor();
    await con.keyboard.press('b');
    await con.getByTestId('screen-label').getByText('Black screen').waitFor();
    await con.locator('.bar-blank').getByText('black').waitFor();
    await measure('black-screen', true);
    await con.keyboard.press('b');
    await con.getByTestId('screen-label').getByText('Results').waitFor();

    // A role-play decision, voted on and revealed: the branches and the debrief beside the slide.
    expect((await ws.cmd({ type: 'switchModule', file: '03-role-play.md' })).ok).toBe(true);
    const roleplay = env.app.classroom.engine.session!.deck.slides.findIndex((s) => s.scenarioDef);
    expect((await ws.cmd({ type: 'goto', index: roleplay })).ok).toBe(true);
    await con.getByRole('button', { name: 'Open vote' }).click();
    await con.getByText('Question open').waitFor();
    const vote = env.app.classroom.engine.run!;
    for (const t of trainees)
      t.send({
        t: 'answer',
        id: msgId(),
        runId: vote.runId,
        value: (vote.q as { options: string[] }).options[0],
      });
    await con.getByRole('button', { name: 'Close vote' }).click();
    await con.getByRole('button', { name: 'Reveal debrief' }).click();
    await con.getByText('class majority').waitFor();
    await measure('scenario-revealed', true);

    // The next class: the library opens on the deck this one presented last, not the first in the list.
    expect((await ws.cmd({ type: 'endSession' })).ok).toBe(true);
    await con.reload();
    await con.getByRole('button', { name: 'Start session' }).waitFor();
    await expect
      .poll(() => con.getByLabel('Deck').inputValue())
      .toBe('human-trafficking/03-role-play.md');
    expect(env.app.classroom.deckSummaries()[0].course).toBe('demo');

    expect(problems).toEqual({});
    expect(violations).toEqual({
      lobby: [],
      'question-open': [],
      'tab-game': [],
      'tab-session': [],
      'black-screen': [],
      'scenario-revealed': [],
    });
    await Promise.all([...trainees.map((t) => t.close()), claimer.close(), ws.close()]);
  });
});
