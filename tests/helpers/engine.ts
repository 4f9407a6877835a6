import { SessionEngine } from '../../main/session/engine';
import type { Outcome } from '../../main/session/engine';
import type { Deck } from '../../shared/course';
import type { Presentation } from '../../main/session/views/trainee';

/** The accepted outcome, or a thrown error naming why the engine refused. */
export function ok<T>(o: Outcome<T>): Extract<Outcome<T>, { ok: true }> {
  if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
  return o as Extract<Outcome<T>, { ok: true }>;
}

/** An engine whose sessions can use these decks. */
export function engineFor(...decks: Deck[]): SessionEngine {
  return new SessionEngine({
    deck: (course, file) => decks.find((d) => d.course === course && d.file === file),
  });
}

/** What the classroom does once the records hold a decision: apply it. Returns the outcome. */
export function commit<T>(e: SessionEngine, o: Outcome<T>): Extract<Outcome<T>, { ok: true }> {
  const r = ok(o);
  e.apply(r.ops);
  return r;
}

/** The room's switches as they are by default. */
export const PLAIN: Presentation = { hidePrompt: false, profanityFilter: false };

/** Everyone counts as connected (the classroom knows who is; the engine does not). */
export const ALL_CONNECTED = () => true;

/**
 * The engine's whole memory as plain JSON (Maps and Sets as arrays), to compare before and after:
 * a decision must leave it exactly as it was.
 */
export function dump(e: SessionEngine): string {
  const state = (e as unknown as { s: unknown }).s;
  return JSON.stringify(state, (_k, v: unknown) =>
    v instanceof Map ? [...v] : v instanceof Set ? [...v] : v,
  );
}
