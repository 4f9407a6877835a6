/**
 * Who is in the room right now: the open sockets of each trainee. Not a record (attendance rows
 * are, and the classroom writes them when a trainee's first phone arrives or last phone leaves),
 * so it lives here and not in the engine: nothing the engine goes through can lose it.
 */
import type { WebSocket } from 'ws';

export interface TraineeConn {
  ws: WebSocket;
  /** The trainee this socket speaks for, once the records hold its join or resume. */
  traineeId: string | null;
  /** The phone's token, once welcomed: a correction or a moved phone is told who it now is. */
  token?: string;
  /** The peer's address (for the per-address socket cap and the logs). */
  address?: string;
  /** A claim on someone's officer ID this socket is waiting on. */
  claimId?: string;
}

export class Presence {
  private readonly byTrainee = new Map<string, Set<TraineeConn>>();
  /** When each trainee's last phone left; trainees not seen leaving count from `since`. */
  private readonly leftAt = new Map<string, number>();

  constructor(private since: number) {}

  connected(traineeId: string): boolean {
    return (this.byTrainee.get(traineeId)?.size ?? 0) > 0;
  }

  conns(traineeId: string): TraineeConn[] {
    return [...(this.byTrainee.get(traineeId) ?? [])];
  }

  connectedIds(): string[] {
    return [...this.byTrainee].filter(([, set]) => set.size > 0).map(([id]) => id);
  }

  /** How long the trainee has had no phone connected (0 while one is). */
  goneFor(traineeId: string, now: number): number {
    if (this.connected(traineeId)) return 0;
    return Math.max(0, now - (this.leftAt.get(traineeId) ?? this.since));
  }

  /** Counts a socket for its trainee; true when it is their first (an attendance `join`). */
  add(conn: TraineeConn, traineeId: string): boolean {
    conn.traineeId = traineeId;
    let set = this.byTrainee.get(traineeId);
    if (!set) this.byTrainee.set(traineeId, (set = new Set()));
    set.add(conn);
    return set.size === 1;
  }

  /** A socket closed; true when it was the trainee's last (an attendance `leave`). */
  remove(conn: TraineeConn, now: number): boolean {
    const id = conn.traineeId;
    if (!id) return false;
    const set = this.byTrainee.get(id);
    if (!set?.delete(conn)) return false;
    if (set.size > 0) return false;
    this.byTrainee.delete(id);
    this.leftAt.set(id, now);
    return true;
  }

  /** The phones of one trainee now speak for another (a moved phone). */
  move(from: string, to: string): void {
    const set = this.byTrainee.get(from);
    if (!set) return;
    this.byTrainee.delete(from);
    for (const c of set) this.add(c, to);
  }

  /** A new session: nobody is anyone yet. */
  reset(now: number): void {
    this.byTrainee.clear();
    this.leftAt.clear();
    this.since = now;
  }
}
