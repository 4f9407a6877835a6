// A phone without a phone, for the tests of the trainee page's rules: events run through the
// reducer (renderer/trainee/state.ts), what the server says, and storage in memory.
import { initialState, reduce } from '../../renderer/trainee/state';
import type { Effect, Event, State } from '../../renderer/trainee/state';
import { emptyStored } from '../../renderer/trainee/storage';
import type { KeyValue } from '../../renderer/trainee/storage';
import type { TraineeView } from '../../shared/protocol';

/** A well-formed token, as the server hands out. */
export const TOKEN = 'tok_0123456789abcdefghij';
/** Storage in memory, with its map to look into. */
export const memory = (
  init: Record<string, string> = {},
): KeyValue & { data: Map<string, string> } => {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

/** The state after these events, and every effect they asked for. */
export function run(s: State, ...events: Event[]): { s: State; fx: Effect[] } {
  let fx: Effect[] = [];
  for (const e of events) {
    const r = reduce(s, e);
    s = r.s;
    fx = [...fx, ...r.fx];
  }
  return { s, fx };
}
/** The messages among these effects that go out on the socket. */
export const sent = (fx: Effect[]) =>
  fx
    .filter((f): f is Extract<Effect, { do: 'send' }> => f.do === 'send')
    .map((f) => f.m as { t: string; id?: string });
/** The server's view of an open single-choice question, with these fields changed. */
export const view = (over: Partial<TraineeView> = {}): TraineeView => ({
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
/** The server's welcome to trainee t1, with nothing answered yet. */
export const welcome = {
  t: 'welcome' as const,
  token: TOKEN,
  trainee: { id: 't1', name: 'Ana', officerId: '1', agency: 'PD' },
  answer: null,
  assessment: null,
};
/** A message from the server. */
export const server = (m: unknown): Event => ({ on: 'server', m: m as never });
/** The trainee answers (by default A to run r1). */
export const answer = (id: string, runId = 'r1', value: string = 'A'): Event => ({
  on: 'give',
  item: { kind: 'answer', id, runId, value },
});

/** A phone that joined and is online, looking at an open question. */
export function online(): State {
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
