import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e, startClass, openProjectorPage } from '../helpers/e2e';
import { phoneContext, shotPath } from '../helpers/browser';

const env = useE2e();

const TRAINEES = [
  { name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD', answer: 'Nights' },
  { name: 'Ben Cole', officerId: 'TX-2231', agency: 'Riverside PD', answer: 'Days' },
  { name: 'Cara Diaz', officerId: '88120', agency: 'County Sheriff', answer: 'Days' },
  { name: 'Dev Patel', officerId: '00902', agency: 'County Sheriff', answer: 'Evenings' },
  {
    name: '=HYPERLINK("http://x","y")',
    officerId: '31337',
    agency: 'State Patrol',
    answer: 'Days',
  },
];

describe('one live poll from the projector to the phones to the spreadsheet', () => {
  it('runs a class end to end in Chromium', async () => {
    const { con, joinUrl: readJoinUrl } = await startClass(env, {
      deck: 'demo/01-welcome.md',
      context: { acceptDownloads: true },
    });
    const projector = await openProjectorPage(env);
    const roomCode = (await con.locator('.room-code').textContent())!.trim();
    expect(roomCode).toMatch(/^\d{6}$/);
    await projector.getByText(roomCode).waitFor();
    await projector.screenshot({ path: shotPath('projector-join-1920') });

    // The console shows the join URL trainees use (the test binds it to loopback).
    const joinUrl = await readJoinUrl();
    expect(joinUrl).toContain(`room=${roomCode}`);

    const phones: Page[] = [];
    for (const t of TRAINEES) {
      const ctx = await phoneContext(env.browser);
      const p = await ctx.newPage();
      await p.goto(joinUrl);
      await p.getByLabel('Name').fill(t.name);
      await p.getByLabel('Officer ID').fill(t.officerId);
      await p.getByLabel('Agency').fill(t.agency);
      expect(await p.getByLabel('Room code').inputValue()).toBe(roomCode);
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByText('You are in').waitFor();
      phones.push(p);
    }
    await phones[0].screenshot({ path: shotPath('trainee-waiting-360') });
    await projector.getByText('5 joined').waitFor();
    await con.getByText('(5 connected of 5)').waitFor();

    // Step to the poll and open it.
    await con.getByRole('button', { name: 'Next slide' }).click();
    await con.getByText('Slide 2 of 6').waitFor();
    await con.keyboard.press('ArrowRight'); // a presentation clicker works too
    await con.getByText('Slide 3 of 6').waitFor();
    await con.getByRole('button', { name: 'Open question' }).click();
    await con.getByText('Question open').waitFor();

    for (const [i, p] of phones.entries()) {
      await p.getByRole('button', { name: TRAINEES[i].answer, exact: true }).click();
      await p.getByText('Answer received').waitFor();
    }
    await phones[1].screenshot({ path: shotPath('trainee-answered-360') });

    // The projector shows how many answered, not how many chose what: the room must not follow the
    // majority. The console sees the answers arrive.
    await projector.getByText('5 of 5 answered').waitFor();
    expect(await projector.locator('.results-table').count()).toBe(0);
    await con.locator('.answered-count').getByText('5 of 5 answered').waitFor();
    await con.screenshot({ path: shotPath('console-1920') });

    // One phone loses its connection, comes back and reloads: same trainee, answer kept.
    const dropped = phones[0];
    await dropped.context().setOffline(true);
    for (const c of env.app.classroom.trainees)
      if (c.traineeId && env.app.classroom.engine.trainees.get(c.traineeId)?.officerId === '00417')
        c.ws.terminate();
    await dropped.getByText('Reconnecting…').waitFor();
    await con.getByText('(4 connected of 5)').waitFor();
    await dropped.context().setOffline(false);
    await dropped.reload();
    await dropped.getByText('Ana Ortiz').waitFor();
    await dropped.getByText('Answer received').waitFor();
    expect(
      await dropped
        .getByRole('button', { name: 'Nights', exact: true })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await con.getByText('(5 connected of 5)').waitFor();
    expect(env.app.classroom.engine.trainees.size).toBe(5);

    await con.getByRole('button', { name: 'Close question' }).click();
    await con.getByRole('button', { name: 'Show results' }).click();
    await con.getByText('Results shown').waitFor();
    // Shown: the counts on the projector.
    const expected = { Days: 3, Evenings: 1, Nights: 1, Rotating: 0 };
    for (const [label, n] of Object.entries(expected)) {
      await expect
        .poll(() =>
          projector.locator('.results-table tr', { hasText: label }).locator('td').textContent(),
        )
        .toBe(String(n));
    }
    await projector.screenshot({ path: shotPath('projector-results-1920') });

    // The export, read back: five attendance rows and five responses, IDs as text.
    const [download] = await Promise.all([
      con.waitForEvent('download'),
      con.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = await download.path();
    const wb = XLSX.read(fs.readFileSync(file!), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(expect.arrayContaining(['Attendance', 'Responses']));
    const attendance = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Attendance);
    const responses = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Responses);
    expect(attendance).toHaveLength(5);
    expect(responses).toHaveLength(5);
    expect(attendance.map((r) => r['Officer ID']).sort()).toEqual(
      TRAINEES.map((t) => t.officerId).sort(),
    );
    const ana = responses.find((r) => r['Officer ID'] === '00417')!;
    expect(ana.Answer).toBe('Nights');
    expect(wb.Sheets.Attendance.B2.t).toBe('s'); // text, so 00417 keeps its zeros
    // A trainee "named" like a formula comes out as inert text.
    const evil = attendance.find((r) => r['Officer ID'] === '31337')!;
    expect(evil.Name).toBe(`'=HYPERLINK("http://x","y")`);
    for (const ws of Object.values(wb.Sheets))
      for (const [k, cell] of Object.entries(ws))
        if (!k.startsWith('!')) expect((cell as XLSX.CellObject).f, k).toBeUndefined();

    await Promise.all(phones.map((p) => p.context().close()));
    await con.context().close();
    await projector.context().close();
  });
});
