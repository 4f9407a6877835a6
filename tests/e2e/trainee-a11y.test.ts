/**
 * Every trainee screen against axe-core's WCAG 2.1 A/AA rules, driven with the keyboard only where a
 * trainee would type or choose, at 360 px, and again with the text at 200 %: nothing may overlap,
 * spill sideways, or shrink below a 48 px touch target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { startTestApp } from '../helpers/app';
import { shotPath } from '../helpers/browser';
import { openConsole } from '../helpers/clients';
import {
  a11yPhoneContext,
  axeViolations,
  layoutReport,
  setTextZoom,
  terminateTraineeSockets,
  traineeIdOf,
} from '../helpers/a11y';
import type { LayoutReport, Violation } from '../helpers/a11y';

const env = useE2e();

/** Tabs forward until the focused element's accessible text matches, like a keyboard user would. */
async function tabTo(p: Page, text: string | RegExp, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    // What a screen reader says of it: its label, or its text without what is hidden from it (an option's colour-shape-letter mark).
    const focused = await p.evaluate(() => {
      const el = document.activeElement;
      if (!el) return '';
      const label = el.getAttribute('aria-label');
      if (label) return label.trim();
      const copy = el.cloneNode(true) as Element;
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return (copy.textContent ?? '').trim();
    });
    if (typeof text === 'string' ? focused.replace(/\s*✓$/, '') === text : text.test(focused))
      return;
  }
  throw new Error(
    `Tab never reached ${String(text)}; at "${await p.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? '')}"`,
  );
}

/** Computed font sizes (px) of each kind of text on the screen. */
const fontSizes = (p: Page) =>
  p.evaluate(() => {
    const out: Record<string, number> = {};
    for (const sel of [
      '.brand',
      '.net',
      'h1',
      'label',
      'input',
      'button',
      '.hint',
      '.who',
      '.waiting p',
      '.receipt',
      '.closed-note',
      '.reveal p',
      '.t-error',
      '.toggle-prompt',
    ]) {
      const el = document.querySelector(sel);
      if (el) out[sel] = parseFloat(getComputedStyle(el).fontSize);
    }
    return out;
  });

const focusedInfo = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      role: el?.getAttribute('role') ?? '',
    };
  });

/**
 * Checks one screen: axe, a screenshot, and the layout at 100 % and at 200 % text (where every kind
 * of text must really double, and nothing may overlap, spill sideways or shrink below 48 px).
 */
function screens(p: Page) {
  const violations: Record<string, Violation[]> = {};
  const layouts: Record<string, LayoutReport> = {};
  const screen = async (name: string) => {
    violations[name] = await axeViolations(p);
    await p.screenshot({ path: shotPath(`trainee-${name}-360`) });
    layouts[name] = await layoutReport(p);
    const before = await fontSizes(p);
    await setTextZoom(p, 200);
    const after = await fontSizes(p);
    for (const [sel, px] of Object.entries(before))
      expect(after[sel] / px, `${name}: ${sel} at 200 %`).toBeCloseTo(2, 1);
    layouts[`${name} @200%`] = await layoutReport(p);
    await p.screenshot({ path: shotPath(`trainee-${name}-360-text200`), fullPage: true });
    await setTextZoom(p, 100);
  };
  /** Everything found so far, as two objects that must be empty. */
  const problems = () => {
    const failing = Object.fromEntries(Object.entries(violations).filter(([, v]) => v.length));
    const badLayout = Object.fromEntries(
      Object.entries(layouts).filter(
        ([, l]) => l.overlaps.length || l.smallTargets.length || l.overflow.length,
      ),
    );
    return { failing, badLayout };
  };
  return { violations, layouts, screen, problems };
}

describe('trainee screens are accessible', () => {
  it('pass axe-core WCAG 2.1 AA, work with the keyboard and with 200 % text', async () => {
    const con = await openConsole(env.app.consoleBase, env.app.token);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = env.app.classroom.engine.session!.roomCode;
    const slides = env.app.classroom.engine.session!.deck.slides;
    const poll = slides.findIndex((s) => s.question?.type === 'single');
    const check = slides.findIndex((s) => s.question?.type === 'truefalse');
    const pollPrompt = slides[poll].question!.prompt;
    const checkQ = slides[check].question!;

    const ctx = await a11yPhoneContext(env.browser);
    const p = await ctx.newPage();
    const { violations, screen, problems } = screens(p);

    // ---- join form, filled in with the keyboard only
    await p.goto(`${env.app.lanUrl}/join/?room=${room}`);
    await p.getByRole('heading', { name: 'Join the class' }).waitFor();
    expect(await p.evaluate(() => document.documentElement.lang)).toBe('en');
    await screen('join');
    await tabTo(p, ''); // the Name field (inputs have no text content)
    expect(await p.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('name');
    await p.keyboard.type('Kim Lee');
    await p.keyboard.press('Tab');
    await p.keyboard.type('K-7781');
    await p.keyboard.press('Tab');
    await p.keyboard.type('Harbor PD');
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(
      'roomCode',
    );
    const wrong = room === '123456' ? '654321' : '123456';
    await p.keyboard.press('ControlOrMeta+A');
    await p.keyboard.type(wrong);
    await p.keyboard.press('Enter');

    // ---- join error: announced, focused, and the fields keep what was typed
    await p.getByRole('alert').filter({ hasText: 'room code' }).waitFor();
    await screen('join-error');
    expect(await focusedInfo(p)).toMatchObject({ tag: 'p', role: 'alert' });
    expect(await p.getByLabel('Name').inputValue()).toBe('Kim Lee');
    await p.keyboard.press('Shift+Tab');
    expect(await p.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(
      'roomCode',
    );
    await p.keyboard.press('ControlOrMeta+A');
    await p.keyboard.type(room);
    await p.keyboard.press('Enter');

    // ---- waiting: the new screen's heading takes the focus
    await p.getByRole('heading', { name: 'You are in' }).waitFor();
    await p.getByText('Connected').waitFor();
    expect(await focusedInfo(p)).toMatchObject({ tag: 'h1', text: 'You are in' });
    await screen('waiting');
    const traineeId = traineeIdOf(env.app, 'K-7781');

    // ---- question open: the prompt is on the phone, the options are a labelled group
    expect((await con.cmd({ type: 'goto', index: poll })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    await p.getByRole('heading', { name: pollPrompt }).waitFor();
    expect(await p.getByRole('heading', { name: pollPrompt }).isVisible()).toBe(true);
    expect(await focusedInfo(p)).toMatchObject({ tag: 'h1', text: pollPrompt });
    await p.getByRole('group', { name: pollPrompt }).waitFor();
    await screen('question');

    // The setting that hides the prompt when the projector shows it: hidden on screen, still read out.
    await p.getByRole('button', { name: /Hide the question/ }).click();
    // Visually hidden (a 1 px clipped box), still the heading a screen reader reads.
    expect(
      (await p.getByRole('heading', { name: pollPrompt }).boundingBox())!.height,
    ).toBeLessThanOrEqual(1);
    expect(await p.getByRole('heading', { name: pollPrompt }).count()).toBe(1);
    await p.screenshot({ path: shotPath('trainee-question-prompt-hidden-360') });
    violations['question, prompt hidden'] = await axeViolations(p);
    await p.reload(); // the setting is kept on the phone
    expect(
      (await p.getByRole('heading', { name: pollPrompt }).boundingBox())!.height,
    ).toBeLessThanOrEqual(1);
    await p.getByRole('button', { name: /Show the question/ }).click();
    expect(
      (await p.getByRole('heading', { name: pollPrompt }).boundingBox())!.height,
    ).toBeGreaterThan(20);

    // ---- answered, with the keyboard: Tab to the option, Space
    await tabTo(p, 'Nights');
    await p.keyboard.press('Space');
    await p.getByText('Answer received').waitFor();
    expect(
      await p.getByRole('button', { name: 'Nights', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    await screen('answered');

    // ---- offline: the new answer is queued on the phone, never "received"
    await ctx.setOffline(true);
    terminateTraineeSockets(env.app, [traineeId]);
    await p.getByText('Reconnecting…').waitFor();
    await p.getByRole('button', { name: 'Days', exact: true }).click();
    await p.getByText(/Saved on this phone/).waitFor();
    expect(await p.getByText('Answer received').count()).toBe(0);
    await screen('offline-queued');
    await ctx.setOffline(false);
    await p.getByText('Answer received').waitFor({ timeout: 15_000 });
    expect(
      await p.getByRole('button', { name: 'Days', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');

    // ---- closed
    expect((await con.cmd({ type: 'closeQuestion' })).ok).toBe(true);
    await p.getByText('This question is closed').waitFor();
    await screen('closed');
    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);

    // ---- not counted: answered offline, the question closed before the phone came back
    expect((await con.cmd({ type: 'goto', index: check })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    await p.getByRole('heading', { name: checkQ.prompt }).waitFor();
    await ctx.setOffline(true);
    terminateTraineeSockets(env.app, [traineeId]);
    await p.getByText('Reconnecting…').waitFor();
    await p.getByRole('button', { name: 'True', exact: true }).click();
    await p.getByText(/Saved on this phone/).waitFor();
    const runId = env.app.classroom.engine.run!.runId;
    expect((await con.cmd({ type: 'closeQuestion' })).ok).toBe(true);
    await ctx.setOffline(false);
    await p.getByRole('alert').filter({ hasText: 'not counted' }).waitFor({ timeout: 15_000 });
    expect(await p.getByText('Answer received').count()).toBe(0);
    expect(
      await p.getByRole('button', { name: 'True', exact: true }).getAttribute('aria-pressed'),
    ).toBe('false');
    expect(env.app.classroom.engine.run!.runId).toBe(runId);
    expect(env.app.classroom.engine.answerOf(traineeId)).toBeNull();
    await screen('not-counted');

    // ---- revealed: a knowledge check with a right answer and an explanation
    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
    await p.getByText(checkQ.explanation!).waitFor();
    await screen('revealed');

    // ---- the session ends
    expect((await con.cmd({ type: 'endSession' })).ok).toBe(true);
    await p.getByRole('heading', { name: 'The session has ended' }).waitFor();
    await screen('ended');

    const { failing, badLayout } = problems();
    expect(failing).toEqual({});
    expect(badLayout).toEqual({});

    await ctx.close();
    await con.close();
  });

  it('every other answer type passes axe, works with the keyboard and with 200 % text', async () => {
    const contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-a11y-'));
    fs.mkdirSync(path.join(contentDir, 'types'));
    fs.writeFileSync(
      path.join(contentDir, 'types', 'course.yaml'),
      'id: types\ntitle: "Answer types"\nmodules:\n  - file: 01-types.md\n    title: Answer types\n    minutes: 10\n',
    );
    fs.writeFileSync(
      path.join(contentDir, 'types', '01-types.md'),
      [
        '---\ntitle: Answer types\n---\n<!-- id: start -->\n# Answer types\n',
        '<!-- id: s-multi -->\n```question\nid: q-multi\ntype: multi\nprompt: "Which are indicators worth a follow-up question?"\noptions: ["Scripted story", "No ID", "Rental car", "Someone else answers for them"]\ncorrect: ["Scripted story", "No ID", "Someone else answers for them"]\n```\n',
        '<!-- id: s-rating -->\n```question\nid: q-rating\ntype: rating\nprompt: "How confident are you telling trafficking from smuggling?"\nscale: {min: 1, max: 5, minLabel: "Not at all confident", maxLabel: "Very confident"}\n```\n',
        '<!-- id: s-ranking -->\n```question\nid: q-ranking\ntype: ranking\nprompt: "Put these steps at a scene in priority order."\noptions: ["Immediate danger", "Separate the people", "Screen privately", "Notify the task force"]\n```\n',
        '<!-- id: s-numeric -->\n```question\nid: q-numeric\ntype: numeric\nprompt: "What is the mandatory minimum term, in years, under §1591(b)(1)?"\ncorrect: 15\nunit: "years"\n```\n',
        '<!-- id: s-text -->\n```question\nid: q-text\ntype: text\nprompt: "In a word or two: what keeps a victim from asking for help?"\n```\n',
      ].join('\n---\n'),
    );
    const typesApp = await startTestApp({ contentDir });
    try {
      const con = await openConsole(typesApp.consoleBase, typesApp.token);
      expect(
        (await con.cmd({ type: 'startSession', deck: { course: 'types', file: '01-types.md' } }))
          .ok,
      ).toBe(true);
      const room = typesApp.classroom.engine.session!.roomCode;
      const slides = typesApp.classroom.engine.session!.deck.slides;
      const ctx = await a11yPhoneContext(env.browser);
      const p = await ctx.newPage();
      const { screen, problems } = screens(p);
      await p.goto(`${typesApp.lanUrl}/join/?room=${room}`);
      await p.getByLabel('Name').fill('Kim Lee');
      await p.getByLabel('Officer ID').fill('K-7781');
      await p.getByLabel('Agency').fill('Harbor PD');
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByRole('heading', { name: 'You are in' }).waitFor();

      /** Opens the question of that type; returns its prompt once the phone shows it. */
      const open = async (type: string) => {
        const index = slides.findIndex((sl) => sl.question?.type === type);
        expect((await con.cmd({ type: 'goto', index })).ok).toBe(true);
        expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
        const prompt = slides[index].question!.prompt;
        await p.getByRole('heading', { name: prompt }).waitFor();
        await p
          .getByRole('group', { name: prompt })
          .or(p.getByLabel(/Your answer/))
          .first()
          .waitFor();
        return prompt;
      };
      const received = async (name: string) => {
        await p.getByText('Answer received').waitFor();
        await screen(`${name}-answered`);
        expect((await con.cmd({ type: 'closeQuestion' })).ok).toBe(true);
        await p.getByText('This question is closed').waitFor();
      };

      // multi: toggles, then Send, all with the keyboard
      await open('multi');
      await screen('multi');
      await tabTo(p, 'Scripted story');
      await p.keyboard.press('Space');
      await tabTo(p, 'No ID');
      await p.keyboard.press('Enter');
      expect(
        await p.getByRole('button', { name: 'No ID', exact: true }).getAttribute('aria-pressed'),
      ).toBe('true');
      await tabTo(p, 'Send answer');
      await p.keyboard.press('Enter');
      await received('multi');

      // rating: the end points say what they mean
      await open('rating');
      await screen('rating');
      await p.getByRole('button', { name: '5, Very confident' }).waitFor();
      await tabTo(p, '4');
      await p.keyboard.press('Space');
      await received('rating');

      // ranking: the arrows keep the keyboard focus, even at the ends, and each move is announced
      // (the phone shows the items in its own order: from wherever "Immediate danger" starts)
      await open('ranking');
      await screen('ranking');
      const start = (await p.locator('.ranking li .rank-label').allTextContents()).findIndex((t) =>
        t.includes('Immediate danger'),
      );
      if (start === 3)
        await tabTo(p, 'Move Immediate danger up').then(() => p.keyboard.press('Enter'));
      await tabTo(p, 'Move Immediate danger down');
      for (let i = Math.min(start, 2); i < 3; i++) await p.keyboard.press('Enter');
      await p.keyboard.press('Enter'); // now last: the arrow stays, does nothing, keeps the focus
      expect(await p.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        'Move Immediate danger down',
      );
      expect(
        await p
          .getByRole('button', { name: 'Move Immediate danger down' })
          .getAttribute('aria-disabled'),
      ).toBe('true');
      await p
        .getByRole('status')
        .filter({ hasText: 'Immediate danger: position 4 of 4' })
        .waitFor();
      await tabTo(p, 'Send answer');
      await p.keyboard.press('Enter');
      await received('ranking');
      expect(
        (typesApp.classroom.engine.answerOf(traineeIdOf(typesApp, 'K-7781'))!.value as string[]).at(
          -1,
        ),
      ).toBe('Immediate danger');

      // numeric and text: a labelled field, Enter sends
      await open('numeric');
      await screen('numeric');
      await p.getByLabel('Your answer (years)').focus();
      await p.keyboard.type('15');
      await p.keyboard.press('Enter');
      await received('numeric');
      await open('text');
      await p.getByLabel('Your answer').focus();
      await p.keyboard.type('Fear');
      await p.keyboard.press('Enter');
      await received('text');

      const { failing, badLayout } = problems();
      expect(failing).toEqual({});
      expect(badLayout).toEqual({});
      await con.close();
    } finally {
      await Promise.all(env.browser.contexts().map((c) => c.close()));
      await typesApp.stop();
      fs.rmSync(contentDir, { recursive: true, force: true });
    }
  });
});
