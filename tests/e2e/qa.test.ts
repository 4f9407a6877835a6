import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e } from '../helpers/e2e';
import { phoneContext, shotPath } from '../helpers/browser';

const env = useE2e();

describe('Q&A board', () => {
  it('an anonymous question reaches the board with no link to its author in the database or the export', async () => {
    const urls = env.app.urls();
    const con = await (
      await env.browser.newContext({
        viewport: { width: 1920, height: 1080 },
        acceptDownloads: true,
      })
    ).newPage();
    await con.goto(urls.console);
    await con.getByRole('button', { name: 'Start session' }).click();
    await con.getByText(/Slide 1 of/).waitFor();
    const projector = await (
      await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await projector.goto(urls.projector);

    const room = env.app.classroom.engine.session!.roomCode;
    const phones: Page[] = [];
    for (const [i, name] of ['Quinn Asker', 'Rae Voter'].entries()) {
      const p = await (await phoneContext(env.browser)).newPage();
      await p.goto(`${env.app.lanUrl}/join/?room=${room}`);
      await p.getByLabel('Name').fill(name);
      await p.getByLabel('Officer ID').fill(`QA-${i}`);
      await p.getByLabel('Agency').fill('Test PD');
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByText('You are in').waitFor();
      phones.push(p);
    }
    const [asker, voter] = phones;

    // Anonymous is the default on the phone.
    expect(await asker.getByLabel('Ask anonymously').isChecked()).toBe(true);
    await asker.getByLabel('Your question').fill('What if she says she is 18 but has no ID?');
    await asker.getByRole('button', { name: 'Send question' }).click();
    await asker.getByText('Question received', { exact: false }).waitFor();
    await voter.getByLabel('Your question').fill('Who is our task force contact?');
    await voter.getByLabel('Ask anonymously').uncheck();
    await voter.getByRole('button', { name: 'Send question' }).click();
    await voter.getByText('Question received', { exact: false }).waitFor();

    // The instructor sees both, the anonymous one without a name, and approves them.
    await con.getByRole('button', { name: /^Q&A \(2 new\)$/ }).click();
    await con.getByText('Anonymous · 0 votes', { exact: false }).waitFor();
    await con.getByText('Rae Voter · 0 votes', { exact: false }).waitFor();
    await con.getByRole('button', { name: 'Approve' }).first().click();
    await con.getByRole('button', { name: 'Approve' }).first().click();
    await con.getByRole('button', { name: 'Show Q&A on projector' }).click();

    // The board on the phones; a vote counts once.
    const upvote = voter.getByRole('button', {
      name: 'Upvote: What if she says she is 18 but has no ID?',
    });
    await upvote.click();
    await expect.poll(() => upvote.getAttribute('aria-pressed')).toBe('true');
    await projector
      .locator('.qa-board li', { hasText: 'What if she says she is 18' })
      .locator('.votes')
      .filter({ hasText: '1' })
      .waitFor();
    await voter.screenshot({ path: shotPath('trainee-qa-360') });
    await projector.screenshot({ path: shotPath('projector-qa-1920') });
    expect(await projector.content()).not.toContain('Quinn');

    // The record: no trainee link for the anonymous question, in the database or the export.
    const db = new Database(path.join(env.app.dataDir, 'muster.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT text, trainee_id, anonymous FROM qa_questions ORDER BY text')
      .all() as { text: string; trainee_id: string | null; anonymous: number }[];
    const askerId = (
      db.prepare("SELECT id FROM trainees WHERE name = 'Quinn Asker'").get() as { id: string }
    ).id;
    db.close();
    expect(rows).toEqual([
      { text: 'What if she says she is 18 but has no ID?', trainee_id: null, anonymous: 1 },
      { text: 'Who is our task force contact?', trainee_id: expect.any(String), anonymous: 0 },
    ]);
    const [download] = await Promise.all([
      con.waitForEvent('download'),
      con.getByRole('button', { name: 'Export' }).click(),
    ]);
    const wb = XLSX.read(fs.readFileSync((await download.path())!), { type: 'buffer' });
    expect(wb.SheetNames).toContain('Q&A');
    const qa = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['Q&A']);
    const anonRow = qa.find((r) =>
      Object.values(r).includes('What if she says she is 18 but has no ID?'),
    )!;
    expect(anonRow).toBeDefined();
    expect(JSON.stringify(anonRow)).not.toMatch(/Quinn|QA-0/);
    expect(JSON.stringify(anonRow)).not.toContain(askerId);
    const named = qa.find((r) => Object.values(r).includes('Who is our task force contact?'))!;
    expect(JSON.stringify(named)).toContain('Rae Voter');
  });
});
