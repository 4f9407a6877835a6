/**
 * The optional game layer with real sockets and real SQLite: off by default and silent; on, it awards
 * speed points at the reveal, shows nicknames only, and never touches the record.
 */
import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { Client, joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { ConsoleView, GameMode, ProjectorView, TraineeGame } from '../../shared/protocol';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

const CLASS = [
  { name: 'Ana Ortiz', officerId: '00417', nickname: 'Night Owl' },
  { name: 'Ben Cole', officerId: 'TX-2231', nickname: 'Blue Jay' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Con = Awaited<ReturnType<typeof openConsole>>;
/** A protocol type as the test client holds it. */
type M<T> = T & { [k: string]: unknown };

async function ok(con: Con, cmd: Parameters<Con['cmd']>[0]) {
  const r = await con.cmd(cmd);
  expect(r, JSON.stringify(cmd)).toMatchObject({ ok: true });
}

/** Runs the demo deck's poll and its graded true/false question; Ana answers at once, Ben a second later. */
async function runClass(a: TestApp, mode: GameMode) {
  const con = await openConsole(a.consoleBase, a.token);
  const proj = await Client.open(
    `${a.consoleBase.replace('http', 'ws')}/ws/instructor?role=projector&token=${a.token}`,
  );
  await ok(con, { type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
  const session = a.classroom.engine.session!;
  if (mode !== 'off') await ok(con, { type: 'gameMode', mode });
  const phones: Awaited<ReturnType<typeof joinTrainee>>[] = [];
  for (const t of CLASS) {
    const p = await joinTrainee(a.lanUrl, session.roomCode, t);
    if (mode !== 'off') {
      const id = msgId();
      p.send({ t: 'nickname', id, nickname: t.nickname });
      expect(await p.next((m) => m.id === id)).toMatchObject({ t: 'game', nickname: t.nickname });
    }
    phones.push(p);
  }
  const slide = (qid: string) => session.deck.slides.findIndex((s) => s.question?.id === qid);
  const ask = async (qid: string, values: unknown[], gapMs: number) => {
    await ok(con, { type: 'goto', index: slide(qid) });
    await ok(con, { type: 'openQuestion' });
    const runId = a.classroom.engine.run!.runId;
    for (const [i, p] of phones.entries()) {
      if (i) await sleep(gapMs);
      const id = msgId();
      p.send({ t: 'answer', id, runId, value: values[i] });
      await p.next((m) => m.t === 'ack' && m.id === id);
    }
    await ok(con, { type: 'closeQuestion' });
    await ok(con, { type: 'showResults' });
    return runId;
  };
  // A poll: no correct answer, so no points.
  await ask('welcome-shift', ['Nights', 'Days'], 0);
  // The graded question: both right, Ana a second and a half sooner.
  const runId = await ask('welcome-hotline', [true, true], 1500);
  return { con, proj, phones, runId, sessionId: session.id };
}

async function workbook(a: TestApp, sessionId: string) {
  const res = await fetch(
    `${a.consoleBase}/api/sessions/${sessionId}/export.xlsx?token=${a.token}`,
  );
  expect(res.status).toBe(200);
  return XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });
}
const rows = (wb: XLSX.WorkBook, sheet: string) =>
  XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[sheet]);
/**
 * The Scores sheet without what differs between two sessions by construction: attendance (minutes
 * present depend on when each phone joined) and what follows from it, and the certificate number.
 */
const scores = (wb: XLSX.WorkBook) =>
  rows(wb, 'Scores').map(
    ({
      'Certificate number': _c,
      'Present %': _p,
      'Credit earned': _e,
      'Hours awarded': _h,
      ...r
    }) => r,
  );
const lastView = <T>(c: Client, t: string) => c.messages.filter((m) => m.t === t).at(-1) as T;

describe('the game layer', () => {
  it('off (the default): nothing game-related is sent, and the records are the same as with the game on', async () => {
    app = await startTestApp();
    const off = await runClass(app, 'off');
    await sleep(300);
    for (const p of off.phones) {
      expect(p.messages.some((m) => m.t === 'game' || 'game' in m)).toBe(false);
    }
    expect(
      off.proj.messages
        .filter((m) => m.t === 'projector')
        .every((m) => (m as unknown as ProjectorView).leaderboard === null),
    ).toBe(true);
    const cv = lastView<ConsoleView>(off.con, 'console');
    expect(cv.session!.game).toEqual({ mode: 'off', show: false, questions: 0, standings: [] });
    // The leaderboard cannot be shown while the game is off.
    expect(await off.con.cmd({ type: 'showLeaderboard', show: true })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/turn the game on/),
    });
    await ok(off.con, { type: 'endSession' });
    const wbOff = await workbook(app, off.sessionId);

    // The same class with the game on.
    const on = await runClass(app, 'leaderboard');
    const [ana, ben] = await Promise.all(
      on.phones.map((p) =>
        p.next<M<TraineeGame>>(
          (m) => m.t === 'game' && (m as unknown as TraineeGame).last?.runId === on.runId,
        ),
      ),
    );
    expect(ana.points).toBeGreaterThan(ben.points);
    expect(ana.points).toBeLessThanOrEqual(1000);
    expect(ben.points).toBeGreaterThanOrEqual(500);
    expect([ana.rank, ben.rank, ana.of]).toEqual([1, 2, 2]);
    expect(ana).toMatchObject({
      mode: 'leaderboard',
      nickname: 'Night Owl',
      streak: 1,
      last: { runId: on.runId, points: ana.points },
    });
    // One phone's message is about that phone only.
    expect(JSON.stringify(ana)).not.toContain('Blue Jay');
    // The broadcast view says the game is on, and nothing more.
    const view = lastView<{ game?: string }>(on.phones[0], 'view');
    expect(view.game).toBe('leaderboard');

    // The projector shows nicknames and points, never a name or an officer ID.
    await ok(on.con, { type: 'showLeaderboard', show: true });
    const pv = await on.proj.next<M<ProjectorView>>(
      (m) => m.t === 'projector' && !!(m as unknown as ProjectorView).leaderboard,
    );
    expect(pv.leaderboard).toEqual([
      { rank: 1, nickname: 'Night Owl', points: ana.points },
      { rank: 2, nickname: 'Blue Jay', points: ben.points },
    ]);
    const projected = JSON.stringify(pv);
    for (const t of CLASS) {
      expect(projected).not.toContain(t.name);
      expect(projected).not.toContain(t.officerId);
    }
    // The console has both, for the instructor.
    const cg = (
      await on.con.next<M<ConsoleView>>(
        (m) => m.t === 'console' && !!(m as unknown as ConsoleView).session?.game.show,
      )
    ).session!.game;
    expect(cg.standings.map((r) => [r.name, r.nickname, r.points])).toEqual([
      ['Ana Ortiz', 'Night Owl', ana.points],
      ['Ben Cole', 'Blue Jay', ben.points],
    ]);
    expect(cg.questions).toBe(1);
    // Moving on takes the leaderboard off the projector.
    const n = on.proj.messages.length;
    await ok(on.con, { type: 'next' });
    const after = await on.proj.next<M<ProjectorView>>((m) => m.t === 'projector', 5000, n);
    expect(after.leaderboard).toBeNull();

    await ok(on.con, { type: 'endSession' });
    const wbOn = await workbook(app, on.sessionId);
    // The record is correctness only: the same Scores as the class with the game off.
    expect(scores(wbOn)).toEqual(scores(wbOff));
    expect(scores(wbOn).map((r) => [r.Name, r.Correct, r['Score %']])).toEqual([
      ['Ana Ortiz', 1, 100],
      ['Ben Cole', 1, 100],
    ]);
    // No nickname and no game points anywhere in the workbook.
    const everything = JSON.stringify(
      wbOn.SheetNames.map((n) => XLSX.utils.sheet_to_json(wbOn.Sheets[n], { header: 1 })),
    );
    for (const t of CLASS) expect(everything).not.toContain(t.nickname);
    expect(everything).not.toContain(String(ana.points));
    expect(rows(wbOn, 'Responses').length).toBe(rows(wbOff, 'Responses').length);
    await Promise.all(
      [...off.phones, ...on.phones, off.con, on.con, off.proj, on.proj].map((c) => c.close()),
    );
  });

  it('private mode: each phone gets its own points and rank, and there is no leaderboard', async () => {
    app = await startTestApp();
    const c = await runClass(app, 'private');
    const [ana, ben] = await Promise.all(
      c.phones.map((p) =>
        p.next<M<TraineeGame>>(
          (m) => m.t === 'game' && (m as unknown as TraineeGame).last?.runId === c.runId,
        ),
      ),
    );
    expect(ana).toMatchObject({ mode: 'private', rank: 1, of: 2 });
    expect(ben).toMatchObject({ mode: 'private', rank: 2, of: 2 });
    expect(await c.con.cmd({ type: 'showLeaderboard', show: true })).toMatchObject({ ok: false });
    expect(lastView<ProjectorView>(c.proj, 'projector').leaderboard).toBeNull();
    await Promise.all([...c.phones, c.con, c.proj].map((x) => x.close()));
  });

  it('a bad nickname gets a clear error and changes nothing; the instructor can reset one', async () => {
    app = await startTestApp();
    const c = await runClass(app, 'leaderboard');
    const [ana, ben] = c.phones;
    const standings = () =>
      app!.classroom.consoleView().session!.game.standings.map((r) => [r.name, r.nickname]);
    const before = standings();
    const cases: [object, RegExp][] = [
      [{ t: 'nickname', id: msgId(), nickname: 'x'.repeat(30) }, /at most 24/],
      [{ t: 'nickname', id: msgId(), nickname: 'Night Owl' }, /taken/],
      [{ t: 'nickname', id: msgId(), nickname: 'Unit 1' }, /automatically/],
      [{ t: 'nickname', id: msgId(), nickname: 'tx-2231' }, /not your name or officer ID/],
      [{ t: 'nickname', id: msgId(), nickname: 'fuck' }, /projector/],
      [{ t: 'nickname', id: msgId(), nickname: 7 }, /nickname/],
    ];
    for (const [m, pattern] of cases) {
      const n = ben.messages.length;
      ben.send(m);
      const err = await ben.next<{ t: 'error'; message: string }>((x) => x.t === 'error', 5000, n);
      expect(err.message).toMatch(pattern);
    }
    expect(standings()).toEqual(before);
    // Control characters are stripped, not refused.
    const id = msgId();
    ben.send({ t: 'nickname', id, nickname: 'Blue\u0000 \u202eHeron' });
    expect(await ben.next((m) => m.id === id)).toMatchObject({ t: 'game', nickname: 'Blue Heron' });
    // The instructor puts Ana back on her automatic nickname; her phone is told.
    const anaId = [...app.classroom.engine.trainees.values()].find(
      (t) => t.officerId === '00417',
    )!.id;
    const n = ana.messages.length;
    await ok(c.con, { type: 'resetNickname', traineeId: anaId });
    expect(await ana.next((m) => m.t === 'game', 5000, n)).toMatchObject({ nickname: 'Unit 1' });
    await Promise.all([...c.phones, c.con, c.proj].map((x) => x.close()));
  });

  it('after an app restart the totals are computed again from the stored answers', async () => {
    app = await startTestApp();
    const c = await runClass(app, 'leaderboard');
    await Promise.all(
      c.phones.map((p) =>
        p.next((m) => m.t === 'game' && (m as unknown as TraineeGame).last?.runId === c.runId),
      ),
    );
    const points = () =>
      app!.classroom.consoleView().session!.game.standings.map((r) => [r.name, r.points]);
    const before = points();
    expect(before[0][1]).toBeGreaterThan(before[1][1] as number);
    await Promise.all([...c.phones, c.con, c.proj].map((x) => x.close()));
    const dataDir = app.dataDir;
    await app.stop();
    app = await startTestApp({ dataDir });
    // The mode is presentation state: the class resumes with the game off until the instructor turns it on.
    expect(app.classroom.consoleView().session!.game.mode).toBe('off');
    const con = await openConsole(app.consoleBase, app.token);
    await ok(con, { type: 'gameMode', mode: 'leaderboard' });
    expect(points()).toEqual(before);
    // A phone resuming gets its points back with its welcome.
    const phone = await Client.open(`${app.lanUrl.replace('http', 'ws')}/ws/trainee`);
    phone.send({ t: 'resume', token: c.phones[0].token });
    expect(await phone.next((m) => m.t === 'game')).toMatchObject({
      points: before[0][1],
      rank: 1,
    });
    await Promise.all([con.close(), phone.close()]);
  });
});
