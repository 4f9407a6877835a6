// The identity claim, as the room lives it: a second phone types someone's officer ID; it waits,
// the first phone is told, the instructor sees both identities on the console and decides with a
// reason; the audit log keeps it. Screenshots: the waiting phone, the told phone, the console.
import { describe, expect, it } from 'vitest';
import { useE2e, startClass } from '../helpers/e2e';
import { joinOnPhone, phoneContext, shotPath } from '../helpers/browser';
import { readRecords } from '../helpers/app';

const env = useE2e();

describe('a phone with someone else’s officer ID', () => {
  it('waits for the instructor, who refuses one and allows another; the first phone is told and then signed out', async () => {
    const { con, joinUrl: readJoinUrl } = await startClass(env, {
      deck: 'demo/01-welcome.md',
      viewport: { width: 1280, height: 800 },
    });
    const joinUrl = await readJoinUrl();

    const ana = await (await phoneContext(env.browser)).newPage();
    await joinOnPhone(ana, joinUrl, {
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Riverside PD',
    });

    // Someone else types Ana's officer ID — full-width digits, as a phone keyboard may give them.
    const other = await (await phoneContext(env.browser)).newPage();
    await other.goto(joinUrl);
    await other.getByLabel('Name').fill('Sam Smith');
    await other.getByLabel('Officer ID').fill('００４１７');
    await other.getByLabel('Agency').fill('Riverside PD');
    await other.getByRole('button', { name: 'Join' }).click();
    await other.getByRole('heading', { name: 'Waiting for the instructor' }).waitFor();
    await expect
      .poll(() => other.getByRole('status').filter({ hasText: 'already in this class' }).count())
      .toBe(1);
    await other.screenshot({ path: shotPath('trainee-claim-waiting-360') });
    // Ana's phone is told.
    await ana
      .getByRole('alert')
      .filter({ hasText: 'Another phone is asking to join this class as you' })
      .waitFor();
    await ana.screenshot({ path: shotPath('trainee-claim-notice-360') });

    // The console shows both identities; the instructor refuses.
    const claims = con
      .getByRole('alert')
      .filter({ hasText: 'asks to join as someone already here' });
    await claims.waitFor();
    expect(await claims.textContent()).toMatch(
      /Sam Smith.*00417.*Ana Ortiz — a different name, whose phone is connected now/s,
    );
    await con.screenshot({ path: shotPath('console-claim-1280') });
    await claims.getByLabel('Reason (for the audit log)').fill('not Ana; asked to see ID');
    await claims.getByRole('button', { name: 'Refuse' }).click();
    await other
      .getByText('The instructor did not confirm this officer ID for this phone')
      .waitFor();
    await other.getByRole('button', { name: 'Join' }).waitFor();
    await expect.poll(() => claims.count()).toBe(0);

    // Ana's new phone: allowed with a reason; the old phone is signed out.
    await ana.getByRole('button', { name: 'OK' }).click();
    const newPhone = await (await phoneContext(env.browser)).newPage();
    await newPhone.goto(joinUrl);
    await newPhone.getByLabel('Name').fill('Ana Ortiz');
    await newPhone.getByLabel('Officer ID').fill('00417');
    await newPhone.getByLabel('Agency').fill('Riverside PD');
    await newPhone.getByRole('button', { name: 'Join' }).click();
    await newPhone.getByRole('heading', { name: 'Waiting for the instructor' }).waitFor();
    await claims.waitFor();
    const allow = claims.getByRole('button', { name: 'Allow: this phone takes over' });
    expect(await allow.isDisabled()).toBe(true); // a reason first
    await claims
      .getByLabel('Reason (for the audit log)')
      .fill('her old phone is out of battery; checked her card');
    await allow.click();
    await newPhone.getByText('You are in').waitFor();
    expect(await newPhone.locator('.who').textContent()).toContain('Ana Ortiz');
    await ana.getByText('You are now signed in to this class on another phone').waitFor();
    await ana.getByRole('button', { name: 'Join' }).waitFor();
    await ana.screenshot({ path: shotPath('trainee-signed-out-360') });

    expect(
      readRecords(
        env.app.dataDir,
        `SELECT action, actor, reason FROM audit_log WHERE entity = 'trainee' ORDER BY seq`,
      ),
    ).toEqual([
      { action: 'refuseClaim', actor: 'instructor', reason: 'not Ana; asked to see ID' },
      {
        action: 'rebindDevice',
        actor: 'instructor',
        reason: 'her old phone is out of battery; checked her card',
      },
    ]);
    expect(readRecords(env.app.dataDir, `SELECT COUNT(*) AS n FROM trainees`)[0].n).toBe(1);
    await con.context().close();
  });
});
