/**
 * The shapes the phone's reducer (./state.ts) works on: its state, what the screens read of it,
 * the events that change it and the effects it asks for; and the outbox as the screens show it,
 * derived after every step.
 */
import type {
  ServerToTrainee,
  TraineeGame,
  TraineeView,
  TraineeWelcome,
} from '../../shared/protocol';
import type { AnswerValue } from '../../shared/question';
import type { Outbox, OutboxItem } from './outbox';
import type { Cache } from './storage';

export interface PendingAnswer {
  id: string;
  runId: string;
  value: AnswerValue;
}

export interface JoinDetails {
  name: string;
  officerId: string;
  agency: string;
  roomCode: string;
  /**
   * The token this phone made for this join: a join sent again after a lost connection carries it,
   * so the server knows the phone it already stored rather than seeing a second claim on the ID.
   */
  token?: string;
}

/** What the screens read. */
export interface ConnState {
  /** The socket is open and the server knows this phone (its welcome arrived). */
  online: boolean;
  joined: TraineeWelcome['trainee'] | null;
  view: TraineeView | null;
  /** The stored answer for the current question, as the server confirmed it. */
  confirmed: { runId: string; value: AnswerValue } | null;
  /** Answers not yet acknowledged by the server, oldest first. */
  pending: PendingAnswer[];
  error: string | null;
  /** Something the trainee should know about an answer (e.g. it arrived after the question closed). */
  notice: string | null;
  needsJoin: boolean;
  /** A join was asked for and is waiting for the server (which may be out of reach). */
  joining: boolean;
  /** Q&A questions not yet confirmed stored; they stay on the phone and go again after a reconnect. */
  asking: { id: string; text: string; anonymous: boolean }[];
  /** How many of this phone's questions the server has stored. */
  asked: number;
  /** Board questions this phone has voted for (one vote each; the server enforces it too). */
  voted: string[];
  /** This trainee's stored answers to the assessment in the view (runId → value), as the server confirmed them. */
  mine: Cache['mine'];
  /** A hand-in waiting for the server's ack. */
  submitting: { id: string; assessmentId: string } | null;
  /** Assessments this trainee has handed in, as the server confirmed it. */
  submitted: string[];
  /** The optional game, while it is on: this phone's own points and rank (nobody else's). */
  game: TraineeGame | null;
  /** A nickname sent and not yet confirmed, and the server's reason when it refused one. */
  nickname: { saving: boolean; error: string | null };
  /** The officer ID this phone joined with is already in the class: the instructor is asked to confirm. */
  claim: string | null;
  /** Something about this trainee's identity the server said (another phone asked to join as them). */
  identityNotice: string | null;
}

export interface State {
  ui: ConnState;
  token: string | null;
  outbox: Outbox;
  /** The nickname chosen for the leaderboard, sent after each welcome while the game is on. */
  nickname: string | null;
  /** The server has welcomed this phone on the current socket. */
  welcomed: boolean;
  /** The nickname has gone out on the current socket (it is sent once per socket while the game is on). */
  sentNickname: boolean;
  /** Numbers the nickname messages this reducer makes. */
  seq: number;
  joinRequest: JoinDetails | null;
}

export type Event =
  | { on: 'open' }
  | { on: 'down' }
  | { on: 'server'; m: ServerToTrainee | { t: 'pong' } }
  | { on: 'join'; details: JoinDetails }
  | { on: 'give'; item: OutboxItem }
  | { on: 'nickname'; nickname: string; id: string }
  | { on: 'dismissNotice' }
  | { on: 'outboxElsewhere'; outbox: Outbox };

export type Effect =
  /** Send on the socket (when open); an outbox item's id is given so its resend can be timed. */
  | { do: 'send'; m: object; id?: string }
  /** Keep the record (token, cache, outbox, votes, nickname, a join not yet welcomed). */
  | { do: 'persist' }
  /** Send this outbox item again a little later (the server could not take it just now). */
  | { do: 'retry'; id: string }
  /** Give up this socket and connect again after a while. */
  | { do: 'reconnect' }
  /** Make sure a socket is open or opening (a join asked for with none). */
  | { do: 'connect' }
  /** The join or resume was answered (welcome or a wait for the instructor): stop the handshake clock. */
  | { do: 'settled' };

/** The state after a step, and the effects to carry out. */
export type Result = { s: State; fx: Effect[] };

/** The outbox, as the screens show it. */
export function derive(s: State): State {
  const pending: PendingAnswer[] = [];
  const asking: ConnState['asking'] = [];
  let submitting: ConnState['submitting'] = null;
  let saving = false;
  for (const x of s.outbox)
    if (x.kind === 'answer') pending.push({ id: x.id, runId: x.runId, value: x.value });
    else if (x.kind === 'ask') asking.push({ id: x.id, text: x.text, anonymous: x.anonymous });
    else if (x.kind === 'submit') submitting = { id: x.id, assessmentId: x.assessmentId };
    else if (x.kind === 'nickname') saving = true;
  return {
    ...s,
    ui: { ...s.ui, pending, asking, submitting, nickname: { ...s.ui.nickname, saving } },
  };
}

/** A step's end: the state (its outbox derived for the screens) and its effects. */
export const done = (s: State, fx: Effect[] = []): Result => ({ s: derive(s), fx });
