import type { Outcome } from '../../main/session/engine';

/** The accepted outcome, or a thrown error naming why the engine refused. */
export function ok<T>(o: Outcome<T>): Extract<Outcome<T>, { ok: true }> {
  if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
  return o as Extract<Outcome<T>, { ok: true }>;
}
