/**
 * The timer of a timed question or test: when its time is up the engine closes it, through the
 * commit queue like any other change, and the timer is armed again for whatever runs next.
 */
import type { SessionEngine } from '../session/engine';
import type { CommitQueue } from './commit-queue';

export interface QuestionDeadlineDeps {
  engine: () => SessionEngine;
  queue: CommitQueue;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  broadcastTrainees(): void;
  sendViews(): void;
}

export class QuestionDeadline {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: QuestionDeadlineDeps) {}

  /** Arms the timer for the time left on what runs now (none: no timer). */
  arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const left = this.d.engine().remainingMs(this.d.now());
    if (left === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.d.queue.run(
        'all',
        () => this.d.engine().tick(this.d.now()),
        (o) => {
          if (o.traineesChanged) this.d.broadcastTrainees();
          this.d.sendViews();
          this.arm();
        },
        (_code, message) => {
          this.d.log(`closing the timed question failed: ${message}`);
          this.arm();
        },
      );
    }, left + 5);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
