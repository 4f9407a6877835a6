/**
 * Every trainee screen of the demo class against axe-core's WCAG 2.1 A/AA rules, driven with the
 * keyboard only where a trainee would type or choose, at 360 px, and again with the text at 200 %:
 * nothing may overlap, spill sideways, or shrink below a 48 px touch target. (The other answer
 * types: trainee-a11y-answers.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { openConsole } from '../helpers/clients';
import {
  a11yPhoneContext,
  axeViolations,
  terminateTraineeSockets,
  traineeIdOf,
} from '../helpers/a11y';
import { focusedInfo, screens, tabTo } from '../helpers/a11y-screens';

const env = useE2e();

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
});
