/**
 * Everything a phone sends that the server must store — answers, hand-ins, Q&A questions, votes,
 * a nickname — waits in one outbox until the server acknowledges it, kept on the phone (so a
 * reload, a dead battery or a lost Wi-Fi loses nothing) and sent again with its own id after every
 * reconnect (so a resend never counts twice). Pure functions over an array: the order is the
 * order things were given, except that a hand-in always goes after the answers it hands in.
 */
import type { AnswerValue } from '../../shared/question';

export type OutboxItem =
  | { kind: 'answer'; id: string; runId: string; value: AnswerValue }
  | { kind: 'submit'; id: string; assessmentId: string }
  | { kind: 'ask'; id: string; text: string; anonymous: boolean }
  | { kind: 'vote'; id: string; qaId: string }
  | { kind: 'nickname'; id: string; nickname: string };

export type Outbox = readonly OutboxItem[];

/** Items that replace each other: a new answer to the same question, another nickname. */
function sameSlot(a: OutboxItem, b: OutboxItem): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'answer':
      return a.runId === (b as typeof a).runId;
    case 'submit':
      return a.assessmentId === (b as typeof a).assessmentId;
    case 'vote':
      return a.qaId === (b as typeof a).qaId;
    case 'nickname':
      return true;
    case 'ask':
      return a.id === b.id;
  }
}

/** Adds an item, replacing the one it supersedes; hand-ins stay after every answer. */
export function enqueue(outbox: Outbox, item: OutboxItem): OutboxItem[] {
  const rest = outbox.filter((x) => !sameSlot(x, item));
  if (item.kind === 'submit') return [...rest, item];
  const at = rest.findIndex((x) => x.kind === 'submit');
  return at < 0 ? [...rest, item] : [...rest.slice(0, at), item, ...rest.slice(at)];
}

export function remove(
  outbox: Outbox,
  id: string,
): { outbox: OutboxItem[]; item: OutboxItem | undefined } {
  const item = outbox.find((x) => x.id === id);
  return { outbox: outbox.filter((x) => x.id !== id), item };
}

/** The message the server reads for an item. */
export function wire(item: OutboxItem): object {
  switch (item.kind) {
    case 'answer':
      return { t: 'answer', id: item.id, runId: item.runId, value: item.value };
    case 'submit':
      return { t: 'submit', id: item.id, assessmentId: item.assessmentId };
    case 'ask':
      return { t: 'ask', id: item.id, text: item.text, anonymous: item.anonymous };
    case 'vote':
      return { t: 'vote', id: item.id, qaId: item.qaId };
    case 'nickname':
      return { t: 'nickname', id: item.id, nickname: item.nickname };
  }
}

/** Error codes after which the server will never take the item: it leaves the outbox. */
export function refusedForGood(item: OutboxItem, code: string): boolean {
  switch (item.kind) {
    case 'answer':
    case 'submit':
      return code === 'closed' || code === 'invalid';
    case 'ask':
      return code === 'invalid' || code === 'closed';
    case 'vote':
      return code !== 'server' && code !== 'rate';
    case 'nickname':
      return true;
  }
}

/** Only well-formed items come back from storage (another version of the page may have written it). */
export function isOutboxItem(x: unknown): x is OutboxItem {
  const o = x as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || typeof o.id !== 'string') return false;
  switch (o.kind) {
    case 'answer':
      return typeof o.runId === 'string' && o.value !== undefined;
    case 'submit':
      return typeof o.assessmentId === 'string';
    case 'ask':
      return typeof o.text === 'string' && typeof o.anonymous === 'boolean';
    case 'vote':
      return typeof o.qaId === 'string';
    case 'nickname':
      return typeof o.nickname === 'string';
    default:
      return false;
  }
}
