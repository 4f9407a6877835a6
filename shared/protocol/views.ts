/**
 * What the console and the projector are sent: views built by the server from the session's
 * memory and the room's presentation state.
 */
import type { PublicQuestion } from '../question';
import type { ResultsView } from '../results';
import type { AssessmentKind, ScenarioNodeView } from '../course';
import type { RosterSummary } from '../roster';
import type { RecordsServerStatus } from '../records-server';
import type {
  BlankMode,
  GameMode,
  ProjectorOverlay,
  ProjectorScreen,
  ProjectorTheme,
  QaStatus,
  SessionPhase,
} from '../vocabulary';
import type { ErrorReply, QaBoardItem } from './trainee';
import type { CommandResult } from './instructor';

/** A Q&A question as the instructor moderates it; `name` is null for anonymous questions. */
export interface QaConsoleItem extends QaBoardItem {
  status: QaStatus;
  name: string | null;
  anonymous: boolean;
  /** The filter is on and the text has profanity: the room sees it masked, the instructor as typed. */
  profane?: boolean;
}

export interface SlideView {
  index: number;
  id: string;
  /** HTML rendered from the deck's Markdown with raw HTML disabled: instructor content only. */
  html: string;
  title: string;
  question: PublicQuestion | null;
}

export interface JoinInfo {
  url: string;
  host: string;
  roomCode: string;
  /** SVG of the QR code for `url`, as a data: URL. */
  qr: string;
  show: boolean;
}

export interface TraineeRow {
  id: string;
  name: string;
  officerId: string;
  agency: string;
  connected: boolean;
  answered: boolean;
  /** The class has a roster and this officer ID is on it. */
  onRoster: boolean;
  /** The class has a roster and this officer ID is not on it. Both false when there is no roster. */
  walkIn: boolean;
}

/** One line of the console's slide overview. */
export interface OutlineItem {
  index: number;
  id: string;
  title: string;
  question: boolean;
}

export interface DeckSummary {
  course: string;
  courseTitle: string;
  file: string;
  title: string;
  slides: number;
}

/** A scenario as the console sees it: everything, including the debrief and notes. */
export interface ConsoleScenario {
  title: string;
  node: ScenarioNodeView;
  path: { fromNode: string; option: string; toNode: string; voted: boolean }[];
  /** The option most trainees voted for, once a vote was held. */
  majority: string | null;
}

/** A scenario as the room sees it: the debrief only once revealed, never the notes. */
export interface ProjectorScenario {
  title: string;
  nodeId: string;
  situationHtml: string;
  prompt: string | null;
  end: boolean;
  step: number;
  /** Present once the instructor reveals the debrief (or at an end node). */
  debrief: null | { html: string | null; best: string | null };
}

export interface DeckPreview {
  course: string;
  courseTitle: string;
  file: string;
  title: string;
  minutes: number | null;
  slides: (SlideView & { notes: string })[];
}

/** An assessment the course offers, as the console lists it. */
export interface AssessmentSummary {
  key: string;
  title: string;
  kind: AssessmentKind;
  questions: number;
  minutes: number | null;
}

/** The assessment in progress (or just closed), as the instructor follows it. */
export interface ConsoleAssessment {
  id: string;
  key: string;
  title: string;
  kind: AssessmentKind;
  open: boolean;
  questions: number;
  /** Questions with a correct answer (0 for an evaluation). */
  graded: number;
  submitted: number;
  /** One row per trainee in the class; the score counts unanswered questions as wrong. */
  rows: {
    traineeId: string;
    name: string;
    officerId: string;
    connected: boolean;
    answered: number;
    submitted: boolean;
    scorePercent: number | null;
  }[];
}

/**
 * Knowledge gain: the same trainees' pre-test and post-test scores (percent). A trainee's pre-test
 * comes from this session or, failing that, their latest earlier session of the same course.
 */
export interface KnowledgeGain {
  pretestTitle: string;
  posttestTitle: string;
  /** Trainees with both scores. */
  matched: number;
  /** Trainees who took the post-test. */
  posttestTakers: number;
  preMean: number | null;
  postMean: number | null;
  /** postMean − preMean over the matched trainees, in percentage points. */
  gain: number | null;
  /** Share correct (percent) by topic tag, pre against post, over the matched trainees. */
  byTag: { tag: string; pre: number | null; post: number | null }[];
  /** Per trainee (for the console and the records; never on the projector). */
  trainees: { officerId: string; name: string; pre: number | null; post: number | null }[];
}

/** A phone asking to join under an officer ID that is already in the class, waiting for the instructor. */
export interface ConsoleClaim {
  id: string;
  at: number;
  /** What the new phone typed. */
  claimed: { name: string; officerId: string; agency: string };
  /** The trainee who has that officer ID now. */
  trainee: { id: string; name: string; officerId: string; agency: string; connected: boolean };
}

export interface ConsoleView {
  t: 'console';
  /**
   * Something the instructor must act on that no button shows, e.g. the records could not be
   * written (a full disk): the class goes on, nothing is lost, but new answers wait on the phones.
   */
  alert: { message: string; at: number } | null;
  decks: DeckSummary[];
  /** The deck the last session presented (its course is the one the library opens on), if any. */
  lastDeck: { course: string; file: string } | null;
  hosts: string[];
  /** The roster that applies: the running session's, or (no session running) the next one's. */
  roster: RosterSummary | null;
  /** The academy records server, when this console is enrolled: its state in words. */
  recordsServer?: RecordsServerStatus;
  session: null | {
    id: string;
    phase: SessionPhase;
    title: string;
    slideIndex: number;
    slideCount: number;
    startedAt: number;
    slide: SlideView | null;
    next: SlideView | null;
    notes: string;
    notesHtml: string;
    outline: OutlineItem[];
    /** Planned minutes for this module, from the course; null when the deck has none. */
    plannedMinutes: number | null;
    /** Milliseconds since this module started, when this view was sent (the server owns time). */
    elapsedMs: number;
    /** Milliseconds since the class day (the session) started, across its modules. */
    dayElapsedMs: number;
    blank: BlankMode;
    theme: ProjectorTheme;
    scenario: ConsoleScenario | null;
    qa: QaConsoleItem[];
    /** What the instructor put up over the lecture on the projector, if anything (one at a time). */
    overlay: ProjectorOverlay | null;
    /** The Q&A board is up (`overlay` is 'qa'). */
    showQa: boolean;
    details: { instructors: string; location: string };
    runId: string | null;
    remainingMs: number | null;
    /** The course's modules (decks), in order; `file` of the one presented now is `moduleFile`. */
    modules: { file: string; title: string; minutes: number | null }[];
    moduleFile: string;
    /** The course's assessments, which this session can give. */
    assessments: AssessmentSummary[];
    assessment: ConsoleAssessment | null;
    /** Computed when the instructor asks for it; shown on the projector while `showGain`. */
    gain: KnowledgeGain | null;
    /** The knowledge gain is up (`overlay` is 'gain'). */
    showGain: boolean;
    hidePrompt: boolean;
    profanityFilter: boolean;
    game: ConsoleGame;
    join: JoinInfo;
    trainees: TraineeRow[];
    /** Phones waiting for the instructor to confirm who they are. */
    claims: ConsoleClaim[];
    results: ResultsView | null;
  };
}

/** The game as the instructor runs it: every trainee's nickname next to their real name. */
export interface ConsoleGame {
  mode: GameMode;
  /** The projector shows the leaderboard. */
  show: boolean;
  /** Counted questions revealed so far. */
  questions: number;
  /** Empty while the game is off. */
  standings: {
    traineeId: string;
    name: string;
    nickname: string;
    custom: boolean;
    points: number;
    rank: number;
    streak: number;
  }[];
}

/** One line of the projected leaderboard: nickname and points only, never a name or an officer ID. */
export interface LeaderboardRow {
  rank: number;
  nickname: string;
  points: number;
}

export interface ProjectorView {
  t: 'projector';
  /** The one thing the projector shows; the fields below that belong to other screens are empty. */
  screen: ProjectorScreen;
  phase: SessionPhase | 'idle';
  title: string;
  slide: SlideView | null;
  join: JoinInfo | null;
  joined: number;
  answered: number;
  /**
   * The split of answers, once the instructor shows the results (or reveals a role-play vote); a
   * poll made live by its author shows it while open. Never while a graded question is open.
   */
  results: ResultsView | null;
  remainingMs: number | null;
  /** A black or white screen covers `screen`. */
  blank: BlankMode;
  theme: ProjectorTheme;
  scenario: ProjectorScenario | null;
  /** The Q&A board, when it is the screen: the instructor put it up, or the slide is a Q&A slide. */
  qa: null | { prompt: string | null; items: QaBoardItem[] };
  /** A self-paced assessment in progress: its progress, and the knowledge gain once shown (class figures only). */
  assessment: null | {
    title: string;
    kind: AssessmentKind;
    open: boolean;
    questions: number;
    submitted: number;
    joined: number;
    gain: Omit<KnowledgeGain, 'trainees'> | null;
  };
  /** The game's top 10, while the instructor shows it (leaderboard mode only). */
  leaderboard: null | LeaderboardRow[];
}

export type ServerToInstructor = ConsoleView | ProjectorView | CommandResult | ErrorReply;

/** Turns a zod error into one short sentence for the person who sent the message. */
