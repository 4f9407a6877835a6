/**
 * Self-paced assessments over the real server: trainees take the pre-test at their own pace on
 * their phones, hand it in once, the instructor follows completion, the open assessment survives a
 * restart, and a later session's post-test shows the knowledge gain and decides pass/fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { startTestApp, readRecords } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { Client } from '../helpers/clients';
import { rightAnswer, wrongAnswer } from '../helpers/answers';
import type { AssessmentDef } from '../../shared/course';
import type { ConsoleView, TraineeView } from '../../shared/protocol';
import { isGraded } from '../../shared/question';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop();
  apps = [];
});

async function start(dataDir?: string): Promise<TestApp> {
  const app = await startTestApp(dataDir ? { dataDir } : {});
  apps.push(app);
  return app;
}

type Console = Awaited<ReturnType<typeof openConsole>>;

async function startSession(app: TestApp, file: string): Promise<{ con: Console; room: string }> {
  const con = await openConsole(app.consoleBase, app.token);
  const r = await con.cmd({ type: 'startSession', deck: { course: 'human-trafficking', file } });
  expect(r.ok).toBe(true);
  return { con, room: app.classroom.engine.session!.roomCode };
}

const viewWithAssessment = (c: Client) =>
  c.nextNew(
    (m) => m.t === 'view' && (m as unknown as TraineeView).assessment !== null,
  ) as unknown as Promise<TraineeView>;

/** Answers every question of the assessment on the phone, waiting for each ack. */
async function answerAll(
  c: Client,
  view: TraineeView,
  def: AssessmentDef,
  pick: (i: number) => 'right' | 'wrong' | 'skip',
): Promise<number> {
  let n = 0;
  for (const [i, q] of view.assessment!.questions.entries()) {
    const how = pick(i);
    if (how === 'skip') continue;
    const id = msgId();
    const value = how === 'right' ? rightAnswer(def.questions[i]) : wrongAnswer(def.questions[i]);
    c.send({ t: 'answer', id, runId: q.runId, value });
    const ack = await c.next((m) => (m.t === 'ack' || m.t === 'error') && m.id === id);
    expect(ack.t).toBe('ack');
    n++;
  }
  return n;
}

async function consoleView(con: Console, pred: (v: ConsoleView) => boolean): Promise<ConsoleView> {
  // Any view so far that matches: the one sent with a command's result can arrive in the same read.
  return con.next(
    (m) => m.t === 'console' && pred(m as unknown as ConsoleView),
  ) as unknown as Promise<ConsoleView>;
}

describe('self-paced assessments', () => {
  it('trainees take the pre-test at their own pace; a hand-in is stored once; nothing is accepted after it', async () => {
    const app = await start();
    const { con, room } = await startSession(app, '01-understanding.md');
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    const bob = await joinTrainee(app.lanUrl, room, { name: 'Bob Ray', officerId: 'B-7' });
    const def = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'pretest')!;

    const annView = viewWithAssessment(ann);
    const bobView = viewWithAssessment(bob);
    expect((await con.cmd({ type: 'openAssessment', key: 'pretest' })).ok).toBe(true);
    const va = await annView;
    await bobView;
    expect(va.assessment!.questions).toHaveLength(def.questions.length);
    expect(va.assessment!.open).toBe(true);
    // docs/ARCHITECTURE.md rule 3: no correct answer or explanation reaches a phone before a reveal.
    const wire = JSON.stringify(va);
    expect(wire).not.toContain('"correct"');
    expect(wire).not.toContain('"explanation"');

    // A live question cannot be opened while the assessment runs.
    expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(false);

    await answerAll(ann, va, def, () => 'right');
    const half = await answerAll(bob, va, def, (i) => (i % 2 === 0 ? 'right' : 'skip'));

    const submitId = msgId();
    ann.send({ t: 'submit', id: submitId, assessmentId: va.assessment!.id });
    expect((await ann.next((m) => m.id === submitId)).t).toBe('ack');
    // The same hand-in again (its ack was lost): acknowledged again, stored once.
    ann.send({ t: 'submit', id: submitId, assessmentId: va.assessment!.id });
    await ann.nextNew((m) => m.t === 'ack' && m.id === submitId);
    // An answer after handing in is refused.
    const late = msgId();
    ann.send({
      t: 'answer',
      id: late,
      runId: va.assessment!.questions[0].runId,
      value: wrongAnswer(def.questions[0]),
    });
    const refused = await ann.next((m) => m.id === late);
    expect(refused).toMatchObject({ t: 'error', code: 'closed' });

    const cv = await consoleView(con, (v) => v.session?.assessment?.submitted === 1);
    const rows = cv.session!.assessment!.rows;
    const graded = def.questions.filter(isGraded).length;
    expect(rows.find((r) => r.name === 'Ann Lee')).toMatchObject({
      answered: def.questions.length,
      submitted: true,
      scorePercent: 100,
    });
    const bobRow = rows.find((r) => r.name === 'Bob Ray')!;
    expect(bobRow).toMatchObject({ answered: half, submitted: false });
    expect(bobRow.scorePercent).toBeCloseTo((half / graded) * 100, 0);

    expect((await con.cmd({ type: 'closeAssessment' })).ok).toBe(true);
    const after = msgId();
    bob.send({
      t: 'answer',
      id: after,
      runId: va.assessment!.questions[1].runId,
      value: rightAnswer(def.questions[1]),
    });
    expect(await bob.next((m) => m.id === after)).toMatchObject({ t: 'error', code: 'closed' });
    const bobSubmit = msgId();
    bob.send({ t: 'submit', id: bobSubmit, assessmentId: va.assessment!.id });
    expect(await bob.next((m) => m.id === bobSubmit)).toMatchObject({ t: 'error', code: 'closed' });

    const sid = app.classroom.engine.session!.id;
    expect(
      readRecords(
        app.dataDir,
        `SELECT COUNT(*) AS n FROM assessment_submissions WHERE session_id = ?`,
        sid,
      )[0].n,
    ).toBe(1);
    expect(
      readRecords(
        app.dataDir,
        `SELECT COUNT(*) AS n FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id IS NOT NULL AND r.session_id = ?`,
        sid,
      )[0].n,
    ).toBe(def.questions.length + half);
    expect(
      readRecords(app.dataDir, `SELECT closed_at FROM assessments WHERE session_id = ?`, sid)[0]
        .closed_at,
    ).not.toBeNull();

    // Back to the lecture: phones leave the assessment.
    const back = bob.nextNew(
      (m) => m.t === 'view' && (m as unknown as TraineeView).assessment === null,
    );
    expect((await con.cmd({ type: 'dismissAssessment' })).ok).toBe(true);
    await back;
    await Promise.all([ann.close(), bob.close(), con.close()]);
  });

  it('an open assessment survives a restart: the phone gets its answers back and can still hand in', async () => {
    const app = await start();
    const { con, room } = await startSession(app, '01-understanding.md');
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    const def = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'pretest')!;
    const v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'pretest' });
    const va = await v;
    const n = await answerAll(ann, va, def, (i) => (i < 5 ? 'right' : 'skip'));
    await ann.close();
    await con.close();
    const dataDir = app.dataDir;
    await app.stop();
    apps = [];

    const again = await start(dataDir);
    const { Client } = await import('../helpers/clients');
    const phone = await Client.open(`${again.lanUrl.replace('http', 'ws')}/ws/trainee`);
    phone.send({ t: 'resume', token: ann.token });
    const welcome = await phone.next<{
      t: 'welcome';
      assessment: { id: string; answers: unknown[]; submitted: boolean };
    }>((m) => m.t === 'welcome' || m.t === 'error');
    expect(welcome.t).toBe('welcome');
    expect(welcome.assessment).toMatchObject({ id: va.assessment!.id, submitted: false });
    expect(welcome.assessment.answers).toHaveLength(n);
    const view = (await phone.next((m) => m.t === 'view')) as unknown as TraineeView;
    expect(view.assessment?.questions.map((q) => q.runId)).toEqual(
      va.assessment!.questions.map((q) => q.runId),
    );
    const id = msgId();
    phone.send({ t: 'submit', id, assessmentId: va.assessment!.id });
    expect((await phone.next((m) => m.id === id)).t).toBe('ack');
    await phone.close();
  });

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

  it('the course evaluation is taken the same way, never scored, and fills the Evaluation sheet', async () => {
    const app = await start();
    const { con, room } = await startSession(app, '05-patrol.md');
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    const bob = await joinTrainee(app.lanUrl, room, { name: 'Bob Ray', officerId: 'B-7' });
    const def = app.classroom.engine.session!.deck.assessments!.find(
      (a) => a.key === 'evaluation',
    )!;
    const v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'evaluation' });
    const va = await v;
    expect(va.assessment!.kind).toBe('evaluation');
    const n = await answerAll(ann, va, def, () => 'right');
    const id = msgId();
    ann.send({ t: 'submit', id, assessmentId: va.assessment!.id });
    expect((await ann.next((m) => m.id === id)).t).toBe('ack');
    const cv = await consoleView(con, (x) => x.session?.assessment?.submitted === 1);
    expect(cv.session!.assessment!.graded).toBe(0);
    expect(cv.session!.assessment!.rows.every((r) => r.scorePercent === null)).toBe(true);
    await con.cmd({ type: 'closeAssessment' });
    await con.cmd({ type: 'endSession' });
    const sid = app.classroom.engine.session!.id;
    const wb = XLSX.read(
      Buffer.from(
        await (
          await fetch(`${app.consoleBase}/api/sessions/${sid}/export.xlsx?token=${app.token}`)
        ).arrayBuffer(),
      ),
    );
    const evaluation = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Evaluation);
    expect(evaluation).toHaveLength(n);
    expect(new Set(evaluation.map((r) => r.Name))).toEqual(new Set(['Ann Lee']));
    const scores = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Scores);
    expect(scores.map((r) => [r.Name, r['Evaluation submitted'], r['Score %'] ?? ''])).toEqual([
      ['Ann Lee', 'Yes', ''],
      ['Bob Ray', 'No', ''],
    ]);
    await Promise.all([ann.close(), bob.close(), con.close()]);
  });

  it('a class day is one session: it moves through the modules, keeps everyone joined, and resumes in the module it was in', async () => {
    const app = await start();
    const { con, room } = await startSession(app, '01-understanding.md');
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: '00123' });
    const pre = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'pretest')!;
    const post = app.classroom.engine.session!.deck.assessments!.find((a) => a.key === 'posttest')!;
    let v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'pretest' });
    await answerAll(ann, await v, pre, (i) => (i % 2 ? 'right' : 'wrong'));
    // Not while the pre-test is open.
    expect((await con.cmd({ type: 'switchModule', file: '05-patrol.md' })).ok).toBe(false);
    await con.cmd({ type: 'closeAssessment' });
    await con.cmd({ type: 'dismissAssessment' });

    const moved = ann.nextNew(
      (m) => m.t === 'view' && (m as unknown as TraineeView).title === 'Patrol',
    );
    expect((await con.cmd({ type: 'switchModule', file: '05-patrol.md' })).ok).toBe(true);
    await moved;
    const cv = await consoleView(con, (x) => x.session?.moduleFile === '05-patrol.md');
    expect(cv.session).toMatchObject({ slideIndex: 0, title: 'Patrol', join: { roomCode: room } });
    expect(cv.session!.modules.map((m) => m.file)).toContain('01-understanding.md');
    expect(cv.session!.trainees.map((t) => t.name)).toEqual(['Ann Lee']);
    // Another course's deck is not a module of this one.
    expect((await con.cmd({ type: 'switchModule', file: '01-welcome.md' })).ok).toBe(false);

    v = viewWithAssessment(ann);
    await con.cmd({ type: 'openAssessment', key: 'posttest' });
    await answerAll(ann, await v, post, () => 'right');
    await con.cmd({ type: 'closeAssessment' });
    expect((await con.cmd({ type: 'showGain', show: true })).ok).toBe(true);
    const gain = (await consoleView(con, (x) => x.session?.showGain === true)).session!.gain!;
    expect(gain.matched).toBe(1);
    expect(gain.postMean).toBe(100);
    expect(gain.gain!).toBeGreaterThan(0);
    await Promise.all([ann.close(), con.close()]);

    // Stopped mid-class: it resumes in Patrol, with the same trainee.
    const dataDir = app.dataDir;
    const sid = app.classroom.engine.session!.id;
    await app.stop();
    apps = [];
    const again = await start(dataDir);
    expect(again.classroom.engine.session).toMatchObject({ id: sid, slideIndex: 0 });
    expect(again.classroom.engine.session!.deck.file).toBe('05-patrol.md');
    const con2 = await openConsole(again.consoleBase, again.token);
    await con2.cmd({ type: 'endSession' });
    const wb = XLSX.read(
      Buffer.from(
        await (
          await fetch(`${again.consoleBase}/api/sessions/${sid}/export.xlsx?token=${again.token}`)
        ).arrayBuffer(),
      ),
    );
    const summary = Object.fromEntries(
      XLSX.utils
        .sheet_to_json<[string, unknown]>(wb.Sheets.Summary, { header: 1 })
        .map((x) => [x[0], x[1]]),
    );
    expect(summary['Modules presented']).toBe('Understanding human trafficking; Patrol');
    const list = (await (
      await fetch(`${again.consoleBase}/api/records/sessions?token=${again.token}`)
    ).json()) as { id: string; title: string }[];
    expect(list.find((x) => x.id === sid)?.title).toBe('Understanding human trafficking; Patrol');
    expect(summary['Score based on']).toBe('Post-test');
    await con2.close();
  });
});
