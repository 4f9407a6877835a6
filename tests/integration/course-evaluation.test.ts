/**
 * The course evaluation over the real server: taken the same way as an assessment, never scored,
 * and it fills the Evaluation sheet.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { joinTrainee, msgId } from '../helpers/clients';
import {
  answerAll,
  consoleView,
  startSession,
  useApps,
  viewWithAssessment,
} from '../helpers/assessments';

const { start } = useApps();

describe('the course evaluation', () => {
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
});
