/**
 * The instructor's side of the classroom: every console command gets a result. What a command does
 * is in commands.ts; here it is decided on memory that holds everything already accepted, then
 * either changes only the stage (sent at once) or takes the commit queue's one path.
 */
import type { WebSocket } from 'ws';
import type { InstructorCommand } from '../../shared/protocol';
import type { CommitQueue } from './commit-queue';
import { instructorCommitMessage } from './commit-words';
import { COMMANDS } from './commands';
import type { CommandPolicy, Step } from './commands';
import type { Room } from './room';
import type { Stage } from '../session/views/room';
import { send } from './fanout';

export interface InstructorDeskDeps {
  room: Room;
  queue: CommitQueue;
  stage: Stage;
  now: () => number;
  armDeadline(): void;
  broadcastTrainees(): void;
  sendViews(): void;
}

export function handleCommand(
  d: InstructorDeskDeps,
  ws: WebSocket,
  id: string,
  cmd: InstructorCommand,
): void {
  const now = d.now();
  const done = (ok: boolean, error?: string) =>
    send(ws, ok ? { t: 'result', id, ok } : { t: 'result', id, ok, error });
  // Decided on memory that holds everything already accepted.
  d.queue.settle('all');
  const handler = COMMANDS[cmd.type] as {
    policy?: CommandPolicy;
    run(c: InstructorCommand, r: Room, now: number): Step;
  };
  const step = handler.run(cmd, d.room, now);
  if (step.stage) {
    done(!step.error, step.error);
    // Black screen and the join code are what the room sees: no coalescing delay.
    return d.sendViews();
  }
  d.queue.run(
    'all',
    step.decide,
    (o) => {
      const p = handler.policy ?? {};
      if (p.takesDown) d.stage.overlay = null;
      if (p.uncovers) d.stage.blank = 'none';
      step.after?.();
      d.armDeadline();
      done(true);
      if (o.traineesChanged) d.broadcastTrainees();
      // Slide changes and question pushes are what the room waits for: no coalescing delay.
      d.sendViews();
    },
    (code, message) => done(false, code === 'server' ? instructorCommitMessage(message) : message),
  );
}
