// Liveness over many heartbeat periods: healthy sockets (which answer pings, as browsers do) stay
// open for the whole time with one attendance interval each; a socket that stops answering is
// closed after two missed pings, and its trainee's attendance shows the leave.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, openConsole } from '../helpers/clients';

const BEAT = 150;
let app: TestApp;
afterEach(async () => {
  await app.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('heartbeat', () => {
  it('sockets held for 20 heartbeat periods are never closed; a silent one is closed after two missed pings', async () => {
    app = await startTestApp({ heartbeatMs: BEAT });
    const con = await openConsole(app.consoleBase, app.token);
    const projector = await Client.open(
      `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${app.token}`,
    );
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const phones = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        joinTrainee(app.lanUrl, room, { name: `Phone ${i}`, officerId: `HB${i}` }),
      ),
    );
    // A phone whose network died without a close: its socket never answers a ping again.
    const silent = new WebSocket(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`, {
      autoPong: false,
    });
    await new Promise((r) => silent.once('open', r));
    const silentClient = { ws: silent, messages: [] as { t: string }[] };
    silent.on('message', (d) => silentClient.messages.push(JSON.parse(String(d)) as { t: string }));
    silent.send(
      JSON.stringify({
        t: 'join',
        name: 'Gone Quiet',
        officerId: 'HB-SILENT',
        agency: 'PD',
        roomCode: room,
      }),
    );
    await expect.poll(() => silentClient.messages.some((m) => m.t === 'welcome')).toBe(true);
    const silentClosed = new Promise<number>((r) => silent.once('close', (code) => r(code)));

    const closes: string[] = [];
    const watch = (name: string, ws: WebSocket) =>
      ws.once('close', (code) => closes.push(`${name} closed ${code}`));
    phones.forEach((p, i) => watch(`phone ${i + 1}`, p.ws));
    watch('console', con.ws);
    watch('projector', projector.ws);
    let pings = 0;
    phones[0].ws.on('ping', () => pings++);

    const started = Date.now();
    // The silent socket misses two pings and is closed within about three periods.
    await silentClosed;
    expect(Date.now() - started).toBeLessThan(BEAT * 20);
    await sleep(BEAT * 20 - (Date.now() - started));

    expect(closes).toEqual([]);
    expect(pings).toBeGreaterThanOrEqual(15);
    // Each healthy phone: one join, no leave. The silent one: a join and a leave.
    const events = readRecords(
      app.dataDir,
      `SELECT t.officer_id AS id, GROUP_CONCAT(a.event, ',') AS events FROM attendance a JOIN trainees t ON t.id = a.trainee_id GROUP BY t.officer_id ORDER BY t.officer_id`,
    );
    expect(events).toEqual([
      { id: 'HB-SILENT', events: 'join,leave' },
      { id: 'HB1', events: 'join' },
      { id: 'HB2', events: 'join' },
      { id: 'HB3', events: 'join' },
      { id: 'HB4', events: 'join' },
      { id: 'HB5', events: 'join' },
    ]);
    const view = app.classroom.consoleView().session!;
    expect(
      view.trainees
        .filter((t) => t.connected)
        .map((t) => t.officerId)
        .sort(),
    ).toEqual(['HB1', 'HB2', 'HB3', 'HB4', 'HB5']);
    await Promise.all([...phones.map((p) => p.close()), con.close(), projector.close()]);
  });

  it('a socket that never answers a ping but keeps sending is alive: held for 10 periods, every message handled', async () => {
    app = await startTestApp({ heartbeatMs: BEAT });
    // No pongs at all: only its messages show it is there (one listener both counts and handles them).
    const chatty = new WebSocket(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`, {
      autoPong: false,
    });
    await new Promise((r) => chatty.once('open', r));
    const replies: { t: string; code?: string }[] = [];
    chatty.on('message', (d) => replies.push(JSON.parse(String(d)) as { t: string }));
    let closed = false;
    chatty.once('close', () => (closed = true));
    let sent = 0;
    const started = Date.now();
    while (Date.now() - started < BEAT * 10) {
      // A message the server refuses (and changes nothing for): its reply shows it was handled.
      chatty.send(JSON.stringify({ t: 'not-a-message' }));
      sent++;
      await sleep(BEAT / 2);
    }
    await expect.poll(() => replies.length).toBe(sent);
    expect(replies.every((r) => r.t === 'error' && r.code === 'invalid')).toBe(true);
    expect(sent).toBeGreaterThanOrEqual(15);
    expect(closed).toBe(false);
    // Once it falls silent it is closed like any other, after two missed pings.
    const silentFor = Date.now();
    await new Promise((r) => chatty.once('close', r));
    expect(Date.now() - silentFor).toBeLessThan(BEAT * 6);
  });

  it('after End session a phone that reconnects is told the class ended, not asked to join again', async () => {
    app = await startTestApp();
    const con = await openConsole(app.consoleBase, app.token);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ana', officerId: 'END1' });
    expect((await con.cmd({ type: 'endSession' })).ok).toBe(true);
    await t.next((m) => m.t === 'view' && m.phase === 'ended');
    await t.close();
    const again = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    again.send({ t: 'resume', token: t.token });
    const w = await again.next((m) => m.t === 'welcome' || m.t === 'error');
    expect(w.t).toBe('welcome');
    expect(await again.next((m) => m.t === 'view')).toMatchObject({ phase: 'ended' });
    // The class is over: no new attendance for the reconnect.
    expect(
      readRecords(app.dataDir, `SELECT event FROM attendance ORDER BY seq`).map((r) => r.event),
    ).toEqual(['join', 'leave']);
    await again.close();
    await con.close();
  });
});
