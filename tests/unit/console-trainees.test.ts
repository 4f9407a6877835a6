// The consoles' trainee list as changes: what each change says, and that a console folding the
// changes holds exactly the server's list, in the order of first sending.
import { describe, expect, it } from 'vitest';
import { applyTraineeChanges, type TraineeRows } from '../../shared/console-delta';
import type { TraineeRow } from '../../shared/protocol';
import { ConsoleTraineeRows, ROW_FIELDS, patchOf } from '../../main/server/console-trainees';

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

  it('sends only the rows that changed, and of each only its id and the fields that changed', () => {
    const { changes, held } = fold([
      [row('a'), row('b'), row('c')],
      [row('a'), row('b', { answered: true }), row('c', { connected: false, name: 'C. Ode' })],
    ]);
    expect(changes[1]).toMatchObject({ reset: false, upsert: [], remove: [] });
    expect(changes[1]!.patch).toEqual([
      { id: 'b', answered: true },
      { id: 'c', connected: false, name: 'C. Ode' },
    ]);
    // The console puts each patch on the row it holds: whole rows again, in their places.
    expect([...held.values()]).toEqual([
      row('a'),
      row('b', { answered: true }),
      row('c', { connected: false, name: 'C. Ode' }),
    ]);
  });

  it('a change to any one field of a row is a patch of that field alone', () => {
    const values: { [K in (typeof ROW_FIELDS)[number]]: TraineeRow[K] } = {
      name: 'Other Name',
      officerId: 'Z9',
      agency: 'Sheriff',
      connected: false,
      answered: true,
      onRoster: true,
      walkIn: true,
    };
    expect(ROW_FIELDS).toHaveLength(Object.keys(row('a')).length - 1);
    for (const k of ROW_FIELDS) {
      const changed = { ...row('a'), [k]: values[k] };
      expect(changed[k]).not.toEqual(row('a')[k]);
      expect(patchOf(row('a'), changed)).toEqual({ id: 'a', [k]: values[k] });
    }
    expect(patchOf(row('a'), row('a'))).toBeNull();
  });

  it('a class answering: every row changes one field, and the change is a fraction of the rows', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    const { changes, held } = fold([
      ids.map((id) => row(id)),
      ids.map((id) => row(id, { answered: true })),
    ]);
    expect(changes[1]!.patch).toHaveLength(500);
    expect(changes[1]!.patch.every((p) => Object.keys(p).join() === 'id,answered')).toBe(true);
    const whole = JSON.stringify(ids.map((id) => row(id, { answered: true }))).length;
    expect(JSON.stringify(changes[1]).length).toBeLessThan(whole / 3);
    expect([...held.values()]).toEqual(ids.map((id) => row(id, { answered: true })));
  });

  it('folded at every step of a long random class, a console holds exactly the list, in order of first sending', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // What a console should hold: the rows by id, a row that comes back put at the end.
    const expected = new Map<string, TraineeRow>();
    let list: TraineeRow[] = [];
    const server = new ConsoleTraineeRows();
    const held: TraineeRows = new Map();
    for (let step = 0; step < 300; step++) {
      const next = list.filter(() => rand(20) !== 0);
      for (let k = rand(3); k > 0; k--) {
        const id = `r${rand(40)}`;
        if (!next.some((r) => r.id === id)) next.push(row(id));
      }
      list = next.map((r) =>
        rand(4) === 0
          ? {
              ...r,
              connected: rand(2) === 0,
              answered: rand(2) === 0,
              ...(rand(5) === 0 ? { name: `N${rand(99)}` } : {}),
            }
          : r,
      );
      const c = server.change('s1', list);
      if (c) applyTraineeChanges(held, c);
      for (const id of [...expected.keys()])
        if (!list.some((r) => r.id === id)) expected.delete(id);
      for (const r of list) expected.set(r.id, r);
      expect([...held.entries()]).toEqual([...expected.entries()]);
    }
  });

  it('a row handed again as the same object, or an equal one, is not sent again', () => {
    const a = row('a');
    const server = new ConsoleTraineeRows();
    server.change('s1', [a, row('b')]);
    expect(server.change('s1', [a, row('b')])).toBeNull();
    const c = server.change('s1', [a, row('b', { connected: false })]);
    expect(c!.upsert).toEqual([]);
    expect(c!.patch).toEqual([{ id: 'b', connected: false }]);
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
