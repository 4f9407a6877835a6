/**
 * The trainee socket on a real server: answers stored once and acknowledged, replaced until the
 * question closes, hostile or oversized messages refused without a change, no instructor commands,
 * reconnecting with a token, wrong room codes, and no correct answer before the reveal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import { startDemoPoll } from '../helpers/class';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const startPoll = () => startDemoPoll(app);

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);

describe('trainee socket', () => {
  it('an answer sent twice is stored once, and both sends are acknowledged', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: '00417' });
    await con.cmd({ type: 'openQuestion' });
    const view = await t.next<{ t: 'view'; question: { runId: string; open: boolean } | null }>(
      (m) => m.t === 'view' && !!(m as { question?: { open?: boolean } }).question?.open,
    );
    const runId = view.question!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Nights' });
    await t.next((m) => m.t === 'ack' && m.id === id);
    const before = t.messages.length;
    t.send({ t: 'answer', id, runId, value: 'Nights' });
    await t.next((m) => m.t === 'ack' && m.id === id, 5000, before);
    expect(readDb('SELECT * FROM answer_log WHERE run_id = ?', runId)).toHaveLength(1);
    const responses = readDb('SELECT value_json, changes FROM responses WHERE run_id = ?', runId);
    expect(responses).toEqual([{ value_json: '"Nights"', changes: 0 }]);
    expect(
      app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBe(1);
    await t.close();
    await con.close();
  });

  it('a new answer replaces the old one until the question closes; then answers are refused', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ben', officerId: 'B1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    for (const value of ['Days', 'Evenings']) {
      const id = msgId();
      t.send({ t: 'answer', id, runId, value });
      await t.next((m) => m.t === 'ack' && m.id === id);
    }
    await con.cmd({ type: 'closeQuestion' });
    const late = msgId();
    t.send({ t: 'answer', id: late, runId, value: 'Nights' });
    const err = await t.next<{ t: 'error'; code: string }>((m) => m.t === 'error' && m.id === late);
    expect(err.code).toBe('closed');
    expect(readDb('SELECT value_json, changes FROM responses WHERE run_id = ?', runId)).toEqual([
      { value_json: '"Evenings"', changes: 1 },
    ]);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log WHERE run_id = ?', runId)).toEqual([
      { n: 2 },
    ]);
    await t.close();
    await con.close();
  });

  it('an invalid message gets a clear error and changes nothing', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Cy', officerId: 'C1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const snapshot = () =>
      readDb(
        'SELECT (SELECT COUNT(*) FROM answer_log) a, (SELECT COUNT(*) FROM responses) r, (SELECT COUNT(*) FROM trainees) t',
      );
    const before = snapshot();
    const cases: [string | object, RegExp][] = [
      ['not json', /JSON/],
      [{ t: 'answer', id: msgId(), runId, value: 'Not an option' }, /choose one of the options/],
      [{ t: 'answer', id: 'x', runId, value: 'Days' }, /message id/],
      [{ t: 'answer', id: msgId(), runId, value: { $gt: 1 } }, /value/],
      [{ t: 'join', name: '', officerId: 'Z', agency: 'Z', roomCode: room }, /already joined|Name/],
      [{ t: 'hello' }, /t/],
      [{ t: 'answer', id: msgId(), runId, value: 'Days', extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [m, pattern] of cases) {
      const n = t.messages.length;
      t.send(m);
      const err = await t.next<{ t: 'error'; message: string }>((x) => x.t === 'error', 5000, n);
      expect(err.message).toMatch(pattern);
    }
    expect(snapshot()).toEqual(before);
    expect(
      app.classroom.engine.results({ hidePrompt: false, profanityFilter: false })!.answered,
    ).toBe(0);
    await t.close();
    await con.close();
  });

  it('an oversized message closes the socket without changing anything', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Di', officerId: 'D1' });
    const closed = new Promise<number>((r) => t.ws.once('close', (code) => r(code)));
    t.send({ t: 'ping', pad: 'x'.repeat(10_000) });
    expect(await closed).toBe(1009);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log')).toEqual([{ n: 0 }]);
    await con.close();
  });

  it('a trainee socket cannot send instructor commands', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Eve', officerId: 'E1' });
    const slide = app.classroom.engine.session!.slideIndex;
    t.send({ t: 'cmd', id: msgId(), cmd: { type: 'next' } });
    const err = await t.next<{ t: 'error'; code: string }>((m) => m.t === 'error');
    expect(err.code).toBe('invalid');
    expect(app.classroom.engine.session!.slideIndex).toBe(slide);
    // The instructor socket path does not exist on the LAN listener at all.
    await expect(
      Client.open(
        `${app.lanUrl.replace('http', 'ws')}/ws/instructor?role=console&token=${app.token}`,
      ),
    ).rejects.toThrow(/403/);
    await t.close();
    await con.close();
  });

  it('a phone that reconnects with its token is the same trainee with its answer kept', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Flo', officerId: 'F1' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Days' });
    await t.next((m) => m.t === 'ack');
    const traineeId = (
      t.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
    ).trainee.id;
    await t.close();
    const again = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    again.send({ t: 'resume', token: t.token });
    const w = await again.next<{
      t: 'welcome';
      trainee: { id: string };
      answer: { runId: string; value: string };
    }>((m) => m.t === 'welcome');
    expect(w.trainee.id).toBe(traineeId);
    expect(w.answer).toEqual({ runId, value: 'Days' });
    expect(app.classroom.engine.trainees.size).toBe(1);
    const events = readDb(
      'SELECT event FROM attendance WHERE trainee_id = ? ORDER BY seq',
      traineeId,
    ).map((r) => r.event);
    expect(events).toEqual(['join', 'leave', 'join']);
    await again.close();
    await con.close();
  });

  it('a wrong room code is refused with a message the trainee can act on', async () => {
    const { con, room } = await startPoll();
    const wrong = room === '000000' ? '111111' : '000000';
    const c = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    c.send({ t: 'join', name: 'Gus', officerId: 'G1', agency: 'X', roomCode: wrong });
    const err = await c.next<{ t: 'error'; message: string }>((m) => m.t === 'error');
    expect(err.message).toMatch(/room code/);
    expect(app.classroom.engine.trainees.size).toBe(0);
    await c.close();
    await con.close();
  });

  it('phones never see the correct answer before the reveal', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const idx = app.classroom.engine.session!.deck.slides.findIndex(
      (s) => s.question?.type === 'truefalse',
    );
    await con.cmd({ type: 'goto', index: idx });
    const t = await joinTrainee(app.lanUrl, app.classroom.engine.session!.roomCode, {
      name: 'Hal',
      officerId: 'H1',
    });
    await con.cmd({ type: 'openQuestion' });
    await t.next((m) => m.t === 'view' && (m as { phase?: string }).phase === 'question');
    await con.cmd({ type: 'closeQuestion' });
    await t.next((m) => m.t === 'view' && (m as { phase?: string }).phase === 'closed');
    const beforeReveal = JSON.stringify(t.messages);
    expect(beforeReveal).not.toMatch(/correct|explanation":"Under/);
    await con.cmd({ type: 'showResults' });
    const v = await t.next<{ t: 'view'; reveal: { correct: string[] } }>(
      (m) => m.t === 'view' && (m as { phase?: string }).phase === 'results',
    );
    expect(v.reveal.correct).toEqual(['True']);
    await t.close();
    await con.close();
  });
});
