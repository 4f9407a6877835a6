// The shipped course, presented from the first slide of module 1 to the last slide of module 5:
// every slide renders on the projector (each module's first slide with its objectives), every
// question opens and takes an answer from a phone (the department gap audit included),
// and every scenario's first decision opens for a vote and is followed to an end.
import { describe, expect, it } from 'vitest';

import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { msgId, openConsole, joinTrainee } from '../helpers/clients';
import type { AnswerValue, PublicQuestion } from '../../shared/question';

const env = useE2e();

/** A valid answer for any question type, as a phone would send it. */
function answerFor(q: PublicQuestion): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options![0];
    case 'multi':
      return [q.options![0]];
    case 'truefalse':
      return true;
    case 'numeric':
      return 1;
    case 'rating':
      return q.scale!.min;
    case 'text':
      return 'not sure';
    case 'ranking':
      return [...q.options!];
  }
}

describe('the shipped human-trafficking course', () => {
  it(
    'presents every module from first to last slide; every question and scenario accepts answers',
    { timeout: 240_000 },
    async () => {
      const projector = await (
        await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })
      ).newPage();
      await projector.goto(env.app.urls().projector);
      const con = await openConsole(env.app.consoleBase, env.app.token);
      const decks = env.app.classroom
        .deckSummaries()
        .filter((d) => d.course === 'human-trafficking');
      expect(decks.map((d) => d.file)).toEqual([
        '01-understanding.md',
        '02-resources-and-law.md',
        '03-role-play.md',
        '04-questions-and-weak-spots.md',
        '05-patrol.md',
      ]);
      const counts = { slides: 0, questions: 0, scenarios: 0, decisions: 0 };

      for (const d of decks) {
        if (env.app.classroom.engine.session && env.app.classroom.engine.session.phase !== 'ended')
          expect((await con.cmd({ type: 'endSession' })).ok).toBe(true);
        expect(
          (await con.cmd({ type: 'startSession', deck: { course: d.course, file: d.file } })).ok,
        ).toBe(true);
        const session = env.app.classroom.engine.session!;
        const phone = await joinTrainee(env.app.lanUrl, session.roomCode, {
          name: 'Course Walker',
          officerId: 'CW-1',
        });
        for (const [i, slide] of session.deck.slides.entries()) {
          expect((await con.cmd({ type: 'goto', index: i })).ok, `${d.file} slide ${i + 1}`).toBe(
            true,
          );
          // The projector shows this very slide, with something on it.
          await projector.waitForFunction(
            (id) => document.querySelector('.stage')?.getAttribute('data-slide') === id,
            slide.id,
          );
          const text = (await projector.locator('.slide-screen').innerText()).trim();
          expect(text.length, `${d.file} slide ${i + 1} (${slide.id}) is empty`).toBeGreaterThan(5);
          if (i === 0) {
            // A module opens with its learning objectives, all of them in view on the projector.
            expect(text).toContain('The participant will be able to:');
            const last = projector.locator('.objectives li').last();
            expect(await last.isVisible()).toBe(true);
            const box = await last.boundingBox();
            expect(
              box!.y + box!.height,
              `${d.file}: objectives run off the slide`,
            ).toBeLessThanOrEqual(1080);
            await projector.screenshot({
              path: shotPath(`projector-objectives-${d.file.replace(/\.md$/, '')}-1920`),
            });
          }
          counts.slides++;

          const sc = env.app.classroom.engine.scenario;
          if (slide.question || sc) {
            if (sc) counts.scenarios++;
            // Play: vote at each decision and follow the recommended branch to an end.
            for (let guard = 0; guard < 12; guard++) {
              const node = sc ? sc.def.nodes[sc.node] : null;
              if (node?.end) break;
              expect(
                (await con.cmd({ type: 'openQuestion' })).ok,
                `${d.file} ${slide.id}: open`,
              ).toBe(true);
              const view = await phone.nextNew<{
                t: 'view';
                question: { runId: string; q: PublicQuestion; open: boolean } | null;
              }>(
                (m) => m.t === 'view' && !!(m as { question?: { open?: boolean } }).question?.open,
              );
              const id = msgId();
              phone.send({
                t: 'answer',
                id,
                runId: view.question!.runId,
                value: answerFor(view.question!.q),
              });
              const reply = await phone.next<{ t: string; message?: string }>(
                (m) => (m.t === 'ack' || m.t === 'error') && m.id === id,
              );
              expect(reply.t, `${d.file} ${slide.id}: ${reply.message ?? ''}`).toBe('ack');
              expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
              if (!node) {
                counts.questions++;
                break;
              }
              counts.decisions++;
              expect(
                (await con.cmd({ type: 'follow', option: node.best ?? node.options[0].id })).ok,
              ).toBe(true);
            }
          }
        }
        if (d.file === '03-role-play.md')
          await projector.screenshot({ path: shotPath('projector-course-roleplay-last-1920') });
        await phone.close();
      }
      await con.close();
      console.log(`full course: ${JSON.stringify(counts)}`);
      expect(counts.slides).toBe(decks.reduce((n, d) => n + d.slides, 0));
      expect(counts.scenarios).toBe(7);
      expect(counts.questions).toBeGreaterThanOrEqual(20);
    },
  );
});
