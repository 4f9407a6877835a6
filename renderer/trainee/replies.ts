/**
 * The server's word on what the phone sent: an item acknowledged, an item (or the join or resume
 * itself) refused, and a class the phone no longer belongs to. Part of the reducer (./state.ts).
 */
import type { ServerToTrainee } from '../../shared/protocol';
import { refusedForGood, remove } from './outbox';
import { done } from './conn-state';
import type { Result, State } from './conn-state';

export function ack(s: State, id: string): Result {
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

export function refused(s: State, m: Extract<ServerToTrainee, { t: 'error' }>): Result {
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
        [{ do: 'persist' }, { do: 'settled' }],
      );
    // The token is unknown here, or the class is over: ask for the details again.
    return forget(s, m.message);
  }
  return done({ ...s, ui: { ...s.ui, error: m.message } });
}

/** The phone no longer belongs to a class: it forgets it all and asks for the details again. */
export function forget(s: State, message: string): Result {
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
