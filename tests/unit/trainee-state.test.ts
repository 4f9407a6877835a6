// The phone's rules, without a phone: the reducer (renderer/trainee/state.ts) in milliseconds —
// what waits offline and goes out once welcomed, refusals, hand-ins, the nickname, identity.
import { describe, expect, it } from 'vitest';
import { initialState, stored } from '../../renderer/trainee/state';
import { STORAGE_KEY, emptyStored, load } from '../../renderer/trainee/storage';
import {
  TOKEN,
  answer,
  memory,
  online,
  run,
  sent,
  server,
  view,
  welcome,
} from '../helpers/trainee-phone';

describe('the phone’s state', () => {
  it('an answer given offline waits, goes out with its id once welcomed, and is "received" only on its ack', () => {
    let { s, fx } = run(online(), { on: 'down' }, answer('m-offline-1'));
    expect(sent(fx)).toEqual([]);
    expect(s.ui.pending).toEqual([{ id: 'm-offline-1', runId: 'r1', value: 'A' }]);
    ({ s, fx } = run(s, { on: 'open' }, server(welcome)));
    expect(sent(fx)).toEqual([
      { t: 'resume', token: TOKEN },
      { t: 'answer', id: 'm-offline-1', runId: 'r1', value: 'A' },
    ]);
    expect(s.ui.confirmed).toBeNull();
    ({ s } = run(s, server({ t: 'ack', id: 'm-offline-1', of: 'answer', runId: 'r1' })));
    expect(s.ui.pending).toEqual([]);
    expect(s.ui.confirmed).toEqual({ runId: 'r1', value: 'A' });
  });

  it('a question for the board waits on the phone like an answer, and survives a reload', () => {
    const kv = memory();
    let { s } = run(
      online(),
      { on: 'down' },
      {
        on: 'give',
        item: { kind: 'ask', id: 'ask-0001', text: 'Who do we call at night?', anonymous: false },
      },
    );
    expect(s.ui.asking).toHaveLength(1);
    kv.setItem(STORAGE_KEY, JSON.stringify(stored(s)));
    // Reloaded: the question is still there and goes out after the welcome.
    s = initialState(load(kv));
    expect(s.ui.asking.map((q) => q.text)).toEqual(['Who do we call at night?']);
    const r = run(s, { on: 'open' }, server(welcome));
    expect(sent(r.fx).map((m) => m.t)).toEqual(['resume', 'ask']);
    expect(run(r.s, server({ t: 'ack', id: 'ask-0001', of: 'ask' })).s.ui).toMatchObject({
      asking: [],
      asked: 1,
    });
  });

  it('refusals: a closed question drops the answer with a notice; a busy server means the same item again later', () => {
    const busy = run(
      online(),
      answer('m-1'),
      server({ t: 'error', code: 'server', message: 'busy', id: 'm-1' }),
    );
    let s = busy.s;
    expect(busy.fx).toContainEqual({ do: 'retry', id: 'm-1' });
    expect(s.ui.pending).toHaveLength(1);
    ({ s } = run(
      s,
      server({ t: 'error', code: 'closed', message: 'the question has closed', id: 'm-1' }),
    ));
    expect(s.ui.pending).toEqual([]);
    expect(s.ui.notice).toMatch(/not counted/);
  });

  it('a hand-in is never sent before the answers it hands in, and a lost ack is settled by the welcome', () => {
    let { s, fx } = run(
      online(),
      { on: 'down' },
      answer('m-a1', 'ar1'),
      { on: 'give', item: { kind: 'submit', id: 'sub-1', assessmentId: 'as1' } },
      answer('m-a2', 'ar2'),
    );
    ({ s, fx } = run(s, { on: 'open' }, server(welcome)));
    expect(sent(fx).map((m) => m.id ?? m.t)).toEqual(['resume', 'm-a1', 'm-a2', 'sub-1']);
    // Reconnected again: the server already has the hand-in.
    ({ s, fx } = run(
      s,
      { on: 'down' },
      { on: 'open' },
      server({ ...welcome, assessment: { id: 'as1', answers: [], submitted: true } }),
    ));
    expect(s.ui.submitting).toBeNull();
    expect(s.ui.submitted).toEqual(['as1']);
    expect(sent(fx).map((m) => m.id ?? m.t)).toEqual(['resume', 'm-a1', 'm-a2']);
  });

  it('the nickname goes out once per socket and only while the game is on; a refusal forgets it', () => {
    let { s, fx } = run(online(), { on: 'nickname', nickname: 'Falcon', id: 'nick-1x' });
    expect(sent(fx)).toEqual([]); // the game is off
    ({ s, fx } = run(s, server(view({ game: 'leaderboard' }))));
    expect(sent(fx)).toEqual([{ t: 'nickname', id: 'nick-1x', nickname: 'Falcon' }]);
    ({ s, fx } = run(s, server(view({ game: 'leaderboard' }))));
    expect(sent(fx)).toEqual([]);
    ({ s } = run(
      s,
      server({
        t: 'game',
        mode: 'leaderboard',
        nickname: 'Falcon',
        points: 0,
        rank: 1,
        of: 1,
        streak: 0,
        last: null,
        id: 'nick-1x',
      }),
    ));
    expect(s.ui.nickname).toEqual({ saving: false, error: null });
    // A new socket: sent again, once.
    ({ s, fx } = run(
      s,
      { on: 'down' },
      { on: 'open' },
      server(welcome),
      server(view({ game: 'leaderboard' })),
    ));
    const nick = sent(fx).filter((m) => m.t === 'nickname');
    expect(nick).toHaveLength(1);
    ({ s } = run(s, server({ t: 'error', code: 'invalid', message: 'taken', id: nick[0].id })));
    expect(s.nickname).toBeNull();
    expect(s.ui.nickname.error).toBe('taken');
  });

  it('identity: a claim waits, a notice is shown, signed out forgets the class', () => {
    let s = initialState(emptyStored());
    ({ s } = run(
      s,
      { on: 'join', details: { name: 'Sam', officerId: '1', agency: 'PD', roomCode: '123456' } },
      { on: 'open' },
      server({ t: 'claim', message: 'wait' }),
    ));
    expect(s.ui).toMatchObject({ claim: 'wait', joining: true });
    ({ s } = run(
      s,
      server({ t: 'error', code: 'forbidden', message: 'The instructor did not confirm' }),
    ));
    expect(s.ui).toMatchObject({
      claim: null,
      joining: false,
      error: 'The instructor did not confirm',
      needsJoin: true,
    });
    let o = run(online(), server({ t: 'notice', message: 'Another phone…' })).s;
    expect(o.ui.identityNotice).toBe('Another phone…');
    o = run(
      o,
      answer('m-9'),
      server({ t: 'signed-out', message: 'You are now signed in on another phone' }),
    ).s;
    expect(o.token).toBeNull();
    expect(o.outbox).toEqual([]);
    expect(o.ui).toMatchObject({
      needsJoin: true,
      error: 'You are now signed in on another phone',
    });
  });

  it('a join whose welcome was lost goes again with the token the phone made for it', () => {
    const details = { name: 'Ana', officerId: '1', agency: 'PD', roomCode: '123456' };
    const token = 'phone-made-token_0123456789abcdef';
    let { s, fx } = run(initialState(emptyStored()), {
      on: 'join',
      details: { ...details, token },
    });
    expect(sent(fx)).toEqual([{ t: 'join', ...details, token }]);
    // The connection drops before any welcome; the next socket sends the same join, same token.
    ({ s, fx } = run(s, { on: 'down' }, { on: 'open' }));
    expect(sent(fx)).toEqual([{ t: 'join', ...details, token }]);
    ({ s } = run(s, server({ ...welcome, token })));
    expect(s.token).toBe(token);
    // Welcomed: from now on the phone resumes with it.
    ({ fx } = run(s, { on: 'down' }, { on: 'open' }));
    expect(sent(fx)).toEqual([{ t: 'resume', token }]);
  });

  it('a join not yet welcomed survives a reload and goes again with the same token; a kept join that is not whole is dropped', () => {
    const kv = memory();
    const details = { name: 'Ana', officerId: '1', agency: 'PD', roomCode: '123456' };
    const token = 'phone-made-token_0123456789abcdef';
    const { s, fx } = run(initialState(emptyStored()), {
      on: 'join',
      details: { ...details, token },
    });
    expect(fx.some((f) => f.do === 'persist')).toBe(true);
    kv.setItem(STORAGE_KEY, JSON.stringify(stored(s)));
    // Reloaded before any welcome: the page says it is joining, and the join goes again as it was.
    const again = initialState(load(kv));
    expect(again.ui).toMatchObject({ needsJoin: true, joining: true });
    expect(sent(run(again, { on: 'open' }).fx)).toEqual([{ t: 'join', ...details, token }]);
    // Welcomed: nothing of the join is kept.
    kv.setItem(STORAGE_KEY, JSON.stringify(stored(run(again, server({ ...welcome, token })).s)));
    expect(load(kv).joinRequest).toBeNull();
    // Refused: forgotten, so a reload shows the empty form.
    const refused = run(again, server({ t: 'error', code: 'room', message: 'wrong code' }));
    kv.setItem(STORAGE_KEY, JSON.stringify(stored(refused.s)));
    expect(initialState(load(kv)).ui).toMatchObject({ needsJoin: true, joining: false });
    // A kept join with a token too short, or a field that is not text, is not sent.
    for (const bad of [
      { ...details, token: 'short' },
      { ...details, name: 7, token },
    ]) {
      kv.setItem(STORAGE_KEY, JSON.stringify({ ...emptyStored(), joinRequest: bad }));
      expect(load(kv).joinRequest).toBeNull();
    }
  });
});
