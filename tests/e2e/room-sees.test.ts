/**
 * The instructor decides what the room sees, and the console shows it: while a graded question is
 * open the projector shows how many answered, never the split; the split comes with "Show
 * results"; the Q&A board put up over the lecture gives way to the next question; the console's
 * picture of the projector says what is on it. axe-core passes on the projector and the console.
 */
import { describe, expect, it } from 'vitest';
import { useE2e, startClass, openProjectorPage } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { joinTrainee, msgId } from '../helpers/clients';
import type { Client } from '../helpers/clients';
import { axeViolations } from '../helpers/a11y';

const env = useE2e();

describe('what the room sees', () => {
  it('no split while a graded question is open; the Q&A board leaves for the next question; the console says what is shown', async () => {
    const { con } = await startClass(env, {
      deck: 'human-trafficking/01-understanding.md',
      viewport: { width: 1440, height: 900 },
      context: { bypassCSP: true },
    });
    const projector = await openProjectorPage(env, { context: { bypassCSP: true } });
    await projector.getByText('Room code').waitFor();
    const label = con.getByTestId('screen-label');
    /** The console's picture of the projector says it shows exactly this. */
    const shows = (text: string) =>
      expect.poll(() => label.textContent(), { timeout: 20_000 }).toBe(text);
    await shows('Join screen');
    expect(await axeViolations(projector)).toEqual([]);

    const room = env.app.classroom.engine.session!.roomCode;
    const trainees: Client[] = [];
    for (let i = 0; i < 3; i++)
      trainees.push(
        await joinTrainee(env.app.lanUrl, room, { name: `Officer ${i}`, officerId: `R-${i}` }),
      );
    const slides = env.app.classroom.engine.session!.deck.slides;
    const graded = slides.findIndex((s) => s.question?.type === 'single' && s.question.correct);
    const nextGraded = slides.findIndex((s, i) => i > graded && s.question?.type === 'truefalse');
    const q = slides[graded].question as { options: string[]; correct: string; prompt: string };

    // A graded question, open: how many answered, never how many chose what.
    await con
      .getByRole('navigation', { name: 'Slide overview' })
      .getByRole('button', { name: new RegExp(`^${graded + 1}\\s`) })
      .click();
    await shows('Question');
    await con.getByRole('button', { name: 'Open question' }).click();
    await con.getByText('Question open').waitFor();
    const runId = env.app.classroom.engine.run!.runId;
    const picks = [q.correct, q.correct, q.options.find((o) => o !== q.correct)!];
    for (const [i, t] of trainees.entries())
      t.send({ t: 'answer', id: msgId(), runId, value: picks[i] });
    await projector.getByText('3 of 3 answered').waitFor();
    // The console sees the split (the instructor's own), and says the room does not.
    await con.locator('.answered-count').getByText('3 of 3 answered').waitFor();
    await con.getByText('the room does not see these yet').waitFor();
    expect(await projector.locator('.results-table, [data-testid^="count-"], .votes').count()).toBe(
      0,
    );
    expect(await projector.locator('.stage').textContent()).not.toMatch(/\b2\b.*\b1\b/);
    await projector.screenshot({ path: shotPath('projector-graded-open-1920') });
    await con.screenshot({ path: shotPath('console-graded-open-1440') });
    expect(await axeViolations(projector)).toEqual([]);
    expect(await axeViolations(con)).toEqual([]);

    // Closed: still no split. Shown: the split and the right answer.
    await con.getByRole('button', { name: 'Close question' }).click();
    await shows('Question, closed');
    expect(await projector.locator('[data-testid^="count-"]').count()).toBe(0);
    await con.getByRole('button', { name: 'Show results' }).click();
    await shows('Results');
    await projector.locator('.results-table tr.correct').getByText(q.correct).waitFor();
    expect(await projector.locator('[data-testid^="count-"]').allTextContents()).toEqual(
      q.options.map((o) => String(picks.filter((p) => p === o).length)),
    );

    // The Q&A board, put up over the results: the console says so.
    const ask = msgId();
    trainees[0].send({
      t: 'ask',
      id: ask,
      text: 'Does the minor need to be moved anywhere?',
      anonymous: true,
    });
    await trainees[0].next((m) => m.t === 'ack' && m.id === ask);
    await con.getByRole('button', { name: /^Q&A \(1 new\)$/ }).click();
    await con.getByRole('button', { name: 'Approve' }).click();
    await con.getByRole('button', { name: 'Show Q&A on projector' }).click();
    await projector
      .locator('.qa-board')
      .getByText('Does the minor need to be moved anywhere?')
      .waitFor();
    await shows('Q&A board');
    expect(await axeViolations(projector)).toEqual([]);

    // The next question opens: the board gives way to it, and the console's picture follows.
    await con
      .getByRole('navigation', { name: 'Slide overview' })
      .getByRole('button', { name: new RegExp(`^${nextGraded + 1}\\s`) })
      .click();
    await con.getByRole('button', { name: 'Open question' }).click();
    await projector.getByRole('heading', { name: slides[nextGraded].question!.prompt }).waitFor();
    expect(await projector.locator('.qa-board').count()).toBe(0);
    await shows('Question');
    // The console turned to the answers arriving; its Q&A button no longer says the board is up.
    await con.getByRole('button', { name: 'Results', pressed: true }).waitFor();
    await con.getByRole('button', { name: /^Q&A/ }).click();
    await con.getByRole('button', { name: 'Show Q&A on projector', pressed: false }).waitFor();

    // A black screen is a state the console shows.
    await con.keyboard.press('b');
    await shows('Black screen');
    await projector.locator('.blank-black').waitFor();
    await con.screenshot({ path: shotPath('console-black-1440') });
    await con.keyboard.press('b');
    await shows('Question');

    await Promise.all(trainees.map((t) => t.close()));
  });
});
