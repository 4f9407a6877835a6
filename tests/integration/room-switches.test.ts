/**
 * The instructor's class-wide switches over the real server: hide the question text on every phone,
 * and the profanity filter on what the room sees (kept in settings; the records keep what was typed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, readRecords } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { ConsoleView, ProjectorView, TraineeView } from '../../shared/protocol';

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
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann', officerId: '1' });

    const hidden = ann.nextNew(
      (m) => m.t === 'view' && (m as unknown as TraineeView).hidePrompt === true,
    );
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
    const plain = (await ann.next(
      (m) => m.t === 'view' && (m as unknown as TraineeView).qa.length === 1,
    )) as unknown as TraineeView;
    expect(plain.qa[0].text).toBe('is this shit on the test?');

    const masked = ann.nextNew(
      (m) =>
        m.t === 'view' && (m as unknown as TraineeView).qa[0]?.text === 'is this **** on the test?',
    );
    expect((await con.cmd({ type: 'profanityFilter', on: true })).ok).toBe(true);
    await masked;
    const cv = (await con.next(
      (m) => m.t === 'console' && (m as unknown as ConsoleView).session?.profanityFilter === true,
    )) as unknown as ConsoleView;
    // The instructor sees what was typed, flagged; the projector sees it masked.
    expect(cv.session!.qa[0]).toMatchObject({ text: 'is this shit on the test?', profane: true });
    expect(app.classroom.engine.qaBoard(app.classroom.stage)[0].text).toBe(
      'is this **** on the test?',
    );
    // The records keep what the trainee typed.
    expect(readRecords(app.dataDir, `SELECT text FROM qa_questions`)[0].text).toBe(
      'is this shit on the test?',
    );
    await Promise.all([ann.close(), con.close()]);
  });
});

describe('one thing on the projector at a time', () => {
  it('what is put up replaces what was up; a step of the class takes it down once stored; a refused step leaves it', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    const proj = await Client.open(
      `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${app.token}`,
    );
    /** The projector is sent this screen (and these fields) as the views go out. */
    const screen = async (want: ProjectorView['screen'], fields: Record<string, unknown> = {}) => {
      await expect
        .poll(() => app.classroom.projectorView())
        .toMatchObject({ screen: want, ...fields });
      await proj.next(
        (m) => m.t === 'projector' && (m as unknown as ProjectorView).screen === want,
      );
    };
    if (app.classroom.engine.live()) expect((await con.cmd({ type: 'endSession' })).ok).toBe(true);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann', officerId: '2' });
    await screen('join');
    const poll = app.classroom.engine.session!.deck.slides.findIndex(
      (sl) => sl.question?.type === 'single',
    );
    expect((await con.cmd({ type: 'goto', index: poll })).ok).toBe(true);
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
    ann.send({ t: 'answer', id: msgId(), runId: app.classroom.engine.run!.runId, value: 'Days' });
    await ann.next((m) => m.t === 'ack');
    // The poll is open: the room sees how many answered, not the split.
    await screen('question', { answered: 1, results: null });

    // The Q&A board goes up; the leaderboard replaces it; taking the leaderboard down leaves nothing up.
    expect((await con.cmd({ type: 'showQa', show: true })).ok).toBe(true);
    await screen('qa', { results: null, leaderboard: null });
    expect((await con.cmd({ type: 'gameMode', mode: 'leaderboard' })).ok).toBe(true);
    expect((await con.cmd({ type: 'showLeaderboard', show: true })).ok).toBe(true);
    await screen('leaderboard', { qa: null });
    expect(app.classroom.consoleView().session).toMatchObject({
      overlay: 'leaderboard',
      showQa: false,
      game: { show: true },
    });
    expect((await con.cmd({ type: 'showQa', show: false })).ok).toBe(true); // not the one up: nothing changes
    expect(app.classroom.stage.overlay).toBe('leaderboard');
    expect((await con.cmd({ type: 'showLeaderboard', show: false })).ok).toBe(true);
    await screen('question');

    // Up again, then a refused step (leaving a slide with its question open): the board stays.
    expect((await con.cmd({ type: 'showQa', show: true })).ok).toBe(true);
    await screen('qa');
    expect(await con.cmd({ type: 'next' })).toMatchObject({ ok: false });
    expect(app.classroom.stage.overlay).toBe('qa');
    // A stored step takes it down: closing the question shows the question again, then its results.
    expect((await con.cmd({ type: 'closeQuestion' })).ok).toBe(true);
    expect(app.classroom.stage.overlay).toBeNull();
    await screen('question');
    expect((await con.cmd({ type: 'showQa', show: true })).ok).toBe(true);
    expect((await con.cmd({ type: 'showResults' })).ok).toBe(true);
    await screen('results', { results: { counts: [1, 0, 0, 0] }, qa: null });
    // A black screen covers whatever is up and is not taken down by putting something up.
    expect((await con.cmd({ type: 'blank', mode: 'black' })).ok).toBe(true);
    expect((await con.cmd({ type: 'showQa', show: true })).ok).toBe(true);
    await screen('qa', { blank: 'black' });
    expect((await con.cmd({ type: 'endSession' })).ok).toBe(true);
    await screen('ended', { qa: null, results: null });
    // The library opens on what this class presented, next time.
    expect(app.classroom.consoleView().lastDeck).toEqual({ course: 'demo', file: '01-welcome.md' });
    await Promise.all([ann.close(), proj.close(), con.close()]);
  });
});
