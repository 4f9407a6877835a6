// What the phone keeps (renderer/trainee/storage.ts): one versioned record, the first version's
// separate keys read into it, and whatever else is in storage taken only as far as it is sound.
import { describe, expect, it } from 'vitest';
import { STORAGE_KEY, emptyStored, load } from '../../renderer/trainee/storage';
import { TOKEN, memory, view } from '../helpers/trainee-phone';

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
