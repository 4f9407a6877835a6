/**
 * Records: an acknowledged answer is already in the database file, and after a restart the class
 * resumes where it was, with the same trainees and answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId } from '../helpers/clients';
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

describe('records', () => {
  it('an acknowledged answer is already in the database file', async () => {
    const { con, room } = await startPoll();
    const trainees = await Promise.all(
      [1, 2, 3].map((i) => joinTrainee(app.lanUrl, room, { name: `T${i}`, officerId: `ID${i}` })),
    );
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    await Promise.all(
      trainees.map(async (t) => {
        const id = msgId();
        t.send({ t: 'answer', id, runId, value: 'Days' });
        await t.next((m) => m.t === 'ack' && m.id === id);
        // At the moment of the ack, an independent reader sees the stored row.
        const traineeId = (
          t.messages.find((m) => m.t === 'welcome') as unknown as { trainee: { id: string } }
        ).trainee.id;
        expect(
          readDb('SELECT 1 FROM responses WHERE run_id = ? AND trainee_id = ?', runId, traineeId),
        ).toHaveLength(1);
      }),
    );
    await Promise.all(trainees.map((t) => t.close()));
    await con.close();
  });

  it('after a restart the class resumes where it was, with the same trainees and answers', async () => {
    const { con, room } = await startPoll();
    const t = await joinTrainee(app.lanUrl, room, { name: 'Ivy', officerId: '00417' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const id = msgId();
    t.send({ t: 'answer', id, runId, value: 'Rotating' });
    await t.next((m) => m.t === 'ack');
    const slide = app.classroom.engine.session!.slideIndex;
    await t.close();
    await con.close();
    await app.stop();

    app = await startTestApp({ dataDir: app.dataDir });
    expect(app.classroom.engine.session?.roomCode).toBe(room);
    expect(app.classroom.engine.session?.slideIndex).toBe(slide);
    expect(app.classroom.engine.session?.phase).toBe('question');
    const again = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    again.send({ t: 'resume', token: t.token });
    const w = await again.next<{ t: 'welcome'; answer: { value: string } }>(
      (m) => m.t === 'welcome',
    );
    expect(w.answer.value).toBe('Rotating');
    // A resend of the same message after the restart is still recognised as a resend.
    again.send({ t: 'answer', id, runId, value: 'Rotating' });
    await again.next((m) => m.t === 'ack' && m.id === id);
    expect(readDb('SELECT COUNT(*) AS n FROM answer_log')).toEqual([{ n: 1 }]);
    await again.close();
  });
});
