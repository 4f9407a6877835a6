// The phone's outbox (renderer/trainee/outbox.ts): what waits to be sent, in which order, and what
// is taken back from storage.
import { describe, expect, it } from 'vitest';
import { enqueue, isOutboxItem } from '../../renderer/trainee/outbox';
import type { OutboxItem } from '../../renderer/trainee/outbox';

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
