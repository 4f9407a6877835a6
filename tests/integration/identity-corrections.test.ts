// Audit-logged identity corrections and moving a phone to another trainee, on a real server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);
import { ROSTER, latest, rosterPoster } from '../helpers/roster-http';

const post = rosterPoster(() => app);

describe('identity corrections', () => {
  it('a correction writes an audit_log row with before, after and reason; the console and the phone show the corrected identity', async () => {
    await post('import', ROSTER);
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const room = app.classroom.engine.session!.roomCode;
    const phone = await joinTrainee(app.lanUrl, room, {
      name: 'Ana Ortz',
      officerId: '417',
      agency: 'Austin',
    });
    const traineeId = (
      phone.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
    ).trainee.id;
    expect(
      (await latest(con, (v) => v.session?.trainees.length === 1)).session!.trainees[0],
    ).toMatchObject({ walkIn: true });

    // A correction without a reason does not even reach the engine.
    const n = con.messages.length;
    con.send({
      t: 'cmd',
      id: msgId(),
      cmd: { type: 'correctTrainee', traineeId, name: 'Ana Ortiz', reason: ' ' },
    });
    expect(await con.next((m) => m.t === 'error', 5000, n)).toMatchObject({
      message: 'cmd.reason: Reason is required',
    });

    const before = phone.messages.length;
    const since = con.messages.length;
    const r = await con.cmd({
      type: 'correctTrainee',
      traineeId,
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Austin PD',
      reason: 'Typo at join; checked against the sign-in sheet',
    });
    expect(r).toMatchObject({ t: 'result', ok: true });
    const audit = readDb(
      'SELECT session_id, actor, action, entity, entity_id, before_json, after_json, reason, at FROM audit_log WHERE action = ?',
      'correctTrainee',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      session_id: app.classroom.engine.session!.id,
      actor: 'instructor',
      entity: 'trainee',
      entity_id: traineeId,
      reason: 'Typo at join; checked against the sign-in sheet',
    });
    expect(JSON.parse(audit[0].before_json as string)).toEqual({
      name: 'Ana Ortz',
      officerId: '417',
      agency: 'Austin',
    });
    expect(JSON.parse(audit[0].after_json as string)).toEqual({
      name: 'Ana Ortiz',
      officerId: '00417',
      agency: 'Austin PD',
    });
    expect(readDb('SELECT name, officer_id, agency FROM trainees WHERE id = ?', traineeId)).toEqual(
      [{ name: 'Ana Ortiz', officer_id: '00417', agency: 'Austin PD' }],
    );
    const v = await latest(con, (x) => x.session?.trainees[0]?.name === 'Ana Ortiz', since);
    expect(v.session!.trainees[0]).toMatchObject({
      officerId: '00417',
      onRoster: true,
      walkIn: false,
    });
    const w = await phone.next<{ t: 'welcome'; token: string; trainee: { name: string } }>(
      (m) => m.t === 'welcome',
      5000,
      before,
    );
    expect(w.trainee.name).toBe('Ana Ortiz');
    expect(w.token).toBe(phone.token);
    await Promise.all([phone.close(), con.close()]);
  });

  it('moving a phone to another trainee rebinds its token (stored), is audit-logged, and the phone is told', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const room = app.classroom.engine.session!.roomCode;
    const phone = await joinTrainee(app.lanUrl, room, { name: 'Ana', officerId: 'A1' });
    const other = await joinTrainee(app.lanUrl, room, { name: 'Ben', officerId: 'B1' });
    const idOf = (c: typeof phone) =>
      (c.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }).trainee
        .id;
    const [ana, ben] = [idOf(phone), idOf(other)];
    await other.close();
    await latest(con, (x) => x.session?.trainees.find((t) => t.id === ben)?.connected === false);
    const before = phone.messages.length;
    const since = con.messages.length;
    const r = await con.cmd({
      type: 'moveDevice',
      fromTraineeId: ana,
      toTraineeId: ben,
      reason: 'Ben signed in on Ana’s phone by mistake',
    });
    expect(r).toMatchObject({ ok: true });
    const w = await phone.next<{ t: 'welcome'; trainee: { id: string; name: string } }>(
      (m) => m.t === 'welcome',
      5000,
      before,
    );
    expect(w.trainee).toMatchObject({ id: ben, name: 'Ben' });
    expect(
      readDb('SELECT DISTINCT trainee_id FROM devices d JOIN trainees t ON t.id = d.trainee_id'),
    ).toEqual([{ trainee_id: ben }]);
    expect(
      readDb(`SELECT entity, entity_id, reason FROM audit_log WHERE action = 'moveDevice'`),
    ).toEqual([
      { entity: 'device', entity_id: ana, reason: 'Ben signed in on Ana’s phone by mistake' },
    ]);
    const v = await latest(
      con,
      (x) => x.session?.trainees.find((t) => t.id === ben)?.connected === true,
      since,
    );
    expect(v.session!.trainees.find((t) => t.id === ana)!.connected).toBe(false);
    // When the phone leaves, it is Ben who leaves.
    const closing = con.messages.length;
    await phone.close();
    await latest(con, (x) => x.session?.trainees.every((t) => !t.connected) === true, closing);
    // Who is connected changes when the socket closes; the leave is stored in the next commit batch.
    await expect
      .poll(() =>
        readDb('SELECT trainee_id, event FROM attendance ORDER BY seq').map(
          (a) => `${a.trainee_id === ana ? 'ana' : 'ben'}:${a.event}`,
        ),
      )
      .toEqual(['ana:join', 'ben:join', 'ben:leave', 'ana:leave', 'ben:join', 'ben:leave']);
    await con.close();
  });
});
