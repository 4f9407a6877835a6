/**
 * Self-paced assessments over the real server (tests/integration/assessments*.test.ts and the
 * others that take them): apps started per test and stopped after it, a session of the course's
 * deck, and a phone that answers a whole assessment.
 */
import { afterEach, expect } from 'vitest';
import { startTestApp } from './app';
import type { TestApp } from './app';
import { msgId, openConsole } from './clients';
import type { Client } from './clients';
import { rightAnswer, wrongAnswer } from './answers';
import type { AssessmentDef } from '../../shared/course';
import type { ConsoleView, TraineeView } from '../../shared/protocol';

/**
 * `start(dataDir?)` starts an app (in `dataDir`, or a fresh one); each is stopped after the test
 * unless `forget()` was called after the test stopped them itself.
 */
export function useApps(): {
  start(dataDir?: string): Promise<TestApp>;
  forget(): void;
} {
  let apps: TestApp[] = [];
  afterEach(async () => {
    for (const a of apps) await a.stop();
    apps = [];
  });
  return {
    async start(dataDir) {
      const app = await startTestApp(dataDir ? { dataDir } : {});
      apps.push(app);
      return app;
    },
    forget: () => {
      apps = [];
    },
  };
}

export type Console = Awaited<ReturnType<typeof openConsole>>;

export async function startSession(
  app: TestApp,
  file: string,
): Promise<{ con: Console; room: string }> {
  const con = await openConsole(app.consoleBase, app.token);
  const r = await con.cmd({ type: 'startSession', deck: { course: 'human-trafficking', file } });
  expect(r.ok).toBe(true);
  return { con, room: app.classroom.engine.session!.roomCode };
}

export const viewWithAssessment = (c: Client) =>
  c.nextNew(
    (m) => m.t === 'view' && (m as unknown as TraineeView).assessment !== null,
  ) as unknown as Promise<TraineeView>;

/** Answers every question of the assessment on the phone, waiting for each ack. */
export async function answerAll(
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

export async function consoleView(
  con: Console,
  pred: (v: ConsoleView) => boolean,
): Promise<ConsoleView> {
  // Any view so far that matches: the one sent with a command's result can arrive in the same read.
  return con.next(
    (m) => m.t === 'console' && pred(m as unknown as ConsoleView),
  ) as unknown as Promise<ConsoleView>;
}
