/**
 * A class day is one session over the real server: it moves through the modules, keeps everyone
 * joined, and resumes in the module it was in.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { joinTrainee, openConsole } from '../helpers/clients';
import type { TraineeView } from '../../shared/protocol';
import {
  answerAll,
  consoleView,
  startSession,
  useApps,
  viewWithAssessment,
} from '../helpers/assessments';

const apps = useApps();
const start = apps.start;

describe('a class day', () => {
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
    apps.forget();
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
