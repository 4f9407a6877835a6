import { expect } from 'vitest';
import type { TestApp } from './app';
import { openConsole } from './clients';

/** Starts the demo deck on a running app and moves to its first poll: the console socket and the room code. */
export async function startDemoPoll(app: TestApp) {
  const con = await openConsole(app.consoleBase, app.token);
  expect(
    (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
  ).toBe(true);
  const room = app.classroom.engine.session!.roomCode;
  const pollIndex = app.classroom.engine.session!.deck.slides.findIndex(
    (s) => s.question?.type === 'single',
  );
  expect((await con.cmd({ type: 'goto', index: pollIndex })).ok).toBe(true);
  return { con, room };
}
