/**
 * What the projector may show, decided by the pure view builders (main/session/views/room.ts):
 * one thing at a time, the split of answers only when the instructor shows it, and a ranking's
 * answer key never in what the room sees.
 */
import { describe, expect, it } from 'vitest';
import type { SessionEngine } from '../../main/session/engine';
import { projectorView } from '../../main/session/views/room';
import type { RoomViewInput, Stage } from '../../main/session/views/room';
import type { Deck, Slide } from '../../shared/course';
import type { QuestionDef } from '../../shared/question';
import type { ProjectorView } from '../../shared/protocol';
import { commit, engineFor } from '../helpers/engine';

const slide = (
  id: string,
  question: QuestionDef | null = null,
  extra: Partial<Slide> = {},
): Slide => ({
  id,
  line: 1,
  title: id,
  html: `<h1>${id}</h1>`,
  notes: '',
  question,
  scenario: null,
  ...extra,
});
const RANK = ['First', 'Second', 'Third', 'Fourth'];
const node = (id: string, options: [string, string][], best?: string) => ({
  id,
  situationHtml: `<p>situation ${id}</p>`,
  prompt: options.length ? 'What now?' : null,
  options: options.map(([oid, next]) => ({ id: oid, text: `Do ${oid}`, next, feedback: null })),
  best: best ?? null,
  debriefHtml: '<p>why</p>',
  notes: '',
  end: options.length === 0,
});
const deck = (livePolls?: boolean): Deck => ({
  course: 'c',
  courseTitle: 'Course',
  file: 'd.md',
  title: 'Deck',
  minutes: 10,
  ...(livePolls === undefined ? {} : { livePolls }),
  slides: [
    slide('intro'),
    slide('graded', {
      id: 'q1',
      type: 'single',
      prompt: 'Pick',
      options: ['A', 'B', 'C'],
      correct: 'B',
    }),
    slide('poll', { id: 'q2', type: 'single', prompt: 'Shift?', options: ['Days', 'Nights'] }),
    slide('live', {
      id: 'q3',
      type: 'single',
      prompt: 'Shift?',
      options: ['Days', 'Nights'],
      live: true,
    }),
    slide('rank', { id: 'q4', type: 'ranking', prompt: 'Order them', options: RANK, graded: true }),
    slide('board', null, { qaPrompt: 'Ask away' }),
    {
      ...slide('scn'),
      scenario: 'scenarios/x.yaml',
      scenarioDef: {
        id: 'x',
        title: 'X',
        start: 'a',
        nodes: {
          a: node(
            'a',
            [
              ['wait', 'b'],
              ['act', 'b'],
            ],
            'wait',
          ),
          b: node('b', []),
        },
      },
    },
  ],
});

function room(livePolls?: boolean) {
  const d = deck(livePolls);
  const e = engineFor(d);
  commit(e, e.start({ sessionId: 'secret-session-id', roomCode: '123456', deck: d, now: 0 }));
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
  const stage: Stage = {
    blank: 'none',
    theme: 'dark',
    showJoin: true,
    overlay: null,
    gain: null,
    hidePrompt: false,
    profanityFilter: false,
  };
  let leaderboard: ProjectorView['leaderboard'] = null;
  const input = (): RoomViewInput => ({
    engine: e,
    stage,
    now: 10,
    connected: () => true,
    join: () => ({
      url: 'http://x/join/',
      host: 'x',
      roomCode: '123456',
      qr: '',
      show: stage.showJoin,
    }),
    decks: [d],
    deckSummaries: [],
    hosts: [],
    roster: null,
    claims: [],
    alert: null,
    lastDeck: () => null,
    game: {
      console: () => ({ mode: 'off', show: false, questions: 0, standings: [] }),
      leaderboard: () => leaderboard,
    },
  });
  return {
    e,
    stage,
    view: () => projectorView(input()),
    setLeaderboard: (rows: ProjectorView['leaderboard']) => (leaderboard = rows),
  };
}

function answerAll(e: SessionEngine, values: unknown[]) {
  values.forEach((v, i) =>
    commit(
      e,
      e.answer({
        traineeId: `t${i + 1}`,
        runId: e.run!.runId,
        msgId: `msg-${e.run!.runId}-${i}`,
        value: v as never,
        now: 5,
      }),
    ),
  );
}

describe('the projector shows the split only when the instructor shows it', () => {
  it('a graded question: the count of answers while open and closed, never the split; the split and the key once shown', () => {
    const { e, view } = room();
    commit(e, e.goto(1, 2));
    expect(view()).toMatchObject({ screen: 'question', results: null });
    commit(e, e.openQuestion('r1', 3));
    answerAll(e, ['B', 'B', 'A']);
    expect(view()).toMatchObject({ screen: 'question', answered: 3, results: null });
    commit(e, e.closeQuestion(6));
    expect(view()).toMatchObject({ screen: 'question', results: null });
    commit(e, e.showResults(7));
    expect(view()).toMatchObject({
      screen: 'results',
      results: { kind: 'bars', counts: [1, 2, 0], correct: ['B'] },
    });
  });

  it('a poll stays hidden too, unless its author made it live (the question, or the course for every poll)', () => {
    const plain = room();
    commit(plain.e, plain.e.goto(2, 2));
    commit(plain.e, plain.e.openQuestion('r1', 3));
    answerAll(plain.e, ['Days']);
    expect(plain.view().results).toBeNull();
    commit(plain.e, plain.e.closeQuestion(4));
    commit(plain.e, plain.e.goto(3, 4));
    commit(plain.e, plain.e.openQuestion('r2', 5));
    answerAll(plain.e, ['Nights', 'Days']);
    expect(plain.view()).toMatchObject({ screen: 'question', results: { counts: [1, 1] } });

    const course = room(true);
    commit(course.e, course.e.goto(2, 2));
    commit(course.e, course.e.openQuestion('r1', 3));
    answerAll(course.e, ['Days']);
    expect(course.view().results).toMatchObject({ counts: [1, 0] });
    // A graded question is never live, whatever the course says.
    commit(course.e, course.e.closeQuestion(4));
    commit(course.e, course.e.goto(1, 5));
    commit(course.e, course.e.openQuestion('r2', 6));
    answerAll(course.e, ['B']);
    expect(course.view().results).toBeNull();
  });

  it('a role-play vote: how many voted while open, the split at the reveal', () => {
    const { e, view } = room(true);
    commit(e, e.goto(6, 2));
    commit(e, e.openQuestion('r1', 3));
    answerAll(e, ['Do act', 'Do act', 'Do wait']);
    expect(view()).toMatchObject({
      screen: 'scenario',
      answered: 3,
      results: null,
      scenario: { debrief: null },
    });
    commit(e, e.showResults(4));
    expect(view()).toMatchObject({
      screen: 'scenario',
      results: { counts: [1, 2] },
      scenario: { debrief: { best: 'Do wait' } },
    });
  });
});

describe('one thing at a time', () => {
  it('what the instructor put up is the screen, and everything else is left out of the view', () => {
    const { e, stage, view, setLeaderboard } = room();
    expect(view().screen).toBe('join');
    stage.showJoin = false;
    expect(view().screen).toBe('slide');
    commit(e, e.goto(1, 2));
    commit(e, e.openQuestion('r1', 3));
    stage.overlay = 'qa';
    expect(view()).toMatchObject({
      screen: 'qa',
      qa: { prompt: null, items: [] },
      results: null,
      scenario: null,
      leaderboard: null,
      assessment: null,
    });
    // The leaderboard is shown only while the game has one.
    stage.overlay = 'leaderboard';
    expect(view().screen).toBe('question');
    setLeaderboard([{ rank: 1, nickname: 'Unit 1', points: 900 }]);
    expect(view()).toMatchObject({
      screen: 'leaderboard',
      qa: null,
      leaderboard: [{ nickname: 'Unit 1' }],
    });
    stage.overlay = null;
    expect(view()).toMatchObject({ screen: 'question', qa: null, leaderboard: null });
    // A black screen covers whatever the screen is.
    stage.blank = 'black';
    expect(view()).toMatchObject({ screen: 'question', blank: 'black' });
  });

  it('a Q&A slide shows the board; the end of the class shows only the end', () => {
    const { e, stage, view } = room();
    commit(e, e.goto(5, 2));
    expect(view()).toMatchObject({ screen: 'qa', qa: { prompt: 'Ask away' } });
    stage.overlay = 'qa';
    commit(e, e.end(3));
    expect(view()).toMatchObject({ screen: 'ended', qa: null, join: null });
  });
});

describe('a graded ranking never shows its answer key before the reveal', () => {
  it('the projector, the console and the phones get the items scrambled by the session, never in the authored order', () => {
    const { e, view } = room();
    commit(e, e.goto(4, 2));
    const projected = view().slide!.question!.options!;
    expect(projected).not.toEqual(RANK);
    expect([...projected].sort()).toEqual([...RANK].sort());
    commit(e, e.openQuestion('r1', 3));
    const phone = e.traineeView(4, { hidePrompt: false, profanityFilter: false });
    expect(phone.question!.q.options).toEqual(projected);
    expect(JSON.stringify(phone)).not.toContain('"correct"');
    // Another session puts them in another order (the key is the session, never sent to a phone).
    const orders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const d = deck();
      const other = engineFor(d);
      commit(
        other,
        other.start({ sessionId: `session-${i}`, roomCode: '123456', deck: d, now: 0 }),
      );
      commit(other, other.goto(4, 1));
      const o = other.slideView(4)!.question!.options!;
      expect(o).not.toEqual(RANK);
      orders.add(o.join('|'));
    }
    expect(orders.size).toBeGreaterThan(10);
    // At the reveal, the key: the whole order, top first.
    commit(e, e.showResults(5));
    expect(e.traineeView(6, { hidePrompt: false, profanityFilter: false }).reveal).toEqual({
      correct: RANK,
      explanation: null,
    });
  });
});
