/**
 * The trainee page loads in two steps: the join form and the connection first (compressed, a few
 * kilobytes), the classroom (questions, the assessment, Q&A, the game) as a chunk fetched while the
 * trainee types. Here the classroom chunk is held back: the form still paints and takes typing;
 * once the chunk is let through, joining shows the classroom.
 */
import { describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { phoneContext, shotPath } from '../helpers/browser';
import { openConsole } from '../helpers/clients';

const env = useE2e();

describe('the trainee page', () => {
  it('paints a working join form before the classroom chunk arrives, compressed on the wire', async () => {
    const con = await openConsole(env.app.consoleBase, env.app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const room = env.app.classroom.engine.session!.roomCode;
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const held: Route[] = [];
    await page.route(/\/assets\/Classroom-[^/]+\.js$/, (route) => void held.push(route));
    const encodings: string[] = [];
    page.on('response', (r) => {
      if (/\/assets\/.+\.(js|css)$/.test(r.url()))
        encodings.push(r.headers()['content-encoding'] ?? 'identity');
    });
    await page.goto(`${env.app.lanUrl}/join/?room=${room}`);
    await page.getByLabel('Name').fill('Ada Park');
    await page.getByLabel('Officer ID').fill('TL1');
    await page.getByLabel('Agency').fill('Load PD');
    // The form works while the classroom is still on its way (it was asked for, and is held).
    await expect.poll(() => held.length).toBe(1);
    expect(await page.getByLabel('Name').inputValue()).toBe('Ada Park');
    expect(await page.getByRole('button', { name: 'Join' }).isEnabled()).toBe(true);
    expect(encodings.length).toBeGreaterThan(0);
    for (const e of encodings) expect(['gzip', 'br']).toContain(e);
    await page.screenshot({ path: shotPath('trainee-load-join-form') });
    await page.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => env.app.classroom.engine.trainees.size).toBe(1);
    for (const r of held) await r.continue();
    await page.getByRole('heading', { name: 'You are in' }).waitFor();
    await page.screenshot({ path: shotPath('trainee-load-classroom') });
    await context.close();
    await con.close();
  });
});
