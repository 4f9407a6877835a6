/**
 * The class roster: imported from a file (replacing the one that applies now, audit-logged), for
 * the running session or, with none running, for the next one, which takes it over when it starts.
 * The console's summary of it is cached until an import or a new session.
 */
import type { EngineOp, Outcome } from '../session/engine';
import type { Records } from '../records/db';
import type { RosterRow, RosterSummary } from '../../shared/roster';
import type { CommitQueue } from './commit-queue';
import { instructorCommitMessage } from './commit-words';

export interface ClassRosterDeps {
  records: Records;
  queue: CommitQueue;
  /** The session an import applies to: the running one, or none (the next session's roster). */
  sessionId: () => string | null;
  now: () => number;
  sendViews(): void;
}

export class ClassRoster {
  private cache: { sessionId: string | null; summary: RosterSummary | null } | null = null;

  constructor(private readonly d: ClassRosterDeps) {}

  /** Stores a roster (replacing the one that applies now), audit-logged; resolves once committed. */
  import(input: {
    name: string;
    rows: readonly RosterRow[];
    reason: string;
  }): Promise<RosterSummary> {
    this.d.queue.settle('all');
    const sessionId = this.d.sessionId();
    const entries = input.rows.map((r) => ({
      officerId: r.officerId,
      name: r.name,
      agency: r.agency,
      email: r.email,
      firstName: r.firstName,
      lastName: r.lastName,
    }));
    return new Promise((resolve, reject) => {
      this.d.queue.run(
        'all',
        (): Outcome => ({
          ok: true,
          traineesChanged: false,
          ops: [
            {
              op: 'roster',
              sessionId,
              name: input.name,
              entries,
              reason: input.reason,
              actor: 'instructor',
              at: this.d.now(),
            },
          ],
        }),
        () => {
          this.cache = null;
          this.d.sendViews();
          resolve(
            this.d.records.rosterSummary(sessionId) ?? {
              name: input.name,
              entries: entries.length,
              importedAt: this.d.now(),
            },
          );
        },
        (code, message) =>
          reject(new Error(code === 'server' ? instructorCommitMessage(message) : message)),
      );
    });
  }

  summary(): RosterSummary | null {
    const sessionId = this.d.sessionId();
    if (this.cache?.sessionId !== sessionId)
      this.cache = { sessionId, summary: this.d.records.rosterSummary(sessionId) };
    return this.cache.summary;
  }

  /** A new session: its roster is looked up afresh. */
  forget(): void {
    this.cache = null;
  }
}

/** A new session takes over the roster imported while no session was running. */
export function withRoster(o: Outcome, records: Records): Outcome {
  const start = o.ok
    ? o.ops.find((x): x is Extract<EngineOp, { op: 'session' }> => x.op === 'session')
    : undefined;
  if (!o.ok || !start) return o;
  const entries = records.rosterEntries(null);
  if (!entries.length) return o;
  return {
    ...o,
    ops: [...o.ops, { op: 'adoptRoster', sessionId: start.id, entries, at: start.at }],
  };
}
