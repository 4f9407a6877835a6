/**
 * The projector at 1920×1080 and 1280×720: every slide of the shipped course, each question with
 * its results shown, every role-play decision with its debrief, the Q&A board and the leaderboard
 * — nothing cut off or spilling out of its box, nothing under the join code in its corner.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { Client } from '../helpers/clients';
import { overflowReport, underJoinCorner } from '../helpers/overflow';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const env = useE2e();

/** The stage's boxes: each holds what it shows, or fits it (Fit.tsx scales or pages it). */
const BOXES =
  '.stage, .slide-screen, .screen-body, .question-screen, .q-results, .scenario-body, .scenario-side, .fit-inner';

/** Waits until the projector shows `screen` (and slide `slideId`), then for its layout to settle. */
async function shown(p: Page, slideId: string, screen?: string) {
  await p.waitForFunction(
    ([id, sc]) => {
      const st = document.querySelector('.stage');
      return (
        st?.getAttribute('data-slide') === id && (!sc || st.getAttribute('data-screen') === sc)
      );
    },
    [slideId, screen ?? ''] as const,
    { timeout: 20_000 },
  );
  // Fit.tsx settles in a few frames (measure, scale down, measure again).
  await p.evaluate(
    () =>
      new Promise((r) =>
        requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))),
      ),
  );
}

/** An answer each trainee might give, varied so the results have more than one bar. */
function answerFor(q: QuestionDef, i: number): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options[i % q.options.length];
    case 'multi':
      return q.options.slice(0, 1 + (i % q.options.length));
    case 'truefalse':
      return i % 2 === 0;
    case 'numeric':
      return (q.correct ?? 10) + (i % 3);
    case 'rating':
      return q.scale.min + (i % (q.scale.max - q.scale.min + 1));
    case 'text':
      return [
        'Debt bondage',
        'fear of police',
        'They took her passport and kept all of her wages',
        'Fear',
        'no ID',
      ][i % 5];
    case 'ranking':
      return i % 2 ? [...q.options].reverse() : [...q.options];
  }
}

describe('the projector', () => {
  it('fits every screen of the shipped course at 1920×1080 and 1280×720, and nothing runs under the join code', async () => {
    const ws = await openConsole(env.app.consoleBase, env.app.token);
    const modules = env.app.classroom.decks().filter((d) => d.course === 'human-trafficking');
    expect(
      (
        await ws.cmd({
          type: 'startSession',
          deck: { course: 'human-trafficking', file: modules[0].file },
        })
      ).ok,
    ).toBe(true);
    const room = env.app.classroom.engine.session!.roomCode;
    const trainees: Client[] = [];
    for (let i = 0; i < 5; i++)
      trainees.push(
        await joinTrainee(env.app.lanUrl, room, { name: `Trainee ${i}`, officerId: `P-${i}` }),
      );
    const big = await (
      await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    const small = await (
      await env.browser.newContext({ viewport: { width: 1280, height: 720 } })
    ).newPage();
    await big.goto(env.app.urls().projector);
    await small.goto(env.app.urls().projector);
    await big.getByText('Room code').waitFor();

    const problems: Record<string, string[]> = {};
    let measured = 0;
    /** Measures what the projectors show now; `both`: the 1280×720 one too (the same stage, scaled). */
    const check = async (what: string, slideId: string, screen?: string, both = false) => {
      for (const [p, size] of both
        ? ([
            [big, 1920],
            [small, 1280],
          ] as const)
        : ([[big, 1920]] as const)) {
        await shown(p, slideId, screen);
        const found = [
          ...(await overflowReport(p, BOXES, { within: '.stage' })),
          ...(await underJoinCorner(p)).map((t) => `"${t}" runs under the join code`),
        ];
        if (size === 1280 && (await p.locator('.stage').boundingBox())!.width > 1281)
          found.push('the stage is wider than the display');
        if (found.length) problems[`${what} @${size}`] = found;
        measured++;
      }
    };

    for (const [m, deck] of modules.entries()) {
      if (m > 0) expect((await ws.cmd({ type: 'switchModule', file: deck.file })).ok).toBe(true);
      for (const [i, slide] of deck.slides.entries()) {
        expect((await ws.cmd({ type: 'goto', index: i })).ok).toBe(true);
        const name = `${deck.file} ${i + 1} ${slide.id}`;
        await check(name, slide.id, undefined, i % 4 === 0);
        if (slide.question) {
          // The question open (no split on screen), then its results.
          expect((await ws.cmd({ type: 'openQuestion' })).ok).toBe(true);
          const runId = env.app.classroom.engine.run!.runId;
          for (const [k, t] of trainees.entries())
            t.send({ t: 'answer', id: msgId(), runId, value: answerFor(slide.question, k) });
          await big.getByText('5 of 5 answered').waitFor();
          await check(`${name} open`, slide.id, 'question');
          expect((await ws.cmd({ type: 'showResults' })).ok).toBe(true);
          await check(`${name} results`, slide.id, 'results', true);
          await big.screenshot({
            path: shotPath(`projector-results-${slide.question.type}-${slide.id}-1920`),
          });
        }
        const sc = slide.scenarioDef;
        if (sc) {
          // Every decision voted on and revealed, following the recommended branch to its end.
          let node = sc.nodes[sc.start];
          for (let step = 0; step < 12; step++) {
            if (node.end) {
              await check(`${name} end ${node.id}`, slide.id, 'scenario', true);
              await big.screenshot({ path: shotPath(`projector-scenario-${sc.id}-end-1920`) });
              break;
            }
            expect((await ws.cmd({ type: 'openQuestion' })).ok).toBe(true);
            const run = env.app.classroom.engine.run!;
            for (const [k, t] of trainees.entries())
              t.send({ t: 'answer', id: msgId(), runId: run.runId, value: answerFor(run.q, k) });
            await big.getByText('5 of 5 voted').waitFor();
            await check(`${name} ${node.id} vote`, slide.id, 'scenario');
            expect((await ws.cmd({ type: 'showResults' })).ok).toBe(true);
            await big.locator('.debrief').waitFor();
            await check(`${name} ${node.id} debrief`, slide.id, 'scenario', true);
            if (step === 0)
              await big.screenshot({ path: shotPath(`projector-scenario-${sc.id}-debrief-1920`) });
            const next = node.options.find((o) => o.id === node.best) ?? node.options[0];
            expect((await ws.cmd({ type: 'follow', option: next.id })).ok).toBe(true);
            node = sc.nodes[next.next];
          }
        }
      }
    }

    // The Q&A board full of long questions, then the leaderboard.
    const last = env.app.classroom.engine.session!;
    const slideId = last.deck.slides[last.slideIndex].id;
    for (let i = 0; i < 8; i++) {
      const id = msgId();
      trainees[i % 5].send({
        t: 'ask',
        id,
        text: `Question ${i + 1}: what do we do when the person we separated says she is fine, has no ID, and the man outside keeps calling her phone every few minutes?`,
        anonymous: true,
      });
      await trainees[i % 5].next((m) => m.t === 'ack' && m.id === id);
    }
    for (const q of env.app.classroom.engine.qa.values())
      expect((await ws.cmd({ type: 'qa', qaId: q.id, action: 'approve' })).ok).toBe(true);
    expect((await ws.cmd({ type: 'showQa', show: true })).ok).toBe(true);
    await check('Q&A board', slideId, 'qa', true);
    await big.screenshot({ path: shotPath('projector-qa-full-1920') });
    expect((await ws.cmd({ type: 'gameMode', mode: 'leaderboard' })).ok).toBe(true);
    expect((await ws.cmd({ type: 'showLeaderboard', show: true })).ok).toBe(true);
    await check('leaderboard', slideId, 'leaderboard', true);

    console.log(`projector: ${measured} screens measured`);
    expect(problems).toEqual({});
    await Promise.all([...trainees.map((t) => t.close()), ws.close()]);
  }, 300_000);
});
