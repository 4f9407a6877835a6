/**
 * The phone's state, as a pure reducer: an event (a message from the server, the socket coming up
 * or going down, something the trainee did) and the state before give the state after and the
 * effects to carry out (send a message, keep the record, try again later). No timers, no socket,
 * no storage here — connection.ts does those — so every rule below is tested in milliseconds.
 */
import type {
  ServerToTrainee,
  TraineeGame,
  TraineeView,
  TraineeWelcome,
} from '../../shared/protocol';
import type { AnswerValue } from '../../shared/question';
import type { Outbox, OutboxItem } from './outbox';
import { enqueue, refusedForGood, remove, wire } from './outbox';
import type { Cache, Stored } from './storage';
import { emptyCache } from './storage';
import { matchesKey } from '../../shared/answer-key';
import { shuffled } from '../../shared/shuffle';

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
  /** Keep the record (token, cache, outbox, votes, nickname). */
  | { do: 'persist' }
  /** Send this outbox item again a little later (the server could not take it just now). */
  | { do: 'retry'; id: string }
  /** Give up this socket and connect again after a while. */
  | { do: 'reconnect' }
  /** Make sure a socket is open or opening (a join asked for with none). */
  | { do: 'connect' }
  /** The join or resume was answered (welcome or a wait for the instructor): stop the handshake clock. */
  | { do: 'settled' };

export function initialState(stored: Stored): State {
  const c = stored.token ? stored.cache : emptyCache();
  const s: State = {
    token: stored.token,
    outbox: stored.token ? stored.outbox : [],
    nickname: stored.nickname,
    welcomed: false,
    sentNickname: false,
    seq: 0,
    joinRequest: null,
    ui: {
      online: false,
      joined: c.joined,
      view: c.view,
      confirmed: c.confirmed,
      pending: [],
      error: null,
      notice: null,
      needsJoin: !stored.token,
      joining: false,
      asking: [],
      asked: 0,
      voted: stored.voted,
      mine: c.mine,
      submitting: null,
      submitted: c.submitted,
      game: null,
      nickname: { saving: false, error: null },
      claim: null,
      identityNotice: null,
    },
  };
  return derive(s);
}

/** What the record keeps of a state. */
export function stored(s: State): Stored {
  const { joined, view, confirmed, mine, submitted } = s.ui;
  return {
    v: 2,
    token: s.token,
    cache: { joined, view, confirmed, mine, submitted },
    outbox: [...s.outbox],
    voted: s.ui.voted,
    nickname: s.nickname,
  };
}

/** The outbox, as the screens show it. */
function derive(s: State): State {
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

const live = (s: State) => s.welcomed;

/**
 * The chosen nickname goes out once per socket while the game is on (with nothing game-related
 * sent while it is off); the server answers with this phone's standing, or why it refused.
 */
function sendNickname(s: State, fx: Effect[]): Result {
  if (s.sentNickname || s.nickname === null || !live(s) || !s.ui.view?.game) return done(s, fx);
  let outbox = s.outbox;
  let seq = s.seq;
  let item = outbox.find((x) => x.kind === 'nickname');
  if (!item) {
    item = { kind: 'nickname', id: `nickname-${++seq}`, nickname: s.nickname };
    outbox = enqueue(outbox, item);
  }
  return done({ ...s, outbox, seq, sentNickname: true }, [...fx, sendItem(item)]);
}
/** Whether an item may go out now: a nickname only while the game is on. */
const sendable = (s: State, x: OutboxItem) =>
  live(s) && (x.kind !== 'nickname' || !!s.ui.view?.game);
const sendItem = (x: OutboxItem): Effect => ({ do: 'send', m: wire(x), id: x.id });

type Result = { s: State; fx: Effect[] };
const done = (s: State, fx: Effect[] = []): Result => ({ s: derive(s), fx });

export function reduce(s: State, e: Event): Result {
  switch (e.on) {
    case 'open':
      if (s.token) return done(s, [{ do: 'send', m: { t: 'resume', token: s.token } }]);
      if (s.joinRequest) return done(s, [{ do: 'send', m: { t: 'join', ...s.joinRequest } }]);
      return done(s);
    case 'down':
      return done({ ...s, welcomed: false, sentNickname: false, ui: { ...s.ui, online: false } });
    case 'join':
      return done({ ...s, joinRequest: e.details, ui: { ...s.ui, error: null, joining: true } }, [
        { do: 'send', m: { t: 'join', ...e.details } },
        { do: 'connect' },
      ]);
    case 'give': {
      const x = e.item;
      let next: State = { ...s, outbox: enqueue(s.outbox, x), ui: { ...s.ui, notice: null } };
      if (x.kind === 'vote') {
        if (s.ui.voted.includes(x.qaId)) return done(s);
        next = { ...next, ui: { ...next.ui, voted: [...s.ui.voted, x.qaId] } };
      }
      return done(next, [{ do: 'persist' }, ...(sendable(next, x) ? [sendItem(x)] : [])]);
    }
    case 'nickname':
      return sendNickname(
        {
          ...s,
          nickname: e.nickname,
          sentNickname: false,
          outbox: enqueue(s.outbox, { kind: 'nickname', id: e.id, nickname: e.nickname }),
        },
        [{ do: 'persist' }],
      );
    case 'dismissNotice':
      return done({ ...s, ui: { ...s.ui, identityNotice: null } });
    case 'outboxElsewhere':
      // Another tab of this phone gave answers: both send them with the same ids (counted once).
      return done({
        ...s,
        outbox: [
          ...s.outbox.filter((x) => x.kind !== 'answer'),
          ...e.outbox.filter((x) => x.kind === 'answer'),
        ],
      });
    case 'server':
      return receive(s, e.m);
  }
}

function receive(s: State, m: ServerToTrainee | { t: 'pong' }): Result {
  switch (m.t) {
    case 'pong':
      return done(s);
    case 'claim':
      return done({ ...s, ui: { ...s.ui, claim: m.message, joining: true, error: null } }, [
        { do: 'settled' },
      ]);
    case 'notice':
      return done({ ...s, ui: { ...s.ui, identityNotice: m.message } });
    case 'signed-out':
      return forget(s, m.message);
    case 'welcome': {
      let ui: ConnState = {
        ...s.ui,
        online: true,
        joined: m.trainee,
        confirmed: m.answer,
        needsJoin: false,
        joining: false,
        error: null,
        claim: null,
      };
      let outbox = s.outbox;
      if (m.assessment) {
        const a = m.assessment;
        ui = {
          ...ui,
          mine: {
            assessmentId: a.id,
            answers: Object.fromEntries(a.answers.map((x) => [x.runId, x.value])),
          },
          submitted:
            a.submitted && !ui.submitted.includes(a.id) ? [...ui.submitted, a.id] : ui.submitted,
        };
        // Handed in already (the ack was lost): nothing to send again.
        if (a.submitted)
          outbox = outbox.filter((x) => !(x.kind === 'submit' && x.assessmentId === a.id));
      }
      const next: State = {
        ...s,
        token: m.token,
        joinRequest: null,
        welcomed: true,
        sentNickname: false,
        outbox,
        ui,
      };
      // Everything given while out of reach goes out now, with its original id (the nickname with the view that follows).
      return done(next, [
        { do: 'settled' },
        { do: 'persist' },
        ...next.outbox.filter((x) => x.kind !== 'nickname' && sendable(next, x)).map(sendItem),
      ]);
    }
    case 'view': {
      const v = m;
      const confirmed =
        s.ui.confirmed && v.question?.runId === s.ui.confirmed.runId ? s.ui.confirmed : null;
      const notice =
        s.ui.notice && v.question?.runId === s.ui.view?.question?.runId ? s.ui.notice : null;
      // A new assessment starts with no answers; the same one keeps what the server confirmed.
      const mine =
        v.assessment && s.ui.mine?.assessmentId !== v.assessment.id
          ? { assessmentId: v.assessment.id, answers: {} }
          : s.ui.mine;
      // The game turned off: its points leave the screen (and a nickname waiting for an answer gets none).
      const game = v.game ? s.ui.game : null;
      const next: State = {
        ...s,
        outbox: v.game ? s.outbox : s.outbox.filter((x) => x.kind !== 'nickname'),
        ui: {
          ...s.ui,
          view: v,
          confirmed,
          notice,
          mine,
          game,
          ...(v.game ? {} : { nickname: { saving: false, error: null } }),
        },
      };
      return sendNickname(next, [{ do: 'persist' }]);
    }
    case 'game': {
      const settled = m.id ? remove(s.outbox, m.id) : { outbox: s.outbox, item: undefined };
      const nickname =
        settled.item?.kind === 'nickname' ? { saving: false, error: null } : s.ui.nickname;
      return done(
        { ...s, outbox: settled.outbox, ui: { ...s.ui, game: m, nickname } },
        settled.item ? [{ do: 'persist' }] : [],
      );
    }
    case 'ack':
      return ack(s, m.id);
    case 'error':
      return refused(s, m);
  }
}

function ack(s: State, id: string): Result {
  const { outbox, item } = remove(s.outbox, id);
  if (!item) return done(s);
  let ui = s.ui;
  if (item.kind === 'submit')
    ui = {
      ...ui,
      submitted: [...ui.submitted.filter((x) => x !== item.assessmentId), item.assessmentId],
    };
  else if (item.kind === 'ask') ui = { ...ui, asked: ui.asked + 1 };
  else if (item.kind === 'answer') {
    const mine = ui.mine;
    if (mine && ui.view?.assessment?.questions.some((q) => q.runId === item.runId))
      ui = {
        ...ui,
        mine: { ...mine, answers: { ...mine.answers, [item.runId]: item.value } },
        error: null,
      };
    else ui = { ...ui, confirmed: { runId: item.runId, value: item.value }, error: null };
  }
  return done({ ...s, outbox, ui }, [{ do: 'persist' }]);
}

function refused(s: State, m: Extract<ServerToTrainee, { t: 'error' }>): Result {
  const item = m.id ? s.outbox.find((x) => x.id === m.id) : undefined;
  if (item) {
    // Too fast, or not stored just now: the same item goes again a little later, with its id.
    if (!refusedForGood(item, m.code)) return done(s, [{ do: 'retry', id: item.id }]);
    const outbox = remove(s.outbox, item.id).outbox;
    let ui = s.ui;
    if (item.kind === 'nickname')
      return done(
        {
          ...s,
          outbox,
          nickname: null,
          ui: { ...ui, nickname: { saving: false, error: m.message } },
        },
        [{ do: 'persist' }],
      );
    if (item.kind === 'ask') ui = { ...ui, notice: `Your question was not sent: ${m.message}` };
    if (item.kind === 'submit') ui = { ...ui, notice: `Not handed in: ${m.message}` };
    if (item.kind === 'vote') ui = { ...ui, voted: ui.voted.filter((q) => q !== item.qaId) };
    if (item.kind === 'answer') {
      const current =
        ui.view?.question?.runId === item.runId ||
        !!ui.view?.assessment?.questions.some((q) => q.runId === item.runId);
      if (current || m.code === 'invalid')
        ui = {
          ...ui,
          notice:
            m.code === 'closed'
              ? 'Your answer was not counted: the question closed before your phone reconnected.'
              : `Your answer was not accepted: ${m.message}`,
        };
    }
    return done({ ...s, outbox, ui }, [{ do: 'persist' }]);
  }
  if (!s.welcomed) {
    // The reply to a join or a resume.
    if (m.code === 'server' || m.code === 'rate')
      return done({ ...s, ui: { ...s.ui, error: m.message } }, [{ do: 'reconnect' }]);
    // Refused (wrong room code, a field missing, the instructor did not confirm…): say why and wait for the trainee.
    if (s.joinRequest)
      return done(
        { ...s, joinRequest: null, ui: { ...s.ui, error: m.message, joining: false, claim: null } },
        [{ do: 'settled' }],
      );
    // The token is unknown here, or the class is over: ask for the details again.
    return forget(s, m.message);
  }
  return done({ ...s, ui: { ...s.ui, error: m.message } });
}

/** The phone no longer belongs to a class: it forgets it all and asks for the details again. */
function forget(s: State, message: string): Result {
  const next: State = {
    ...s,
    token: null,
    joinRequest: null,
    welcomed: false,
    outbox: [],
    ui: {
      ...s.ui,
      online: false,
      needsJoin: true,
      joining: false,
      joined: null,
      view: null,
      confirmed: null,
      notice: null,
      error: message,
      mine: null,
      submitted: [],
      game: null,
      claim: null,
      identityNotice: null,
    },
  };
  return done(next, [{ do: 'persist' }, { do: 'settled' }]);
}

// ------------------------------------------------------------------ what the screens derive

/** This phone's answer to the question on screen: the one waiting to be sent, or the one stored. */
export function myAnswer(ui: ConnState): AnswerValue | undefined {
  const q = ui.view?.question;
  if (!q) return undefined;
  const pending = ui.pending.find((p) => p.runId === q.runId);
  if (pending) return pending.value;
  return ui.confirmed?.runId === q.runId ? ui.confirmed.value : undefined;
}

/** What the reveal means to this phone. */
export interface Outcome {
  /** Null for a poll (nothing is right or wrong); `unanswered` when this phone gave no answer. */
  verdict: 'correct' | 'not-quite' | 'unanswered' | null;
  /** The right answer's labels (a ranking's whole order, top first), or null for a poll. */
  correct: string[] | null;
  explanation: string | null;
}

/**
 * The reveal of the question on screen, judged for this phone by the server's own rule
 * (shared/answer-key.ts: the key and, for a number, the tolerance come with the reveal); null
 * before the reveal.
 */
export function outcome(ui: ConnState): Outcome | null {
  const q = ui.view?.question;
  const r = ui.view?.reveal;
  if (!q || !r) return null;
  const mine = myAnswer(ui);
  const key = r.correct
    ? {
        type: q.q.type,
        correct: r.correct,
        ...(r.tolerance !== undefined ? { tolerance: r.tolerance } : {}),
      }
    : null;
  const verdict = !key
    ? null
    : mine === undefined
      ? 'unanswered'
      : matchesKey(key, mine)
        ? 'correct'
        : 'not-quite';
  return { verdict, correct: r.correct, explanation: r.explanation };
}

/**
 * The order this phone first shows a ranking's items in: its own shuffle, keyed by its trainee and
 * the question run, so two neighbours see different lists and a reload shows the same one.
 */
export function rankingOrder(
  ui: Pick<ConnState, 'joined'>,
  runId: string,
  options: readonly string[],
): string[] {
  return shuffled(options, `${ui.joined?.id ?? ''}:${runId}`);
}
