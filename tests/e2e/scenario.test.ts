import path from 'node:path';
import Database from 'better-sqlite3';
import * as XLSX from 'xlsx';
import { sessionWorkbookBuffer } from '../../main/records/export';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2e, startClass, openProjectorPage } from '../helpers/e2e';
import { phoneContext, shotPath } from '../helpers/browser';

const env = useE2e();

describe('role-play scenarios', () => {
  it('the class votes at each decision, the instructor follows a branch, and the path is in the record', async () => {
    const { con } = await startClass(env, { deck: 'human-trafficking/03-role-play.md' });
    const projector = await openProjectorPage(env);

    const room = env.app.classroom.engine.session!.roomCode;
    const phones: Page[] = [];
    for (const [i, name] of ['Ann Lee', 'Bo Chen', 'Cal Ruiz'].entries()) {
      const p = await (await phoneContext(env.browser)).newPage();
      await p.goto(`${env.app.lanUrl}/join/?room=${room}`);
      await p.getByLabel('Name').fill(name);
      await p.getByLabel('Officer ID').fill(`S${i}`);
      await p.getByLabel('Agency').fill('Test PD');
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByText('You are in').waitFor();
      phones.push(p);
    }

    // Jump to the traffic-stop scenario from the slide overview.
    const slides = env.app.classroom.engine.session!.deck.slides;
    const index = slides.findIndex((s) => s.scenarioDef?.id === 'traffic-stop');
    expect(index).toBeGreaterThan(0);
    const def = slides[index].scenarioDef!;
    await con
      .getByRole('navigation', { name: 'Slide overview' })
      .getByRole('button', { name: new RegExp(`^${index + 1}\\s`) })
      .click();
    await con.getByText('Scenario: Traffic stop on the interstate').first().waitFor();
    await projector.getByText('Interstate, 9:40 p.m.', { exact: false }).waitFor();

    // Decision 1: the class votes.
    const start = def.nodes[def.start];
    const best = start.options.find((o) => o.id === start.best)!;
    const other = start.options.find((o) => o.id !== start.best)!;
    await con.getByRole('button', { name: 'Open vote' }).click();
    // Each phone shows the situation the class is deciding about, above the choices.
    await phones[0]
      .locator('.situation')
      .getByText('Interstate, 9:40 p.m.', { exact: false })
      .waitFor();
    await phones[0].screenshot({ path: shotPath('trainee-scenario-vote-360'), fullPage: true });
    // While the vote is open the room sees how many voted, never the split.
    await projector.getByText('0 of 3 voted').waitFor();
    const votes = [best.text, best.text, other.text];
    for (const [i, p] of phones.entries()) {
      await p.getByRole('button', { name: votes[i], exact: true }).click();
      await p.getByText('Answer received').waitFor();
    }
    await projector.getByText('3 of 3 voted').waitFor();
    expect(await projector.locator('.votes').count()).toBe(0);
    await con.getByRole('button', { name: 'Close vote' }).click();
    await con.getByRole('button', { name: 'Reveal debrief' }).click();
    await projector.getByText(`Recommended: ${best.text}`).waitFor();
    await phones[2].getByText(`Recommended: ${best.text}`).waitFor();
    await con.getByText('class majority').waitFor();
    await projector.screenshot({ path: shotPath('projector-scenario-debrief-1920') });
    await con.screenshot({ path: shotPath('console-scenario-1920') });

    // Follow the recommended branch to the end, without further votes.
    const taken: string[] = [];
    let node = start;
    for (let guard = 0; !node.end && guard < 10; guard++) {
      const choice = node.options.find((o) => o.id === node.best) ?? node.options[0];
      await con.getByRole('button', { name: `Follow: ${choice.text}`, exact: true }).click();
      taken.push(choice.id);
      node = def.nodes[choice.next];
      await projector.waitForFunction(
        (n) =>
          document.querySelector('.scenario-title')?.textContent?.includes(`decision ${n}`) ??
          false,
        taken.length + 1,
      );
    }
    expect(node.end).toBe(true);
    await con.getByText('End of the scenario.').waitFor();
    await projector.locator('.debrief').waitFor();
    await projector.screenshot({ path: shotPath('projector-scenario-end-1920') });
    // Phones leave the vote behind once the instructor moves on.
    await phones[0].getByText('You are in').waitFor();

    // The record: every step in order, the first with its vote.
    const db = new Database(path.join(env.app.dataDir, 'muster.sqlite'), { readonly: true });
    const steps = db
      .prepare(
        'SELECT step, from_node, option_id, to_node, run_id FROM scenario_steps ORDER BY seq',
      )
      .all() as {
      step: number;
      from_node: string;
      option_id: string;
      to_node: string;
      run_id: string | null;
    }[];
    expect(steps.map((s) => s.option_id)).toEqual(taken);
    expect(steps.map((s) => s.step)).toEqual(taken.map((_, i) => i + 1));
    expect(steps[0].from_node).toBe(def.start);
    expect(steps[0].run_id).not.toBeNull();
    expect(steps.slice(1).every((s) => s.run_id === null)).toBe(true);
    const votesStored = db
      .prepare('SELECT value_json FROM responses WHERE run_id = ? ORDER BY value_json')
      .all(steps[0].run_id) as { value_json: string }[];
    expect(votesStored.map((v) => JSON.parse(v.value_json))).toEqual([...votes].sort());
    db.close();

    // The session workbook carries the path and the split of each vote.
    const wb = XLSX.read(
      sessionWorkbookBuffer(env.app.records, env.app.classroom.engine.session!.id),
      { type: 'buffer' },
    );
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Scenarios);
    expect(rows.map((r) => r['Branch followed'])).toEqual(taken);
    expect(rows[0]).toMatchObject({
      Scenario: 'traffic-stop',
      Step: 1,
      'At decision': def.start,
      Votes: 3,
    });
    expect(String(rows[0]['Vote split'])).toContain(`${best.text}: 2`);
  });
});
