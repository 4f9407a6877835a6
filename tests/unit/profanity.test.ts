import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasProfanity, maskProfanity } from '../../main/session/profanity';
import type { Deck } from '../../shared/course';
import { commit, engineFor } from '../helpers/engine';
import { ROOT } from '../helpers/app';

describe('the profanity filter', () => {
  it('masks swear words, disguised ones too, and leaves the rest of the text', () => {
    expect(maskProfanity('this is shit')).toBe('this is ****');
    expect(hasProfanity('what the f*ck')).toBe(true);
    expect(hasProfanity('sh1t happens')).toBe(true);
    expect(maskProfanity('Call the hotline')).toBe('Call the hotline');
  });

  it('never flags the words this course has to use', () => {
    for (const t of [
      'sex trafficking',
      'a commercial sex act',
      'rape victim',
      'child pornography',
      'traffickers',
      'assess the scene',
      'analysis',
      'Scunthorpe',
    ])
      expect(hasProfanity(t), t).toBe(false);
  });

  it('flags nothing in the whole shipped course', () => {
    const dir = path.join(ROOT, 'content');
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
      /\.(md|ya?ml)$/.test(f),
    );
    expect(files.length).toBeGreaterThan(10);
    const flagged: string[] = [];
    for (const f of files)
      fs.readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (hasProfanity(line)) flagged.push(`${f}:${i + 1}: ${line.trim().slice(0, 80)}`);
        });
    expect(flagged).toEqual([]);
  });

  it('in the engine: the room sees the Q&A board and word cloud filtered only when it is on', () => {
    const deck: Deck = {
      course: 'c',
      courseTitle: 'C',
      file: 'd.md',
      title: 'D',
      minutes: null,
      slides: [
        {
          id: 'w',
          line: 1,
          title: 'w',
          html: '',
          notes: '',
          scenario: null,
          question: { id: 'w', type: 'text', prompt: 'One word?', display: 'cloud' },
        },
      ],
    };
    const e = engineFor(deck);
    commit(e, e.start({ sessionId: 's', roomCode: '123456', deck, now: 0 }));
    for (const i of [1, 2, 3])
      commit(
        e,
        e.join({
          traineeId: `t${i}`,
          tokenHash: `h${i}`,
          name: `N${i}`,
          officerId: `${i}`,
          agency: 'PD',
          roomCode: '123456',
          now: 1,
        }),
      );
    const q = commit(
      e,
      e.ask({
        qaId: 'q1',
        traineeId: 't1',
        text: 'why is this shit so hard',
        anonymous: true,
        msgId: 'msg-qa-1',
        now: 2,
      }),
    );
    expect(q.ops[0]).toMatchObject({ op: 'qaAsk', text: 'why is this shit so hard' });
    commit(e, e.moderate({ qaId: 'q1', action: 'approve', now: 3 }));
    commit(e, e.openQuestion('r1', 4));
    commit(e, e.answer({ traineeId: 't1', runId: 'r1', msgId: 'msg-a-1', value: 'fuck', now: 5 }));
    commit(
      e,
      e.answer({ traineeId: 't2', runId: 'r1', msgId: 'msg-a-2', value: 'coercion', now: 5 }),
    );
    commit(
      e,
      e.answer({ traineeId: 't3', runId: 'r1', msgId: 'msg-a-3', value: 'coercion', now: 5 }),
    );
    const room = { hidePrompt: false, profanityFilter: false };
    const words = () => (e.results(room) as { words: { text: string }[] }).words.map((w) => w.text);
    expect(e.qaBoard(room)[0].text).toBe('why is this shit so hard');
    expect(words()).toContain('fuck');
    room.profanityFilter = true;
    expect(e.qaBoard(room)[0].text).toBe('why is this **** so hard');
    expect(e.traineeView(6, room).qa[0].text).toBe('why is this **** so hard');
    expect(words()).toEqual(['coercion']);
  });
});
