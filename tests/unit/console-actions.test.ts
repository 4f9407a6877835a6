// The console's one primary action for the moment, and the words under its picture of the
// projector, from the view alone (renderer/console/actions.ts).
import { describe, expect, it } from 'vitest';
import { actionsFor, screenLabel } from '../../renderer/console/actions';
import type { ConsoleView, ProjectorView } from '../../shared/protocol';

type Session = NonNullable<ConsoleView['session']>;
const question = { id: 'q', type: 'single' as const, prompt: 'Pick', options: ['A', 'B'] };
const session = (over: Partial<Session>): Session =>
  ({
    phase: 'presenting',
    slideIndex: 2,
    slideCount: 10,
    slide: { index: 2, id: 's', html: '', title: 'S', question: null },
    runId: null,
    scenario: null,
    ...over,
  }) as Session;
const names = (s: Session) => {
  const a = actionsFor(s);
  return [a.primary?.label ?? null, ...a.others.map((o) => o.label)];
};

describe('the primary action', () => {
  it('walks a question: Open question → Close question → Show results → Next slide', () => {
    const slide = { index: 2, id: 's', html: '', title: 'S', question };
    expect(names(session({ slide }))).toEqual(['Open question', 'Next slide']);
    expect(names(session({ slide, phase: 'question', runId: 'r' }))).toEqual([
      'Close question',
      'Show results',
    ]);
    expect(names(session({ slide, phase: 'closed', runId: 'r' }))).toEqual([
      'Show results',
      'Next slide',
    ]);
    expect(names(session({ slide, phase: 'results', runId: 'r' }))).toEqual(['Next slide']);
    expect(names(session({}))).toEqual(['Next slide']);
    expect(names(session({ slideIndex: 9 }))).toEqual([null]);
    expect(actionsFor(session({ slide, phase: 'question' })).primary?.cmd).toEqual({
      type: 'closeQuestion',
    });
  });

  it('walks a role-play decision: Open vote → Close vote → Reveal debrief → Follow the class (or the recommended branch)', () => {
    const node = {
      id: 'a',
      situationHtml: '',
      prompt: 'Now?',
      options: [
        { id: 'wait', text: 'Wait', next: 'b', feedback: null },
        { id: 'act', text: 'Act', next: 'c', feedback: null },
      ],
      best: 'wait',
      debriefHtml: null,
      notes: '',
      end: false,
    };
    const scenario = { title: 'X', node, path: [], majority: null as string | null };
    expect(names(session({ scenario }))).toEqual(['Open vote', 'Next slide']);
    expect(names(session({ scenario, phase: 'question', runId: 'r' }))).toEqual([
      'Close vote',
      'Reveal debrief',
    ]);
    expect(names(session({ scenario, phase: 'closed', runId: 'r' }))).toEqual([
      'Reveal debrief',
      'Next slide',
    ]);
    const revealed = actionsFor(
      session({ scenario: { ...scenario, majority: 'act' }, phase: 'results', runId: 'r' }),
    );
    expect(revealed.primary).toEqual({
      label: 'Follow: Act',
      cmd: { type: 'follow', option: 'act' },
    });
    expect(revealed.follows).toBe('act');
    expect(actionsFor(session({ scenario, phase: 'results', runId: 'r' })).primary?.label).toBe(
      'Follow: Wait',
    );
    expect(
      names(session({ scenario: { ...scenario, node: { ...node, end: true, options: [] } } })),
    ).toEqual(['Next slide']);
  });

  it('never offers the same action twice', () => {
    const slide = { index: 2, id: 's', html: '', title: 'S', question };
    for (const phase of ['lobby', 'presenting', 'question', 'closed', 'results'] as const) {
      const all = names(session({ slide, phase, runId: phase === 'presenting' ? null : 'r' }));
      expect(new Set(all).size).toBe(all.length);
    }
  });
});

describe('what the console says the projector shows', () => {
  const view = (over: Partial<ProjectorView>): ProjectorView =>
    ({
      t: 'projector',
      screen: 'slide',
      phase: 'presenting',
      slide: { index: 3, id: 's', html: '', title: 'Force, fraud, coercion', question: null },
      blank: 'none',
      results: null,
      scenario: null,
      assessment: null,
      ...over,
    }) as ProjectorView;
  it('names the screen, and a black or white screen above all', () => {
    expect(screenLabel(view({}))).toBe('Slide 4: Force, fraud, coercion');
    expect(screenLabel(view({ screen: 'question', phase: 'question' }))).toBe('Question');
    expect(screenLabel(view({ screen: 'question', phase: 'closed' }))).toBe('Question, closed');
    expect(screenLabel(view({ screen: 'results' }))).toBe('Results');
    expect(screenLabel(view({ screen: 'qa' }))).toBe('Q&A board');
    expect(screenLabel(view({ screen: 'qa', blank: 'black' }))).toBe('Black screen');
    expect(screenLabel(view({ screen: 'leaderboard' }))).toBe('Leaderboard');
    expect(screenLabel(null)).toBe('Not connected');
  });
});
