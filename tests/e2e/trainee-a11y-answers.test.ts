/**
 * Every answer type the demo class does not ask, on the trainee screen, against axe-core's WCAG 2.1
 * A/AA rules, driven with the keyboard, at 360 px and again with the text at 200 %: nothing may
 * overlap, spill sideways, or shrink below a 48 px touch target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from '../helpers/e2e';
import { startTestApp } from '../helpers/app';
import { openConsole } from '../helpers/clients';
import { a11yPhoneContext, traineeIdOf } from '../helpers/a11y';
import { screens, tabTo } from '../helpers/a11y-screens';

const env = useE2e();

describe('trainee screens are accessible', () => {
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
