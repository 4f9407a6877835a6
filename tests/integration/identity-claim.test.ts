// An officer ID is not a password: a second phone joining with someone's officer ID does not become
// them. While their phone is here (or was, recently) the instructor decides and their phone is
// told; every rebinding is in the audit log; look-alike characters make no second trainee.
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId } from '../helpers/clients';
import { startDemoPoll } from '../helpers/class';

let app: TestApp;
afterEach(async () => {
  await app.stop();
});

const wsUrl = () => `${app.lanUrl.replace('http', 'ws')}/ws/trainee`;

async function claim(room: string, who: { name: string; officerId: string }): Promise<Client> {
  const c = await Client.open(wsUrl());
  c.send({
    t: 'join',
    name: who.name,
    officerId: who.officerId,
    agency: 'Other PD',
    roomCode: room,
  });
  return c;
}

async function started(claimWindowMs?: number) {
  app = await startTestApp({ claimWindowMs });
  return startDemoPoll(app);
}

const audit = () =>
  readRecords(
    app.dataDir,
    `SELECT action, actor, reason, before_json, after_json FROM audit_log WHERE entity = 'trainee' ORDER BY seq`,
  );

describe('identity claims', () => {
  it('a second phone with a connected trainee’s officer ID waits for the instructor; refused, it is told; allowed, it takes over and the first phone is signed out', async () => {
    const { con, room } = await started();
    const ana = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: '00417' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const first = msgId();
    ana.send({ t: 'answer', id: first, runId, value: 'Days' });
    await ana.next((m) => m.t === 'ack' && m.id === first);

    // Someone else types Ana's officer ID, with any name.
    const mallory = await claim(room, { name: 'Mallory', officerId: '00417' });
    expect(await mallory.next((m) => m.t === 'claim' || m.t === 'welcome')).toMatchObject({
      t: 'claim',
    });
    expect(await ana.next((m) => m.t === 'notice')).toMatchObject({
      message: expect.stringMatching(/Another phone is asking to join this class as you/),
    });
    // The waiting phone cannot act as Ana, and sees nothing of her.
    const sneak = msgId();
    mallory.send({ t: 'answer', id: sneak, runId, value: 'Nights' });
    expect(await mallory.next((m) => m.id === sneak)).toMatchObject({
      t: 'error',
      code: 'forbidden',
    });
    expect(mallory.messages.some((m) => m.t === 'welcome' || m.t === 'view')).toBe(false);
    const cv = app.classroom.consoleView().session!;
    expect(cv.claims).toEqual([
      {
        id: expect.any(String),
        at: expect.any(Number),
        claimed: { name: 'Mallory', officerId: '00417', agency: 'Other PD' },
        trainee: {
          id: expect.any(String),
          name: 'Ana Ortiz',
          officerId: '00417',
          agency: 'Test PD',
          connected: true,
        },
      },
    ]);

    // Refused: the phone is told, nothing is bound, the refusal is audited.
    expect(
      (await con.cmd({ type: 'claim', claimId: cv.claims[0].id, allow: false, reason: 'not her' }))
        .ok,
    ).toBe(true);
    expect(
      await mallory.next((m) => m.t === 'error' && /instructor/.test(String(m.message))),
    ).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/did not confirm/) });
    expect(app.classroom.consoleView().session!.claims).toEqual([]);
    expect(audit()).toEqual([
      {
        action: 'refuseClaim',
        actor: 'instructor',
        reason: 'not her',
        before_json: null,
        after_json: JSON.stringify({
          claimed: { name: 'Mallory', officerId: '00417', agency: 'Other PD' },
        }),
      },
    ]);
    expect(readRecords(app.dataDir, `SELECT value_json FROM responses`)).toEqual([
      { value_json: '"Days"' },
    ]);

    // Ana's new phone (her old one still open): the instructor checks and allows it, with a reason.
    const newPhone = await claim(room, { name: 'Ana Ortiz', officerId: '00417' });
    await newPhone.next((m) => m.t === 'claim');
    const pending = app.classroom.consoleView().session!.claims[0];
    expect(
      (await con.cmd({ type: 'claim', claimId: pending.id, allow: true, reason: '' })).ok,
    ).toBe(false); // a reason is needed
    const anaClosed = new Promise<void>((r) => ana.ws.once('close', () => r()));
    expect(
      (
        await con.cmd({
          type: 'claim',
          claimId: pending.id,
          allow: true,
          reason: 'checked her card; new phone',
        })
      ).ok,
    ).toBe(true);
    const w = await newPhone.next<{
      t: 'welcome';
      token: string;
      trainee: { name: string };
      answer: unknown;
    }>((m) => m.t === 'welcome');
    expect(w.trainee.name).toBe('Ana Ortiz');
    expect(w.answer).toMatchObject({ value: 'Days' });
    expect(await ana.next((m) => m.t === 'signed-out')).toMatchObject({
      message: expect.stringMatching(/another phone/),
    });
    await anaClosed;
    // The old phone's token no longer speaks for Ana.
    const old = await Client.open(wsUrl());
    old.send({ t: 'resume', token: ana.token });
    expect(await old.next((m) => m.t === 'error' || m.t === 'welcome')).toMatchObject({
      t: 'error',
      code: 'not-found',
    });
    const rebind = audit()[1];
    expect(rebind).toMatchObject({
      action: 'rebindDevice',
      actor: 'instructor',
      reason: 'checked her card; new phone',
    });
    expect(JSON.parse(String(rebind.before_json))).toEqual({ phones: 1, connected: true });
    // Ana never left the class: one attendance interval, no leave and rejoin.
    expect(
      readRecords(
        app.dataDir,
        `SELECT event FROM attendance a JOIN trainees t ON t.id = a.trainee_id WHERE t.officer_id = '00417' ORDER BY seq`,
      ).map((r) => r.event),
    ).toEqual(['join']);
    expect(app.classroom.engine.trainees.size).toBe(1);
    await Promise.all([mallory.close(), newPhone.close(), old.close(), con.close()]);
  });

  it('a join sent again with the token the phone made is that phone coming back: no claim, no second trainee', async () => {
    const { con, room } = await started();
    const token = 'phone-made-token_0123456789abcdefABCDEF';
    const join = {
      t: 'join',
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Test PD',
      roomCode: room,
      token,
    };
    // Two sockets of one phone send the same join at once (the first one's welcome is never read).
    const first = await Client.open(wsUrl());
    const again = await Client.open(wsUrl());
    first.send(join);
    again.send(join);
    const w1 = await first.next<{ t: 'welcome'; token: string; trainee: { id: string } }>(
      (m) => m.t === 'welcome' || m.t === 'claim' || m.t === 'error',
    );
    const w2 = await again.next<{ t: 'welcome'; token: string; trainee: { id: string } }>(
      (m) => m.t === 'welcome' || m.t === 'claim' || m.t === 'error',
    );
    expect(w1).toMatchObject({ t: 'welcome', token });
    expect(w2).toMatchObject({ t: 'welcome', token, trainee: { id: w1.trainee.id } });
    await first.close();
    // The first socket gone, the join goes once more (after a restart, say): still Ana, no claim.
    const third = await Client.open(wsUrl());
    third.send(join);
    expect(
      await third.next((m) => m.t === 'welcome' || m.t === 'claim' || m.t === 'error'),
    ).toMatchObject({
      t: 'welcome',
      trainee: { id: w1.trainee.id },
    });
    expect(app.classroom.engine.trainees.size).toBe(1);
    expect(app.classroom.consoleView().session!.claims).toEqual([]);
    expect(audit()).toEqual([]);
    expect(readRecords(app.dataDir, `SELECT COUNT(*) AS n FROM trainees`)).toEqual([{ n: 1 }]);
    // Someone else with Ana's officer ID and another token is a claim, as ever.
    const other = await claim(room, { name: 'Ana Ortiz', officerId: '00417' });
    expect(await other.next((m) => m.t === 'claim' || m.t === 'welcome')).toMatchObject({
      t: 'claim',
    });
    // A token too short to be random is refused, and nothing changes.
    const weak = await Client.open(wsUrl());
    weak.send({ ...join, officerId: '555', token: 'short' });
    expect(await weak.next((m) => m.t === 'error' || m.t === 'welcome')).toMatchObject({
      t: 'error',
      code: 'invalid',
    });
    expect(app.classroom.engine.trainees.size).toBe(1);
    await Promise.all([again.close(), third.close(), other.close(), weak.close(), con.close()]);
  });

  it('a phone gone longer than the claim window is replaced without the instructor, audit-logged', async () => {
    const { con, room } = await started(200);
    const ana = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: 'W1' });
    await ana.close();
    await new Promise((r) => setTimeout(r, 300));
    const fresh = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: 'w1' });
    expect(fresh.token).not.toBe(ana.token);
    expect(audit()).toEqual([
      expect.objectContaining({
        action: 'rebindDevice',
        actor: 'system',
        reason: expect.stringMatching(/previous phone had been away 0 min/),
      }),
    ]);
    expect(
      readRecords(app.dataDir, `SELECT event FROM attendance ORDER BY seq`).map((r) => r.event),
    ).toEqual(['join', 'leave', 'join']);
    await Promise.all([fresh.close(), con.close()]);
  });

  it('look-alike officer IDs and names are one person: full-width digits, zero-width and bidi characters', async () => {
    const { con, room } = await started();
    const ana = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: 'AB417' });
    for (const officerId of ['ＡＢ４１７', 'AB\u200b417', '\u202eAB417', ' ab417 ']) {
      const c = await claim(room, { name: 'Ana\u200b Ortiz', officerId });
      expect(
        await c.next((m) => m.t === 'claim' || m.t === 'welcome' || m.t === 'error'),
        officerId,
      ).toMatchObject({ t: 'claim' });
      await c.close();
    }
    // A name with hidden characters is stored clean.
    const ben = await joinTrainee(app.lanUrl, room, {
      name: 'Ben\u200b \u202eLee\ufeff',
      officerId: 'ＢＬ１',
    });
    expect(
      readRecords(app.dataDir, `SELECT name, officer_id FROM trainees ORDER BY joined_at`),
    ).toEqual([
      { name: 'Ana Ortiz', officer_id: 'AB417' },
      { name: 'Ben Lee', officer_id: 'BL1' },
    ]);
    await expect.poll(() => app.classroom.consoleView().session!.claims.length).toBe(0);
    await Promise.all([ana.close(), ben.close(), con.close()]);
  });

  it('every trainee message gets an answer, a nickname while the game is off included', async () => {
    const { con, room } = await started();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Cy', officerId: 'N1' });
    const id = msgId();
    t.send({ t: 'nickname', id, nickname: 'Falcon' });
    expect(await t.next((m) => m.id === id)).toMatchObject({
      t: 'error',
      message: expect.stringMatching(/the game is off/),
    });
    t.send({ t: 'ping' });
    await t.next((m) => m.t === 'pong');
    const vote = msgId();
    t.send({ t: 'vote', qaId: 'nope', id: vote });
    expect(await t.next((m) => m.id === vote)).toMatchObject({ t: 'error', code: 'not-found' });
    await Promise.all([t.close(), con.close()]);
  });
});
