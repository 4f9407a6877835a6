/**
 * What a phone keeps between page loads, in one versioned record: its token (who it is in the
 * class), the last view (so a reload out of reach still shows the question), the outbox, its
 * votes, its nickname, and a join sent but not yet welcomed. Reading is forgiving — a record
 * written by another version of the page, or by the page before this schema (separate keys), is
 * taken as far as it can be, never trusted.
 */
import type { TraineeView, TraineeWelcome } from '../../shared/protocol';
import type { AnswerValue } from '../../shared/question';
import type { JoinDetails } from './conn-state';
import type { OutboxItem } from './outbox';
import { isOutboxItem } from './outbox';

export const STORAGE_KEY = 'muster.v2';

export interface Cache {
  joined: TraineeWelcome['trainee'] | null;
  view: TraineeView | null;
  confirmed: { runId: string; value: AnswerValue } | null;
  mine: { assessmentId: string; answers: Record<string, AnswerValue> } | null;
  submitted: string[];
}

export interface Stored {
  v: 2;
  token: string | null;
  cache: Cache;
  outbox: OutboxItem[];
  voted: string[];
  /** The nickname chosen for the game's leaderboard (kept across classes; never the name). */
  nickname: string | null;
  /**
   * A join sent and not yet welcomed, with the token the phone made for it: a page reloaded in
   * between sends it again, and the server knows the phone (no claim on its own officer ID).
   */
  joinRequest: JoinDetails | null;
}

/** localStorage, or anything like it (tests use a Map). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const emptyCache = (): Cache => ({
  joined: null,
  view: null,
  confirmed: null,
  mine: null,
  submitted: [],
});
export const emptyStored = (): Stored => ({
  v: 2,
  token: null,
  cache: emptyCache(),
  outbox: [],
  voted: [],
  nickname: null,
  joinRequest: null,
});

/** Keys of the first version of the page, read once and then removed. */
const V1 = {
  token: 'muster.token',
  pending: 'muster.pending',
  cache: 'muster.view',
  voted: 'muster.voted',
  submit: 'muster.submit',
  nickname: 'muster.nickname',
};

function parse(raw: string | null): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

const strings = (x: unknown): string[] =>
  Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
const tokenOf = (x: unknown): string | null =>
  typeof x === 'string' && /^[A-Za-z0-9_-]{20,64}$/.test(x) ? x : null;
const field = (x: unknown): x is string => typeof x === 'string' && x.length <= 200;

/** A kept join, if it is whole (four fields and the phone's own token); anything else is dropped. */
function joinRequestOf(x: unknown): JoinDetails | null {
  const j = (x ?? {}) as Partial<Record<keyof JoinDetails, unknown>>;
  if (!field(j.name) || !field(j.officerId) || !field(j.agency) || !field(j.roomCode)) return null;
  if (typeof j.token !== 'string' || !/^[A-Za-z0-9_-]{32,64}$/.test(j.token)) return null;
  return {
    name: j.name,
    officerId: j.officerId,
    agency: j.agency,
    roomCode: j.roomCode,
    token: j.token,
  };
}

function cacheOf(x: unknown): Cache {
  const c = (x ?? {}) as Partial<Cache>;
  return {
    joined: c.joined && typeof c.joined === 'object' ? c.joined : null,
    view: c.view && typeof c.view === 'object' && c.view.t === 'view' ? c.view : null,
    confirmed: c.confirmed && typeof c.confirmed === 'object' ? c.confirmed : null,
    mine: c.mine && typeof c.mine === 'object' ? c.mine : null,
    submitted: strings(c.submitted),
  };
}

/** Reads what the phone kept; never throws (private modes and captive-portal browsers refuse storage). */
export function load(kv: KeyValue): Stored {
  try {
    const v2 = parse(kv.getItem(STORAGE_KEY)) as Partial<Stored> | undefined;
    if (v2 && v2.v === 2) {
      const token = tokenOf(v2.token);
      return {
        v: 2,
        token,
        cache: token ? cacheOf(v2.cache) : emptyCache(),
        outbox: token && Array.isArray(v2.outbox) ? v2.outbox.filter(isOutboxItem) : [],
        voted: strings(v2.voted),
        nickname: typeof v2.nickname === 'string' ? v2.nickname : null,
        joinRequest: token ? null : joinRequestOf(v2.joinRequest),
      };
    }
    return migrateV1(kv);
  } catch {
    return emptyStored();
  }
}

/** The first version kept each thing under its own key: gathered into the new record. */
function migrateV1(kv: KeyValue): Stored {
  const token = tokenOf(kv.getItem(V1.token));
  const pending = parse(kv.getItem(V1.pending));
  const submit = parse(kv.getItem(V1.submit)) as
    { id?: unknown; assessmentId?: unknown } | null | undefined;
  const outbox: OutboxItem[] = [];
  if (token && Array.isArray(pending))
    for (const p of pending as { id?: unknown; runId?: unknown; value?: unknown }[]) {
      const item = { kind: 'answer', id: p?.id, runId: p?.runId, value: p?.value };
      if (isOutboxItem(item)) outbox.push(item);
    }
  if (token && submit && typeof submit.id === 'string' && typeof submit.assessmentId === 'string')
    outbox.push({ kind: 'submit', id: submit.id, assessmentId: submit.assessmentId });
  const stored: Stored = {
    v: 2,
    token,
    cache: token ? cacheOf(parse(kv.getItem(V1.cache))) : emptyCache(),
    outbox,
    voted: strings(parse(kv.getItem(V1.voted))),
    nickname: kv.getItem(V1.nickname),
    joinRequest: null,
  };
  if (Object.values(V1).some((k) => kv.getItem(k) !== null)) {
    save(kv, stored);
    for (const k of Object.values(V1)) kv.removeItem(k);
  }
  return stored;
}

/** Writes the record; a phone that cannot store keeps it in memory (still resent, just not across a reload). */
export function save(kv: KeyValue, s: Stored): void {
  try {
    kv.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // kept in memory only
  }
}
