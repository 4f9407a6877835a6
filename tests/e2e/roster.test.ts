// Roster import and identity correction end to end: a CSV roster imported in the console (preview,
// row errors, import), trainees matched at join (a walk-in flagged), a correction made with the
// inline form, and the correction in the exported workbook's Audit log sheet with its reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';

import { useE2e } from '../helpers/e2e';
import { shotPath } from '../helpers/browser';
import { axeViolations } from '../helpers/a11y';
import { joinTrainee } from '../helpers/clients';

const env = useE2e();

describe('roster and corrections', () => {
  it('imports a roster, flags a walk-in, and a correction reaches the Audit log sheet with its reason', async () => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'muster-roster-')),
      'class_24-03.csv',
    );
    fs.writeFileSync(
      file,
      'Last Name,First Name,Officer ID,Agency\nOrtiz,Ana,00417,Austin PD\nLee,Ben,,Travis SO\n',
    );

    // CSP bypassed only so axe can be injected for the accessibility check.
    const ctx = await env.browser.newContext({
      viewport: { width: 1600, height: 1000 },
      bypassCSP: true,
    });
    const con = await ctx.newPage();
    const problems: string[] = [];
    con.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await con.goto(env.app.urls().console);
    await con.getByText('Connected').waitFor();

    // ---- Import: the preview lists the bad row; the valid row is imported on request.
    await con.getByLabel('Import roster').setInputFiles(file);
    const alert = con.locator('.roster-errors[role=alert]');
    await alert.getByText('Line 3: no officer ID').waitFor();
    await con.getByRole('cell', { name: '00417' }).waitFor();
    await con.screenshot({ path: shotPath('console-roster-preview'), fullPage: true });
    expect(await con.getByLabel('Roster name').inputValue()).toBe('class 24-03');
    expect(await con.getByRole('combobox', { name: 'Officer ID' }).inputValue()).toBe('2');
    const importButton = con.getByRole('button', { name: 'Import roster (1 trainee)' });
    expect(await importButton.isDisabled()).toBe(true);
    await con.getByLabel(/Import the 1 valid row/).check();
    await importButton.click();
    await con
      .getByText('Imported 1 trainee into the roster “class 24-03”; 1 row with errors left out.')
      .waitFor();
    await con.getByText(/Roster for the next class: class 24-03 \(1 trainee\)/).waitFor();

    // ---- The class adopts the roster; a trainee not on it is a walk-in.
    await con.getByRole('button', { name: 'Start session' }).click();
    await con.getByRole('heading', { name: /Trainees/ }).waitFor();
    const room = env.app.classroom.engine.session!.roomCode;
    const sessionId = env.app.classroom.engine.session!.id;
    const ana = await joinTrainee(env.app.lanUrl, room, {
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Austin PD',
    });
    const cy = await joinTrainee(env.app.lanUrl, room, {
      name: 'Cy Walkr',
      officerId: '9001',
      agency: 'Hays SO',
    });
    const list = con.locator('.trainee-list');
    const cyRow = list.locator('li', { hasText: 'Cy Walkr' });
    await cyRow.getByText('walk-in').waitFor();
    expect(await list.locator('li', { hasText: 'Ana Ortiz' }).getByText('walk-in').count()).toBe(0);

    // ---- Correct Cy's name with the inline form.
    await con.getByRole('button', { name: 'Correct Cy Walkr' }).click();
    const form = con.getByRole('form', { name: 'Correct Cy Walkr' });
    await form.getByLabel('Name').fill('Cy Walker');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await form
      .getByRole('alert')
      .getByText(/Give a reason/)
      .waitFor();
    await form
      .getByLabel('Reason')
      .fill('Name misspelt at join; checked against the sign-in sheet');
    await con.screenshot({ path: shotPath('console-trainee-correction') });
    const a11y = (await axeViolations(con)).filter((v) =>
      v.nodes.some((n) => /roster|trainee-correction|trainee-list|walk-in/.test(n)),
    );
    expect(a11y).toEqual([]);
    await form.getByRole('button', { name: 'Save correction' }).click();
    await list.getByText('Cy Walker', { exact: true }).waitFor();
    await con.screenshot({ path: shotPath('console-roster-walk-in') });

    // ---- The Audit log sheet of the session workbook has the correction and its reason.
    const res = await fetch(
      `${env.app.consoleBase}/api/sessions/${sessionId}/export.xlsx?token=${env.app.token}`,
    );
    expect(res.status).toBe(200);
    const wb = XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });
    expect(wb.SheetNames).toContain('Audit log');
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Audit log'], {
      header: 1,
      raw: false,
    });
    const correction = rows.find((r) => r.includes('correctTrainee'));
    expect(correction).toBeDefined();
    expect(correction).toContain('Name misspelt at join; checked against the sign-in sheet');
    expect(correction!.some((c) => c.includes('Cy Walkr'))).toBe(true);
    expect(correction!.some((c) => c.includes('Cy Walker'))).toBe(true);
    // Which roster the class used is in its audit log too.
    expect(rows.some((r) => r.includes('adoptRoster') && r.includes('class 24-03'))).toBe(true);

    expect(problems).toEqual([]);
    await Promise.all([ana.close(), cy.close()]);
    await ctx.close();
  });
});
