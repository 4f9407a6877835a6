/**
 * Self-paced assessments over the real server: trainees take the pre-test at their own pace on
 * their phones, hand it in once, the instructor follows completion, and the open assessment
 * survives a restart.
 */
import { describe, expect, it } from 'vitest';
import { readRecords } from '../helpers/app';
import { joinTrainee, msgId } from '../helpers/clients';
import { rightAnswer, wrongAnswer } from '../helpers/answers';
import type { TraineeView } from '../../shared/protocol';
import { isGraded } from '../../shared/question';
import {
  answerAll,
  consoleView,
  startSession,
  useApps,
  viewWithAssessment,
} from '../helpers/assessments';

const apps = useApps();
const start = apps.start;

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
    apps.forget();

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
});
