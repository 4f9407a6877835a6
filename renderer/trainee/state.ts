/**
 * The phone's state, as a pure reducer: an event (a message from the server, the socket coming up
 * or going down, something the trainee did) and the state before give the state after and the
 * effects to carry out (send a message, keep the record, try again later). No timers, no socket,
 * no storage here — connection.ts does those — so every rule below is tested in milliseconds.
 * The state's shapes are in conn-state.ts, the server's replies to what was sent in replies.ts.
 */
import type { ServerToTrainee } from '../../shared/protocol';
import type { OutboxItem } from './outbox';
import { enqueue, remove, wire } from './outbox';
import type { Stored } from './storage';
import { emptyCache } from './storage';
import { derive, done } from './conn-state';
import type { ConnState, Effect, Event, Result, State } from './conn-state';
import { ack, forget, refused } from './replies';

export type { ConnState, Effect, Event, JoinDetails, PendingAnswer, State } from './conn-state';

export function initialState(stored: Stored): State {
  const c = stored.token ? stored.cache : emptyCache();
  const s: State = {
    token: stored.token,
    outbox: stored.token ? stored.outbox : [],
    nickname: stored.nickname,
    welcomed: false,
    sentNickname: false,
    seq: 0,
    // A join kept from before a reload goes again once the socket opens.
    joinRequest: stored.token ? null : stored.joinRequest,
    ui: {
      online: false,
      joined: c.joined,
      view: c.view,
      confirmed: c.confirmed,
      pending: [],
      error: null,
      notice: null,
      needsJoin: !stored.token,
      joining: !stored.token && !!stored.joinRequest,
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
    joinRequest: s.token ? null : s.joinRequest,
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
        { do: 'persist' },
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
