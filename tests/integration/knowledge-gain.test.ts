/**
 * Self-paced assessments over the real server: a later session's post-test shows the knowledge
 * gain and decides pass/fail in the export.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { joinTrainee } from '../helpers/clients';
import { isGraded } from '../../shared/question';
import {
  answerAll,
  consoleView,
  startSession,
  useApps,
  viewWithAssessment,
} from '../helpers/assessments';

const { start } = useApps();

describe('self-paced assessments', () => {
  it('a later session’s post-test shows the knowledge gain, and decides pass/fail in the export', async () => {
    const app = await start();
    // Morning: the pre-test. Ann knows it all, Bob a third, Cy takes no pre-test.
    const morning = await startSession(app, '01-understanding.md');
    const con = morning.con;
    let room = morning.room;
    const pre = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'pretest')!;
    const post = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'posttest')!;
    let ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    let bob = await joinTrainee(app.lanUrl, room, { name: 'Bob Ray', officerId: 'B-7' });
    let v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'pretest' });
    const va = await v;
    await answerAll(ann, va, pre, () => 'right');
    await answerAll(bob, va, pre, (i) => (i % 3 === 0 ? 'right' : 'wrong'));
    await con.cmd({ type: 'closeAssessment' });
    // No post-test yet: nothing to show.
    expect((await con.cmd({ type: 'showGain', show: true })).ok).toBe(false);
    await con.cmd({ type: 'endSession' });
    await Promise.all([ann.close(), bob.close()]);

    // Afternoon, a new session of the same course: the post-test.
    expect(
      (
        await con.cmd({
          type: 'startSession',
          deck: { course: 'human-trafficking', file: '05-patrol.md' },
        })
      ).ok,
    ).toBe(true);
    room = app.classroom.engine.session!.roomCode;
    ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    bob = await joinTrainee(app.lanUrl, room, { name: 'Bob Ray', officerId: 'b-7 ' });
    const cy = await joinTrainee(app.lanUrl, room, { name: 'Cy Diaz', officerId: 'C-1' });
    // Dee missed the morning: she takes the pre-test now; Ann's and Bob's stay this morning's.
    const dee = await joinTrainee(app.lanUrl, room, { name: 'Dee Park', officerId: 'D-4' });
    const vd = viewWithAssessment(dee);
    await con.cmd({ type: 'openAssessment', key: 'pretest' });
    await answerAll(dee, await vd, pre, () => 'right');
    await con.cmd({ type: 'closeAssessment' });
    await con.cmd({ type: 'dismissAssessment' });
    v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'posttest' });
    const vp = await v;
    await answerAll(ann, vp, post, () => 'right');
    await answerAll(bob, vp, post, (i) => (i % 5 === 4 ? 'wrong' : 'right'));
    await answerAll(cy, vp, post, () => 'wrong');
    await answerAll(dee, vp, post, () => 'right');
    await con.cmd({ type: 'closeAssessment' });
    const r = await con.cmd({ type: 'showGain', show: true });
    expect(r.ok).toBe(true);
    const cv = await consoleView(
      con,
      (x) => x.session?.gain !== null && x.session?.showGain === true,
    );
    const gain = cv.session!.gain!;
    const gradedPre = pre.questions.filter(isGraded).length;
    const gradedPost = post.questions.filter(isGraded).length;
    const bobPre = Math.round((Math.ceil(gradedPre / 3) / gradedPre) * 1000) / 10;
    const bobPost =
      Math.round(((gradedPost - Math.floor(gradedPost / 5)) / gradedPost) * 1000) / 10;
    expect(gain.matched).toBe(3);
    expect(gain.posttestTakers).toBe(4);
    expect(gain.preMean).toBeCloseTo((200 + bobPre) / 3, 0);
    expect(gain.postMean).toBeCloseTo((200 + bobPost) / 3, 0);
    expect(gain.gain).toBeCloseTo((200 + bobPost) / 3 - (200 + bobPre) / 3, 0);
    expect(gain.byTag.length).toBeGreaterThan(0);
    expect(gain.trainees.find((t) => t.name === 'Cy Diaz')).toMatchObject({ pre: null, post: 0 });

    // The projector gets the class figures only, never names.
    const proj = app.classroom.projectorView();
    expect(proj.assessment?.gain?.matched).toBe(3);
    expect(JSON.stringify(proj)).not.toContain('Ann Lee');
    // Moving on to the next slide takes it off the projector.
    await con.cmd({ type: 'dismissAssessment' });
    await con.cmd({ type: 'showGain', show: true });
    expect(app.classroom.projectorView().assessment?.gain).toBeTruthy();
    await con.cmd({ type: 'next' });
    expect(app.classroom.projectorView().assessment).toBeNull();

    await con.cmd({ type: 'endSession' });
    const sid = app.classroom.engine.session!.id;
    const res = await fetch(
      `${app.consoleBase}/api/sessions/${sid}/export.xlsx?token=${app.token}`,
    );
    expect(res.status).toBe(200);
    const wb = XLSX.read(Buffer.from(await res.arrayBuffer()));
    const scores = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Scores);
    const row = (name: string) => scores.find((x) => x.Name === name)!;
    expect(row('Ann Lee')).toMatchObject({
      'Pre-test %': 100,
      'Post-test %': 100,
      'Gain (points)': 0,
      'Score %': 100,
      Result: 'Pass',
    });
    expect(row('Bob Ray')['Pre-test %']).toBeCloseTo(bobPre, 1);
    expect(row('Bob Ray')['Post-test %']).toBeCloseTo(bobPost, 1);
    expect(row('Cy Diaz')).toMatchObject({ 'Post-test %': 0, 'Score %': 0, Result: 'Fail' });
    expect(row('Cy Diaz')['Pre-test %'] ?? '').toBe('');
    expect(row('Dee Park')).toMatchObject({
      'Pre-test %': 100,
      'Post-test %': 100,
      Result: 'Pass',
    });
    const summary = Object.fromEntries(
      XLSX.utils
        .sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 })
        .map((x) => [x[0], x[1]]),
    );
    expect(summary['Score based on']).toBe('Post-test');
    expect(summary['Post-test takers']).toBe(4);
    const items = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['Item analysis']);
    expect(items.filter((x) => x['Asked in'] === post.title)).toHaveLength(post.questions.length);
    await Promise.all([ann.close(), bob.close(), cy.close(), dee.close(), con.close()]);
  });
});
