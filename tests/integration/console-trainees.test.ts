// The console's trainee list as changes (shared/console-delta.ts): a console that connects gets the
// whole list; after that, each view is preceded by only the rows that changed — a join adds one
// whole, an answer or a leave patches one field of one — and the view on the wire carries no list.
// Folded together they are, at every step, the list the server holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import WebSocket from 'ws';
import { joinTrainee, msgId, openConsole } from '../helpers/clients';
import type { ConsoleTrainees } from '../../shared/console-delta';
import type { ConsoleView } from '../../shared/protocol';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

type Raw = { t: string; [k: string]: unknown };
/** A console socket that keeps the messages exactly as sent (no folding). */
async function rawConsole(): Promise<{ raw: Raw[]; close(): void }> {
  const ws = new WebSocket(
    `${app.consoleBase.replace('http', 'ws')}/ws/instructor?role=console&token=${app.token}`,
  );
  const raw: Raw[] = [];
  ws.on('message', (d) => raw.push(JSON.parse(String(d)) as Raw));
  await new Promise((r) => ws.once('open', r));
  return { raw, close: () => ws.close() };
}
const changes = (raw: Raw[], from = 0) =>
  raw.slice(from).filter((m) => m.t === 'console-trainees') as unknown as ConsoleTrainees[];
const until = async (pred: () => boolean) => {
  for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(pred()).toBe(true);
};
const serverRows = () => app.classroom.consoleView().session?.trainees ?? [];

describe('the console trainee list as changes', () => {
  it('sends the whole list once, then only what changed; the folded list matches the server', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const room = app.classroom.engine.session!.roomCode;
    const watcher = await rawConsole();
    const ann = await joinTrainee(app.lanUrl, room, { name: 'Ann Lee', officerId: 'CT1' });
    await until(() =>
      changes(watcher.raw).some((c) => c.upsert.some((r) => r.officerId === 'CT1')),
    );
    const before = watcher.raw.length;
    const ben = await joinTrainee(app.lanUrl, room, { name: 'Ben Ode', officerId: 'CT2' });
    await until(() =>
      changes(watcher.raw, before).some((c) => c.upsert.some((r) => r.officerId === 'CT2')),
    );
    // Ben's join: his row only, not Ann's again.
    const joinChange = changes(watcher.raw, before).find((c) =>
      c.upsert.some((r) => r.officerId === 'CT2'),
    )!;
    expect(joinChange.reset).toBe(false);
    expect(joinChange.upsert.map((r) => r.officerId)).toEqual(['CT2']);
    // No console view on the wire carries the list.
    for (const v of watcher.raw.filter((m) => m.t === 'console'))
      expect((v as unknown as ConsoleView).session).not.toHaveProperty('trainees');

    const annId = changes(watcher.raw)
      .flatMap((c) => c.upsert)
      .find((r) => r.officerId === 'CT1')!.id;
    const benId = joinChange.upsert[0].id;
    // Ann answers: her row changes (answered), nobody else's.
    for (
      let i = 0;
      i < 10 &&
      !app.classroom.engine.session!.deck.slides[app.classroom.engine.session!.slideIndex].question;
      i++
    )
      await con.cmd({ type: 'next' });
    await con.cmd({ type: 'openQuestion' });
    const runId = app.classroom.engine.run!.runId;
    const opened = watcher.raw.length;
    const id = msgId();
    ann.send({ t: 'answer', id, runId, value: 'Days' });
    await ann.next((m) => m.t === 'ack' && m.id === id);
    await until(() =>
      changes(watcher.raw, opened).some((c) =>
        c.patch.some((p) => p.id === annId && p.answered === true),
      ),
    );
    // Only what changed: Ann's answered mark, not her row again, and nothing of Ben's.
    const answeredChange = changes(watcher.raw, opened).find((c) =>
      c.patch.some((p) => p.id === annId),
    )!;
    expect(answeredChange.upsert).toEqual([]);
    expect(answeredChange.patch).toEqual([{ id: annId, answered: true }]);
    expect(changes(watcher.raw, opened).flatMap((c) => c.patch.map((p) => p.id))).not.toContain(
      benId,
    );

    // Ben leaves: his row turns disconnected.
    const leaving = watcher.raw.length;
    await ben.close();
    await until(() =>
      changes(watcher.raw, leaving).some((c) =>
        c.patch.some((p) => p.id === benId && p.connected === false),
      ),
    );

    // The folding console (the page's way) holds what the server holds, in the order of joining.
    const last = await con.next<{ t: 'console'; session: ConsoleView['session'] }>(
      (m) =>
        m.t === 'console' &&
        (m as unknown as ConsoleView).session?.trainees.some(
          (r) => r.officerId === 'CT2' && !r.connected,
        ) === true,
    );
    expect(last.session!.trainees).toEqual(serverRows());
    expect(last.session!.trainees.map((r) => r.officerId)).toEqual(['CT1', 'CT2']);

    // A console that connects now gets the whole list first, then the view.
    const late = await rawConsole();
    await until(() => late.raw.some((m) => m.t === 'console'));
    const first = late.raw[0] as unknown as ConsoleTrainees;
    expect(first.t).toBe('console-trainees');
    expect(first.reset).toBe(true);
    expect(first.upsert).toEqual(serverRows());
    expect(late.raw[1].t).toBe('console');

    // A new session starts over: the next change is a reset (of an empty list).
    const restart = watcher.raw.length;
    await con.cmd({ type: 'endSession' });
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    await until(() =>
      changes(watcher.raw, restart).some(
        (c) => c.reset && c.sessionId === app.classroom.engine.session!.id,
      ),
    );
    expect(
      changes(watcher.raw, restart).find(
        (c) => c.reset && c.sessionId === app.classroom.engine.session!.id,
      )!.upsert,
    ).toEqual([]);
    watcher.close();
    late.close();
    await ann.close();
    await con.close();
  });
});
