/**
 * The instructor's class-wide switches over the real server: hide the question text on every phone,
 * and the profanity filter on what the room sees (kept in settings; the records keep what was typed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, readRecords } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { ConsoleView, TraineeView } from '../../shared/protocol';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

describe('class-wide switches', () => {
  it('hides the question text on every phone, and the profanity filter masks what the room sees', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    expect((await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann', officerId: '1' });

    const hidden = ann.nextNew((m) => m.t === 'view' && (m as unknown as TraineeView).hidePrompt === true);
    expect((await con.cmd({ type: 'hidePrompt', hide: true })).ok).toBe(true);
    await hidden;
    const shown = ann.nextNew((m) => m.t === 'view' && !(m as unknown as TraineeView).hidePrompt);
    await con.cmd({ type: 'hidePrompt', hide: false });
    await shown;

    const id = msgId();
    ann.send({ t: 'ask', id, text: 'is this shit on the test?', anonymous: false });
    await ann.next((m) => m.t === 'ack' && m.id === id);
    const qaId = [...app.classroom.engine.qa.keys()][0];
    await con.cmd({ type: 'qa', qaId, action: 'approve' });
    const plain = (await ann.next((m) => m.t === 'view' && (m as unknown as TraineeView).qa.length === 1)) as unknown as TraineeView;
    expect(plain.qa[0].text).toBe('is this shit on the test?');

    const masked = ann.nextNew((m) => m.t === 'view' && (m as unknown as TraineeView).qa[0]?.text === 'is this **** on the test?');
    expect((await con.cmd({ type: 'profanityFilter', on: true })).ok).toBe(true);
    await masked;
    const cv = (await con.next((m) => m.t === 'console' && (m as unknown as ConsoleView).session?.profanityFilter === true)) as unknown as ConsoleView;
    // The instructor sees what was typed, flagged; the projector sees it masked.
    expect(cv.session!.qa[0]).toMatchObject({ text: 'is this shit on the test?', profane: true });
    expect(app.classroom.engine.qaBoard(app.classroom.stage)[0].text).toBe('is this **** on the test?');
    // The records keep what the trainee typed.
    expect(readRecords(app.dataDir, `SELECT text FROM qa_questions`)[0].text).toBe('is this shit on the test?');
    await Promise.all([ann.close(), con.close()]);
  });
});
