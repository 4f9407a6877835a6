/**
 * What the console and the projector show, built from the engine's memory and the room's
 * presentation state (the trainee's view is in trainee.ts beside it). Pure functions: the
 * classroom decides when to send them.
 */
import type { SessionEngine } from '../engine';
import type { Presentation } from './trainee';
import { hasProfanity } from '../profanity';
import type { Deck } from '../../../shared/course';
import type { RosterSummary } from '../../../shared/roster';
import { isGraded, publicQuestion } from '../../../shared/question';
import type { QuestionDef } from '../../../shared/question';
import type {
  BlankMode,
  ConsoleClaim,
  ConsoleGame,
  ConsoleScenario,
  ConsoleView,
  DeckPreview,
  DeckSummary,
  JoinInfo,
  KnowledgeGain,
  OutlineItem,
  ProjectorOverlay,
  ProjectorScenario,
  ProjectorScreen,
  ProjectorTheme,
  ProjectorView,
  QaConsoleItem,
} from '../../../shared/protocol';

/**
 * The room's presentation state: what the instructor chose to show, none of it a record. The
 * projector shows one thing at a time ({@link projectorScreen}); an overlay (the Q&A board, the
 * knowledge gain, the leaderboard) replaces the one before it, and the class's next step takes it
 * down (the command policies in main/server/commands.ts).
 */
export interface Stage extends Presentation {
  blank: BlankMode;
  theme: ProjectorTheme;
  showJoin: boolean;
  overlay: ProjectorOverlay | null;
  /** Knowledge gain, computed from the records when the instructor asks for it. */
  gain: KnowledgeGain | null;
}

export interface RoomViewInput {
  engine: SessionEngine;
  stage: Stage;
  now: number;
  connected: (traineeId: string) => boolean;
  join: () => JoinInfo;
  decks: readonly Deck[];
  deckSummaries: DeckSummary[];
  hosts: string[];
  roster: RosterSummary | null;
  claims: ConsoleClaim[];
  alert: ConsoleView['alert'];
  /** The deck the last session presented (read from the records only while no session runs). */
  lastDeck: () => ConsoleView['lastDeck'];
  /** `leaderboard`: the top 10 while the game runs with a leaderboard, whether shown or not. */
  game: { console: () => ConsoleGame; leaderboard: () => ProjectorView['leaderboard'] };
}

/** The slide overview; computed once per deck, since a deck does not change during a session. */
const outlineCache = new WeakMap<Deck, OutlineItem[]>();
function outline(deck: Deck): OutlineItem[] {
  let o = outlineCache.get(deck);
  if (!o) {
    o = deck.slides.map((sl, index) => ({
      index,
      id: sl.id,
      title: sl.title,
      question: sl.question !== null,
    }));
    outlineCache.set(deck, o);
  }
  return o;
}

export function consoleView(r: RoomViewInput): ConsoleView {
  const e = r.engine;
  const s = e.session;
  const st = r.stage;
  return {
    t: 'console',
    alert: r.alert,
    decks: r.deckSummaries,
    lastDeck: e.live() ? null : r.lastDeck(),
    hosts: r.hosts,
    roster: r.roster,
    session: s
      ? {
          id: s.id,
          phase: s.phase,
          title: s.deck.title,
          slideIndex: s.slideIndex,
          slideCount: s.deck.slides.length,
          startedAt: s.startedAt,
          slide: e.slideView(s.slideIndex),
          next: e.slideView(s.slideIndex + 1),
          notes: s.deck.slides[s.slideIndex]?.notes ?? '',
          notesHtml: s.deck.slides[s.slideIndex]?.notesHtml ?? '',
          outline: outline(s.deck),
          plannedMinutes: s.deck.minutes,
          // The module clock runs against the module's planned minutes; the day clock runs on across modules.
          elapsedMs: Math.max(0, r.now - (s.moduleStartedAt ?? s.startedAt)),
          dayElapsedMs: Math.max(0, r.now - s.startedAt),
          blank: st.blank,
          theme: st.theme,
          scenario: consoleScenario(e),
          qa: consoleQa(e, st),
          overlay: st.overlay,
          showQa: st.overlay === 'qa',
          details: { instructors: s.instructors ?? '', location: s.location ?? '' },
          runId: e.run?.runId ?? null,
          remainingMs: e.remainingMs(r.now),
          modules: r.decks
            .filter((d) => d.course === s.deck.course)
            .map((d) => ({ file: d.file, title: d.title, minutes: d.minutes })),
          moduleFile: s.deck.file,
          assessments: (s.deck.assessments ?? []).map((a) => ({
            key: a.key,
            title: a.title,
            kind: a.kind,
            questions: a.questions.length,
            minutes: a.minutes,
          })),
          assessment: e.consoleAssessment(r.connected),
          gain: st.gain,
          showGain: st.overlay === 'gain',
          hidePrompt: st.hidePrompt,
          game: r.game.console(),
          profanityFilter: st.profanityFilter,
          join: r.join(),
          trainees: e.traineeRows(r.connected),
          claims: r.claims,
          results: e.results(st),
        }
      : null,
  };
}

/**
 * The one thing the projector shows now. What the instructor put up last wins (an overlay), then
 * what the class is doing: a self-paced test, the join screen before the first slide, a role-play
 * decision, a Q&A slide, a question (its results once shown), or the slide.
 */
export function projectorScreen(
  e: SessionEngine,
  st: Stage,
  leaderboard: boolean,
): ProjectorScreen {
  const s = e.session;
  if (!s) return 'idle';
  if (s.phase === 'ended') return 'ended';
  if (st.overlay === 'leaderboard' && leaderboard) return 'leaderboard';
  if (st.overlay === 'gain' && st.gain) return 'gain';
  if (st.overlay === 'qa') return 'qa';
  if (e.assessment) return 'assessment';
  if (s.phase === 'lobby' && st.showJoin) return 'join';
  if (e.scenario) return 'scenario';
  const slide = s.deck.slides[s.slideIndex];
  if (slide?.qaPrompt) return 'qa';
  if (e.run) return s.phase === 'results' ? 'results' : 'question';
  return slide?.question ? 'question' : 'slide';
}

/** A poll the room may watch fill up while it is open: never a graded question (the room would follow the majority). */
export function isLivePoll(q: QuestionDef, livePolls: boolean | undefined): boolean {
  return !isGraded(q) && (q.live ?? livePolls ?? false);
}

export function projectorView(r: RoomViewInput): ProjectorView {
  const e = r.engine;
  const s = e.session;
  const st = r.stage;
  const rows = r.game.leaderboard();
  const screen = projectorScreen(e, st, rows !== null);
  if (!s)
    return {
      t: 'projector',
      screen,
      phase: 'idle',
      title: '',
      slide: null,
      join: null,
      joined: 0,
      answered: 0,
      results: null,
      remainingMs: null,
      blank: st.blank,
      theme: st.theme,
      scenario: null,
      qa: null,
      assessment: null,
      leaderboard: null,
    };
  const run = e.run;
  // The split reaches the room only when the instructor shows it: a graded question never shows
  // it while open, a role-play vote only at its reveal, a poll while open only if made live.
  const split =
    screen === 'results' ||
    (screen === 'question' &&
      run !== null &&
      s.phase !== 'results' &&
      isLivePoll(run.q, s.deck.livePolls)) ||
    (screen === 'scenario' && s.phase === 'results');
  return {
    t: 'projector',
    screen,
    phase: s.phase,
    title: s.deck.title,
    slide: e.slideView(s.slideIndex),
    join: s.phase === 'ended' ? null : r.join(),
    joined: e.trainees.size,
    answered: run?.answers.size ?? 0,
    results: run && split ? e.results(st) : null,
    remainingMs: e.remainingMs(r.now),
    blank: st.blank,
    theme: st.theme,
    scenario: screen === 'scenario' ? projectorScenario(e) : null,
    qa: screen === 'qa' ? projectorQa(e, st) : null,
    assessment:
      screen === 'assessment' || screen === 'gain'
        ? projectorAssessment(e, st, screen === 'gain')
        : null,
    leaderboard: screen === 'leaderboard' ? rows : null,
  };
}

/** The assessment's progress for the room (counts only, never who), or the knowledge gain when that is the screen. */
function projectorAssessment(
  e: SessionEngine,
  st: Stage,
  showGain: boolean,
): ProjectorView['assessment'] {
  const a = e.assessment;
  const gain = showGain && st.gain ? (({ trainees: _t, ...g }) => g)(st.gain) : null;
  if (!a && !gain) return null;
  return {
    title: a?.title ?? st.gain!.posttestTitle,
    kind: a?.kind ?? 'posttest',
    open: a ? a.closedAt === null : false,
    questions: a?.runs.length ?? 0,
    submitted: a?.submitted.size ?? 0,
    joined: e.trainees.size,
    gain,
  };
}

function consoleQa(e: SessionEngine, st: Stage): QaConsoleItem[] {
  return [...e.qa.values()]
    .sort(
      (a, b) => Number(b.pinned) - Number(a.pinned) || b.votes.size - a.votes.size || a.at - b.at,
    )
    .map((q) => ({
      id: q.id,
      text: q.text,
      votes: q.votes.size,
      pinned: q.pinned,
      answered: q.status === 'answered',
      status: q.status,
      anonymous: q.anonymous,
      name: q.traineeId ? (e.trainees.get(q.traineeId)?.name ?? null) : null,
      ...(st.profanityFilter && hasProfanity(q.text) ? { profane: true } : {}),
    }));
}

function projectorQa(e: SessionEngine, st: Stage): ProjectorView['qa'] {
  const s = e.session;
  const prompt = s?.deck.slides[s.slideIndex]?.qaPrompt ?? null;
  return { prompt, items: e.qaBoard(st).slice(0, 8) };
}

function consoleScenario(e: SessionEngine): ConsoleScenario | null {
  const sc = e.scenario;
  if (!sc) return null;
  const text = (nodeId: string, optionId: string) =>
    sc.def.nodes[nodeId]?.options.find((o) => o.id === optionId)?.text ?? optionId;
  return {
    title: sc.def.title,
    node: sc.def.nodes[sc.node],
    path: sc.path.map((p) => ({
      fromNode: p.fromNode,
      option: text(p.fromNode, p.optionId),
      toNode: p.toNode,
      voted: p.runId !== null,
    })),
    majority: e.majority(),
  };
}

function projectorScenario(e: SessionEngine): ProjectorScenario | null {
  const sc = e.scenario;
  const s = e.session;
  if (!sc || !s) return null;
  const node = sc.def.nodes[sc.node];
  if (!node) return null;
  const revealed = node.end || s.phase === 'results';
  return {
    title: sc.def.title,
    nodeId: node.id,
    situationHtml: node.situationHtml,
    prompt: node.prompt,
    end: node.end,
    step: sc.path.length,
    debrief: revealed
      ? { html: node.debriefHtml, best: node.options.find((o) => o.id === node.best)?.text ?? null }
      : null,
  };
}

/** A deck as the library previews it: every slide with its notes, before any session starts. */
export function deckPreview(
  decks: readonly Deck[],
  course: string,
  file: string,
): DeckPreview | null {
  const d = decks.find((x) => x.course === course && x.file === file);
  if (!d) return null;
  return {
    course: d.course,
    courseTitle: d.courseTitle,
    file: d.file,
    title: d.title,
    minutes: d.minutes,
    slides: d.slides.map((sl, index) => ({
      index,
      id: sl.id,
      html: sl.html,
      title: sl.title,
      question: sl.question ? publicQuestion(sl.question) : null,
      notes: sl.notes,
    })),
  };
}
