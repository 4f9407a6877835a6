// The phone's rules, without a phone: the reducer (renderer/trainee/state.ts), the outbox and the
// versioned storage, in milliseconds.
import { describe, expect, it } from 'vitest';
import { enqueue, isOutboxItem } from '../../renderer/trainee/outbox';
import type { OutboxItem } from '../../renderer/trainee/outbox';
import {
  initialState,
  myAnswer,
  outcome,
  rankingOrder,
  reduce,
  stored,
} from '../../renderer/trainee/state';
import type { Effect, Event, State } from '../../renderer/trainee/state';
import { STORAGE_KEY, emptyStored, load } from '../../renderer/trainee/storage';
import type { KeyValue } from '../../renderer/trainee/storage';
import type { TraineeView } from '../../shared/protocol';

const TOKEN = 'tok_0123456789abcdefghij';
const memory = (init: Record<string, string> = {}): KeyValue & { data: Map<string, string> } => {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

function run(s: State, ...events: Event[]): { s: State; fx: Effect[] } {
  let fx: Effect[] = [];
  for (const e of events) {
    const r = reduce(s, e);
    s = r.s;
    fx = [...fx, ...r.fx];
  }
  return { s, fx };
}
const sent = (fx: Effect[]) =>
  fx
    .filter((f): f is Extract<Effect, { do: 'send' }> => f.do === 'send')
    .map((f) => f.m as { t: string; id?: string });
const view = (over: Partial<TraineeView> = {}): TraineeView => ({
  t: 'view',
  phase: 'question',
  title: 'Deck',
  question: {
    runId: 'r1',
    q: { id: 'q', type: 'single', prompt: 'P', options: ['A', 'B'] } as never,
    open: true,
    remainingMs: null,
  },
  reveal: null,
  qa: [],
  assessment: null,
  ...over,
});
const welcome = {
  t: 'welcome' as const,
  token: TOKEN,
  trainee: { id: 't1', name: 'Ana', officerId: '1', agency: 'PD' },
  answer: null,
  assessment: null,
};
const server = (m: unknown): Event => ({ on: 'server', m: m as never });
const answer = (id: string, runId = 'r1', value: string = 'A'): Event => ({
  on: 'give',
  item: { kind: 'answer', id, runId, value },
});

/** A phone that joined and is online, looking at an open question. */
function online(): State {
  let s = initialState(emptyStored());
  s = run(
    s,
    { on: 'join', details: { name: 'Ana', officerId: '1', agency: 'PD', roomCode: '123456' } },
    { on: 'open' },
    server(welcome),
    server(view()),
  ).s;
  return s;
}

describe('the outbox', () => {
  it('a new answer to the same question replaces the waiting one; a hand-in always goes last', () => {
    let o: OutboxItem[] = [];
    o = enqueue(o, { kind: 'answer', id: 'a1', runId: 'r1', value: 'A' });
    o = enqueue(o, { kind: 'submit', id: 's1', assessmentId: 'x' });
    o = enqueue(o, { kind: 'answer', id: 'a2', runId: 'r2', value: 'B' });
    o = enqueue(o, { kind: 'answer', id: 'a3', runId: 'r1', value: 'C' });
    o = enqueue(o, { kind: 'ask', id: 'q1', text: 'Why?', anonymous: true });
    expect(o.map((x) => x.id)).toEqual(['a2', 'a3', 'q1', 's1']);
  });

  it('takes back from storage only well-formed items', () => {
    expect(
      [
        { kind: 'answer', id: 'a', runId: 'r', value: 1 },
        { kind: 'answer', id: 'a' },
        { kind: 'evil', id: 'x' },
        null,
        'x',
      ].filter(isOutboxItem),
    ).toHaveLength(1);
  });
});

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
});

describe('what the phone keeps', () => {
  it('reads the first version’s separate keys into one record, and removes them', () => {
    const kv = memory({
      'muster.token': TOKEN,
      'muster.pending': JSON.stringify([{ id: 'old-1', runId: 'r1', value: 'A' }, { bad: true }]),
      'muster.submit': JSON.stringify({ id: 'old-s', assessmentId: 'as1' }),
      'muster.voted': JSON.stringify(['qa1']),
      'muster.nickname': 'Falcon',
      'muster.view': JSON.stringify({
        joined: { id: 't1', name: 'Ana', officerId: '1', agency: 'PD' },
        view: view(),
        confirmed: null,
        submitted: [],
      }),
    });
    const s = load(kv);
    expect(s.token).toBe(TOKEN);
    expect(s.outbox.map((x) => x.id)).toEqual(['old-1', 'old-s']);
    expect(s).toMatchObject({ voted: ['qa1'], nickname: 'Falcon' });
    expect(s.cache.joined?.name).toBe('Ana');
    expect([...kv.data.keys()]).toEqual([STORAGE_KEY]);
    expect(load(kv)).toEqual(s);
  });

  it('a record from elsewhere is taken as far as it can be; garbage gives an empty one', () => {
    expect(load(memory({ [STORAGE_KEY]: '{not json' }))).toEqual(emptyStored());
    const odd = load(
      memory({
        [STORAGE_KEY]: JSON.stringify({
          v: 2,
          token: 'short',
          outbox: [{ kind: 'answer', id: 'x', runId: 'r', value: 1 }],
          voted: [1, 'q'],
        }),
      }),
    );
    expect(odd).toMatchObject({ token: null, outbox: [], voted: ['q'] });
  });
});

describe('what the reveal means to this phone', () => {
  const revealed = (over: Partial<TraineeView> = {}) =>
    view({
      phase: 'results',
      question: {
        runId: 'r1',
        q: { id: 'q', type: 'single', prompt: 'P', options: ['A', 'B'] },
        open: false,
        remainingMs: null,
      },
      reveal: { correct: ['B'], explanation: 'Because B.' },
      ...over,
    });
  const ack = (id: string) => server({ t: 'ack', id, of: 'answer', runId: 'r1' });

  it('nothing before the reveal; then "correct", "not-quite" or "unanswered" by the key, with the right answer and why', () => {
    let s = run(online(), answer('a-1', 'r1', 'B'), ack('a-1')).s;
    expect(myAnswer(s.ui)).toBe('B');
    expect(outcome(s.ui)).toBeNull();
    s = run(s, server(revealed())).s;
    expect(outcome(s.ui)).toEqual({
      verdict: 'correct',
      correct: ['B'],
      explanation: 'Because B.',
    });
    const wrong = run(online(), answer('a-2', 'r1', 'A'), ack('a-2'), server(revealed())).s;
    expect(outcome(wrong.ui)?.verdict).toBe('not-quite');
    // An answer still waiting to be sent is this phone's answer too (it was given in time).
    const waiting = run(online(), { on: 'down' }, answer('a-3', 'r1', 'B'), server(revealed())).s;
    expect(outcome(waiting.ui)?.verdict).toBe('correct');
    expect(outcome(run(online(), server(revealed())).s.ui)?.verdict).toBe('unanswered');
  });

  it('judges a number within the tolerance the reveal gives, a ranking by its whole order, and says nothing is right in a poll', () => {
    const numeric = (value: number) =>
      run(
        online(),
        server(
          view({
            question: {
              runId: 'r1',
              q: { id: 'n', type: 'numeric', prompt: 'How many?' },
              open: true,
              remainingMs: null,
            },
          }),
        ),
        { on: 'give', item: { kind: 'answer', id: `n-${value}`, runId: 'r1', value } },
        ack(`n-${value}`),
        server(
          view({
            phase: 'results',
            question: {
              runId: 'r1',
              q: { id: 'n', type: 'numeric', prompt: 'How many?' },
              open: false,
              remainingMs: null,
            },
            reveal: { correct: ['15'], explanation: null, tolerance: 1 },
          }),
        ),
      ).s.ui;
    expect(outcome(numeric(14))?.verdict).toBe('correct');
    expect(outcome(numeric(13.5))?.verdict).toBe('not-quite');
    const rq = { id: 'k', type: 'ranking' as const, prompt: 'Order', options: ['Z', 'X', 'Y'] };
    const ranked = (value: string[]) =>
      run(
        online(),
        server(view({ question: { runId: 'r1', q: rq, open: true, remainingMs: null } })),
        { on: 'give', item: { kind: 'answer', id: 'k-1', runId: 'r1', value } },
        ack('k-1'),
        server(
          view({
            phase: 'results',
            question: { runId: 'r1', q: rq, open: false, remainingMs: null },
            reveal: { correct: ['X', 'Y', 'Z'], explanation: null },
          }),
        ),
      ).s.ui;
    expect(outcome(ranked(['X', 'Y', 'Z']))?.verdict).toBe('correct');
    expect(outcome(ranked(['Y', 'X', 'Z']))?.verdict).toBe('not-quite');
    expect(
      outcome(
        run(
          online(),
          answer('p-1'),
          ack('p-1'),
          server(revealed({ reveal: { correct: null, explanation: null } })),
        ).s.ui,
      ),
    ).toEqual({ verdict: null, correct: null, explanation: null });
  });

  it('shows a ranking in this phone’s own order: the same after a reload, another on the next phone', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const mine = rankingOrder({ joined: welcome.trainee }, 'r1', items);
    expect([...mine].sort()).toEqual(items);
    expect(rankingOrder({ joined: { ...welcome.trainee } }, 'r1', items)).toEqual(mine);
    const others = new Set(
      Array.from({ length: 20 }, (_, i) =>
        rankingOrder({ joined: { ...welcome.trainee, id: `t${i + 2}` } }, 'r1', items).join(''),
      ),
    );
    expect(others.size).toBeGreaterThan(10);
    // The same phone, the next question: another order.
    expect(rankingOrder({ joined: welcome.trainee }, 'r2', items)).not.toEqual(mine);
  });
});
