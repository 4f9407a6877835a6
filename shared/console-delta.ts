/**
 * The console's trainee list as changes. At 5,000 trainees the list is most of the console view
 * (~870 KB), and between two views only the rows of trainees who joined, answered, left or were
 * corrected change. So the server sends the console view without `session.trainees`, preceded by
 * a `console-trainees` message holding only the rows that changed since the last one — the whole
 * list (`reset`) to a console that just connected, or when the session changed — and each
 * console puts the list back into the view it shows ({@link withTrainees}).
 *
 * A row that changed goes as a patch — its id and only the fields that changed: a class answering
 * flips `answered` on every row, and at 5,000 trainees whole rows made ~650 KB a question where
 * patches make under a third of it.
 *
 * Added to the protocol (instructor sockets only; the trainees' protocol is unchanged):
 * - server → console `{ t: 'console-trainees', sessionId, reset, upsert, patch, remove }`, sent
 *   before the `console` view it belongs to;
 * - the `console` view on the wire ({@link ConsoleViewWire}) has no `session.trainees`.
 * Rows keep the order in which they were first sent (the order of joining); a changed row keeps
 * its place.
 */
import type { ConsoleView, TraineeRow } from './protocol';

export interface ConsoleTrainees {
  t: 'console-trainees';
  /** The session the rows belong to; null when none is running. */
  sessionId: string | null;
  /** The whole list: drop every row held before. */
  reset: boolean;
  /** Rows that are new (or come back), whole. */
  upsert: TraineeRow[];
  /** Rows the consoles hold that changed: each its id and only the fields that changed. */
  patch: TraineeRowPatch[];
  /** Ids of rows that are gone. */
  remove: string[];
}

/** A row that changed: its id and the fields that changed, with their new values. */
export type TraineeRowPatch = Pick<TraineeRow, 'id'> & Partial<Omit<TraineeRow, 'id'>>;

type ConsoleSession = NonNullable<ConsoleView['session']>;
/** The console view as sent: the trainee list comes as {@link ConsoleTrainees}. */
export type ConsoleViewWire = Omit<ConsoleView, 'session'> & {
  session: (Omit<ConsoleSession, 'trainees'> & { trainees?: TraineeRow[] }) | null;
};

/** The rows a console holds, by id, in the order first sent. */
export type TraineeRows = Map<string, TraineeRow>;

/** Applies one change message to the rows a console holds. */
export function applyTraineeChanges(rows: TraineeRows, m: ConsoleTrainees): void {
  if (m.reset) rows.clear();
  for (const r of m.upsert) rows.set(r.id, r);
  for (const p of m.patch) {
    const r = rows.get(p.id);
    if (r) rows.set(p.id, { ...r, ...p });
  }
  for (const id of m.remove) rows.delete(id);
}

/** The full console view: the view as sent, with the rows the console holds. */
export function withTrainees(v: ConsoleViewWire, rows: TraineeRows): ConsoleView {
  if (!v.session) return { ...v, session: null };
  return { ...v, session: { ...v.session, trainees: v.session.trainees ?? [...rows.values()] } };
}
