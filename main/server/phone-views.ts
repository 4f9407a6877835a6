/**
 * What every phone of the class sees: one view, serialised once and sent as the same bytes to
 * every joined phone. Board votes come in bursts, so their updates are coalesced to at most one
 * every {@link BOARD_INTERVAL_MS}.
 */
import type { WebSocket } from 'ws';
import type { SessionEngine } from '../session/engine';
import type { Stage } from '../session/views/room';
import type { TraineeView } from '../../shared/protocol';
import type { GameRoom } from './game-room';
import type { TraineeConn } from './presence';
import { broadcast } from './fanout';

/** Board updates (votes) go to the phones at most this often. */
export const BOARD_INTERVAL_MS = 250;

export interface PhoneViewsDeps {
  engine: () => SessionEngine;
  game: GameRoom;
  stage: Stage;
  /** Every open trainee socket, joined or not. */
  trainees: Set<TraineeConn>;
  now: () => number;
}

export class PhoneViews {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: PhoneViewsDeps) {}

  /** The board changed (a vote): the phones get it with the next coalesced update. */
  mark(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.broadcast();
    }, BOARD_INTERVAL_MS);
  }

  /** One serialisation, the same bytes to every phone of the class. */
  broadcast(): void {
    const sockets: WebSocket[] = [];
    for (const c of this.d.trainees) if (c.traineeId) sockets.push(c.ws);
    broadcast(sockets, this.view());
  }

  /** The view every phone gets, with the game's mode while it is on: still one Buffer for all phones. */
  view(): TraineeView {
    const v = this.d.engine().traineeView(this.d.now(), this.d.stage);
    const mode = this.d.game.mode();
    return mode ? { ...v, game: mode } : v;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
