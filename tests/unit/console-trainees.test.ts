// The consoles' trainee list as changes: what each change says, and that a console folding the
// changes holds exactly the server's list, in the order of first sending.
import { describe, expect, it } from 'vitest';
import { applyTraineeChanges, type TraineeRows } from '../../shared/console-delta';
import type { TraineeRow } from '../../shared/protocol';
import { ConsoleTraineeRows } from '../../main/server/console-trainees';

const row = (id: string, over: Partial<TraineeRow> = {}): TraineeRow => ({
  id,
  name: `Trainee ${id}`,
  officerId: `B${id}`,
  agency: 'PD',
  connected: true,
  answered: false,
  onRoster: false,
  walkIn: false,
  ...over,
});

/** Sends `lists` in turn through one baseline; returns each change and what a console then holds. */
function fold(lists: TraineeRow[][], sessionId = 's1') {
  const server = new ConsoleTraineeRows();
  const held: TraineeRows = new Map();
  const changes = lists.map((l) => {
    const c = server.change(sessionId, l);
    if (c) applyTraineeChanges(held, c);
    return c;
  });
  return { server, held, changes };
}

describe('console trainee rows', () => {
  it('sends the whole list first, then nothing when nothing changed', () => {
    const { changes } = fold([
      [row('a'), row('b')],
      [row('a'), row('b')],
    ]);
    expect(changes[0]).toMatchObject({ reset: true, remove: [] });
    expect(changes[0]!.upsert.map((r) => r.id)).toEqual(['a', 'b']);
    expect(changes[1]).toBeNull();
  });

  it('sends only the rows that changed, whole', () => {
    const { changes, held } = fold([
      [row('a'), row('b'), row('c')],
      [row('a'), row('b', { answered: true }), row('c', { connected: false })],
    ]);
    expect(changes[1]).toMatchObject({ reset: false, remove: [] });
    expect(changes[1]!.upsert).toEqual([
      row('b', { answered: true }),
      row('c', { connected: false }),
    ]);
    expect(held.get('b')?.answered).toBe(true);
  });

  it('a row handed again as the same object, or an equal one, is not sent again', () => {
    const a = row('a');
    const server = new ConsoleTraineeRows();
    server.change('s1', [a, row('b')]);
    expect(server.change('s1', [a, row('b')])).toBeNull();
    const c = server.change('s1', [a, row('b', { connected: false })]);
    expect(c!.upsert).toEqual([row('b', { connected: false })]);
  });

  it('names removed rows, also when another joins in the same change', () => {
    const { changes, held } = fold([
      [row('a'), row('b')],
      [row('a'), row('c')],
    ]);
    expect(changes[1]).toMatchObject({ reset: false, remove: ['b'] });
    expect(changes[1]!.upsert.map((r) => r.id)).toEqual(['c']);
    expect([...held.keys()]).toEqual(['a', 'c']);
  });

  it('puts a row that comes back at the end, as a console does, and hands a new console the same list', () => {
    const { server, held } = fold([
      [row('a'), row('b'), row('c')],
      [row('a'), row('c')],
      [row('b'), row('a'), row('c')],
    ]);
    expect([...held.keys()]).toEqual(['a', 'c', 'b']);
    const fresh: TraineeRows = new Map();
    applyTraineeChanges(fresh, server.all());
    expect([...fresh.entries()]).toEqual([...held.entries()]);
  });

  it('starts over when the session changes', () => {
    const server = new ConsoleTraineeRows();
    server.change('s1', [row('a')]);
    const c = server.change('s2', [row('b')]);
    expect(c).toMatchObject({ sessionId: 's2', reset: true, remove: [] });
    expect(c!.upsert.map((r) => r.id)).toEqual(['b']);
    expect(server.change('s2', [])).toMatchObject({ reset: false, upsert: [], remove: ['b'] });
  });
});
