/**
 * What the instructor's commands (commands.ts) may use of the classroom: a narrow, typed surface
 * instead of the classroom's fields.
 */
import type { Outcome, SessionEngine } from '../session/engine';
import type { Records } from '../records/db';
import type { Deck } from '../../shared/course';
import type { ProjectorTheme } from '../../shared/protocol';
import type { GameRoom } from './game-room';
import type { Presence } from './presence';
import type { Stage } from '../session/views/room';
import type { Step } from './commands';

export interface Room {
  readonly engine: SessionEngine;
  readonly records: Records;
  readonly stage: Stage;
  readonly game: GameRoom;
  readonly presence: Presence;
  decks(): readonly Deck[];
  /** A new session takes over the roster imported while no session was running. */
  withRoster(o: Outcome): Outcome;
  /** Ending the class: a `leave` for every trainee still connected. */
  withLeaves(o: Outcome, now: number): Outcome;
  /** Moving phones: attendance follows the open sockets from one trainee to the other. */
  withMoveAttendance(o: Outcome, from: string, to: string, now: number): Outcome;
  sessionStarted(now: number): void;
  sessionEnded(): void;
  /** Sends a fresh welcome (same token, current identity) to every phone of a trainee. */
  rewelcome(traineeId: string): void;
  settleClaim(claimId: string, allow: boolean, reason: string, now: number): Step;
  broadcastTrainees(): void;
  saveProfanityFilter(on: boolean): void;
  saveTheme(theme: ProjectorTheme): void;
  /** Null when done, or why the address cannot be used. */
  setJoinHost(host: string): string | null;
}
