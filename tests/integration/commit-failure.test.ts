// Commit, then change memory: when the records cannot take a batch (a full disk, a lock held by
// another program), memory and every screen stay as they were, the phone is told in plain words,
// the instructor sees why, and the answer goes in once the records can take it again.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, msgId } from '../helpers/clients';
import { startDemoPoll } from '../helpers/class';
import { smallDisk } from '../helpers/small-disk';
import type { ConsoleView, ProjectorView } from '../../shared/protocol';

let app: TestApp;
afterEach(async () => {
  await app.stop();
});

const plain = { hidePrompt: false, profanityFilter: false };

async function classWithQuestion(dataDir?: string) {
  app = await startTestApp({ dataDir });
  const { con, room } = await startDemoPoll(app);
  const a = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: 'F1' });
  const b = await joinTrainee(app.lanUrl, room, { name: 'Ben Lee', officerId: 'F2' });
  expect((await con.cmd({ type: 'hidePrompt', hide: true })).ok).toBe(true);
  expect((await con.cmd({ type: 'openQuestion' })).ok).toBe(true);
  const runId = app.classroom.engine.run!.runId;
  const id = msgId();
  a.send({ t: 'answer', id, runId, value: 'Days' });
  await a.next((m) => m.t === 'ack' && m.id === id);
  return { con, a, b, runId };
}

/** What the room and the instructor see, and what memory holds: none of it may move on a failed commit. */
function seen() {
  const c = app.classroom;
  const cv = c.consoleView().session!;
  return {
    answered: c.engine.results(plain)!.answered,
    phase: c.engine.session!.phase,
    trainees: cv.trainees.map((t) => [t.officerId, t.connected, t.answered]),
    hidePrompt: cv.hidePrompt,
    projector: JSON.stringify({ ...c.projectorView(), join: null, remainingMs: null }),
  };
}

describe('a commit that fails changes nothing', () => {
  it('disk full: the answer is refused in plain words, memory and screens stay, and the resend is stored once when there is room again', async () => {
    const disk = smallDisk(16);
    try {
      await diskFull(disk);
    } finally {
      await app.stop();
      disk.release();
      app = await startTestApp(); // afterEach stops this one
    }
  });

  async function diskFull(disk: ReturnType<typeof smallDisk>) {
    const { con, b, runId } = await classWithQuestion(path.join(disk.dir, 'data'));
    const before = seen();
    const storedBefore = readRecords(app.dataDir, 'SELECT COUNT(*) AS n FROM answer_log')[0].n;
    // The disk the records are on has not a byte left: SQLite reports SQLITE_FULL.
    disk.fill();
    const id = msgId();
    b.send({ t: 'answer', id, runId, value: 'Nights' });
    const err = await b.next<{ t: 'error'; code: string; message: string }>(
      (m) => m.t === 'error' && m.id === id,
    );
    expect(err.code).toBe('server');
    expect(err.message).toBe(
      "Not saved yet: the instructor's computer is out of disk space. It stays on this phone and is sent again.",
    );
    expect(err.message).not.toMatch(/SQLITE|database|disk I\/O/i);
    expect(seen()).toEqual(before);
    // The instructor sees what happened.
    const alert = (await con.next(
      (m) => m.t === 'console' && !!(m as unknown as ConsoleView).alert,
    )) as unknown as ConsoleView;
    expect(alert.alert!.message).toMatch(/^Not saved: this computer is out of disk space\./);
    // An instructor command fails the same way: the projector does not move.
    const projectorBefore = app.classroom.projectorView();
    const close = await con.cmd({ type: 'closeQuestion' });
    expect(close).toMatchObject({
      ok: false,
      error: 'Not saved: this computer is out of disk space. Nothing changed; try again.',
    });
    expect((app.classroom.projectorView() as ProjectorView).phase).toBe(projectorBefore.phase);
    expect(seen()).toEqual(before);

    // Room again: the phone sends the same answer with the same id; it is stored once.
    disk.free();
    b.send({ t: 'answer', id, runId, value: 'Nights' });
    await b.next((m) => m.t === 'ack' && m.id === id);
    expect(readRecords(app.dataDir, 'SELECT COUNT(*) AS n FROM answer_log')[0].n).toBe(
      Number(storedBefore) + 1,
    );
    expect(app.classroom.engine.results(plain)!.answered).toBe(2);
    await con.next((m) => m.t === 'console' && (m as unknown as ConsoleView).alert === null);
    await con.close();
  }

  it('busy: another program holds the write lock; the answer is refused, nothing moves, and goes in after the lock is released', async () => {
    const { b, runId } = await classWithQuestion();
    const before = seen();
    app.records.setBusyTimeout(50);
    const other = new Database(path.join(app.dataDir, 'muster.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    const id = msgId();
    b.send({ t: 'answer', id, runId, value: 'Evenings' });
    const err = await b.next<{ t: 'error'; message: string }>(
      (m) => m.t === 'error' && m.id === id,
    );
    expect(err.message).toBe(
      "Not saved yet: the instructor's computer had its records busy for a moment. It stays on this phone and is sent again.",
    );
    expect(seen()).toEqual(before);
    // A leave that cannot be written is logged; the trainee is still shown as gone (their socket is).
    other.exec('ROLLBACK');
    other.close();
    b.send({ t: 'answer', id, runId, value: 'Evenings' });
    await b.next((m) => m.t === 'ack' && m.id === id);
    expect(
      readRecords(app.dataDir, `SELECT COUNT(*) AS n FROM answer_log WHERE msg_id = ?`, id)[0].n,
    ).toBe(1);
    expect(seen().answered).toBe(2);
  });

  it('a join that cannot be stored leaves no trainee behind; the phone can join again', async () => {
    const { con } = await classWithQuestion();
    const room = app.classroom.engine.session!.roomCode;
    const trainees = app.classroom.engine.trainees.size;
    app.records.setBusyTimeout(50);
    const other = new Database(path.join(app.dataDir, 'muster.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    await expect(
      joinTrainee(app.lanUrl, room, { name: 'Cy Busy', officerId: 'F3' }),
    ).rejects.toThrow(/Could not join yet: the instructor's computer had its records busy/);
    expect(app.classroom.engine.trainees.size).toBe(trainees);
    expect(app.classroom.engine.officerHolder('F3')).toBeUndefined();
    other.exec('ROLLBACK');
    other.close();
    const c = await joinTrainee(app.lanUrl, room, { name: 'Cy Busy', officerId: 'F3' });
    expect(c.token).toBeTruthy();
    expect(app.classroom.engine.trainees.size).toBe(trainees + 1);
    await con.close();
  });
});
