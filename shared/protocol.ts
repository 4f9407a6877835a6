/**
 * The wire protocol between the server (main/server) and the pages (renderer/).
 * Every message that crosses the network is parsed with one of these schemas (docs/ARCHITECTURE.md, rule 2);
 * the TypeScript types are inferred from them so the format has one definition.
 */
import { z } from 'zod';
import { AnswerValue } from './question';
import type { PublicQuestion, ResultsView } from './question';
import type { AssessmentKind, ScenarioNodeView } from './course';
import type { RosterSummary } from './roster';
import { cleanText } from './identity';

/** Limits that both sides know; the server enforces them. */
export const LIMITS = {
  /** Largest WebSocket message the server accepts, in bytes. */
  maxPayload: 4096,
  nameMax: 80,
  officerIdMax: 32,
  agencyMax: 120,
  /** Why a trainee's identity was corrected (audit log). */
  reasonMax: 500,
  questionMax: 280,
  /** A nickname for the optional game's leaderboard (never a name or an officer ID). */
  nicknameMax: 24,
} as const;

const msgId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'message id: 6–64 letters, digits, _ or -');
const text = (max: number, label: string) =>
  z
    .string()
    // Bounded before cleaning, so a huge string is refused before any work is done on it.
    .max(max * 8, `${label}: at most ${max} characters`)
    // Control, invisible and bidi characters have no place in a name, and full-width or compatibility
    // forms would make two people who look the same on a screen two different trainees (shared/identity.ts).
    .transform(cleanText)
    .pipe(z.string().min(1, `${label} is required`).max(max, `${label}: at most ${max} characters`));

/**
 * A nickname as the projector may show it: no control, format or bidirectional-override characters
 * (they could break a line or reorder the text around it), one space between words, trimmed.
 */
export function cleanNickname(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The optional game layer: off (the default), a projected leaderboard by nickname, or each phone its own points only. */
export type GameMode = 'off' | 'leaderboard' | 'private';

export const RoomCode = z.string().regex(/^[0-9]{6}$/, 'room code: 6 digits');

// ---------------------------------------------------------------- trainee → server
export const TraineeJoin = z
  .object({
    t: z.literal('join'),
    name: text(LIMITS.nameMax, 'Name'),
    officerId: text(LIMITS.officerIdMax, 'Officer ID'),
    agency: text(LIMITS.agencyMax, 'Agency'),
    roomCode: RoomCode,
  })
  .strict();
export const TraineeResume = z.object({ t: z.literal('resume'), token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) }).strict();
export const TraineeAnswer = z
  .object({ t: z.literal('answer'), id: msgId, runId: z.string().min(1).max(64), value: AnswerValue })
  .strict();
export const TraineePing = z.object({ t: z.literal('ping') }).strict();
/** A question for the Q&A board; `anonymous` means no link to the trainee anywhere, records included. */
export const TraineeAsk = z
  .object({ t: z.literal('ask'), id: msgId, text: text(LIMITS.questionMax, 'Question'), anonymous: z.boolean() })
  .strict();
/** A vote for a question on the board; `id` (optional for older pages) is echoed in the ack. */
export const TraineeVote = z.object({ t: z.literal('vote'), qaId: z.string().min(1).max(64), id: msgId.optional() }).strict();
/** The trainee has reviewed a self-paced assessment and hands it in; answers after this are refused. */
export const TraineeSubmit = z.object({ t: z.literal('submit'), id: msgId, assessmentId: z.string().min(1).max(64) }).strict();
/** The trainee's nickname for the game's leaderboard; '' goes back to the automatic one ("Unit 7"). */
export const TraineeNickname = z
  .object({
    t: z.literal('nickname'),
    id: msgId,
    nickname: z
      .string()
      .max(200, 'Nickname: at most 24 characters')
      .transform(cleanNickname)
      .pipe(z.string().max(LIMITS.nicknameMax, `Nickname: at most ${LIMITS.nicknameMax} characters`)),
  })
  .strict();
export const TraineeMessage = z.discriminatedUnion('t', [TraineeJoin, TraineeResume, TraineeAnswer, TraineePing, TraineeAsk, TraineeVote, TraineeSubmit, TraineeNickname]);
export type TraineeMessage = z.infer<typeof TraineeMessage>;

// ---------------------------------------------------------------- server → trainee
export type SessionPhase = 'lobby' | 'presenting' | 'question' | 'closed' | 'results' | 'ended';

/** What every phone in the room sees; the same bytes go to all of them. */
export interface TraineeView {
  t: 'view';
  phase: SessionPhase;
  title: string;
  question: null | {
    runId: string;
    q: PublicQuestion;
    open: boolean;
    /** Milliseconds left when the message was sent; the server owns time (docs/ARCHITECTURE.md, rule 5). */
    remainingMs: number | null;
  };
  /** Present once the instructor shows results: the correct labels and explanation, if any. */
  reveal: null | { correct: string[] | null; explanation: string | null };
  /** The Q&A board as the room sees it (approved questions; never who asked). */
  qa: QaBoardItem[];
  /** A self-paced assessment the class is taking (or just took); never carries a correct answer. */
  assessment: TraineeAssessment | null;
  /** The instructor's class-wide switch: the projector shows the question, so phones show only the answers. */
  hidePrompt?: boolean;
  /** The optional game is on (absent when off); each phone's own points come in a {@link TraineeGame}. */
  game?: Exclude<GameMode, 'off'>;
}

/**
 * One phone's own standing in the game, sent to that phone only (after a reveal, a welcome, a
 * nickname, the game being turned on). Never sent while the game is off.
 */
export interface TraineeGame {
  t: 'game';
  mode: Exclude<GameMode, 'off'>;
  nickname: string;
  points: number;
  rank: number;
  /** Trainees in the class. */
  of: number;
  streak: number;
  /** Points for the latest revealed question, and which run that was. */
  last: null | { runId: string; points: number };
  /** The nickname message this answers, if any. */
  id?: string;
}

/** An assessment as every phone gets it: all questions at once, so a phone can go on offline. */
export interface TraineeAssessment {
  id: string;
  title: string;
  kind: AssessmentKind;
  open: boolean;
  /** One question run per question, in order; answers are sent to the run like any answer. */
  questions: { runId: string; q: PublicQuestion }[];
}

export interface QaBoardItem {
  id: string;
  text: string;
  votes: number;
  pinned: boolean;
  answered: boolean;
}

/** A Q&A question as the instructor moderates it; `name` is null for anonymous questions. */
export interface QaConsoleItem extends QaBoardItem {
  status: 'pending' | 'approved' | 'hidden' | 'answered';
  name: string | null;
  anonymous: boolean;
  /** The filter is on and the text has profanity: the room sees it masked, the instructor as typed. */
  profane?: boolean;
}

export interface TraineeWelcome {
  t: 'welcome';
  token: string;
  trainee: { id: string; name: string; officerId: string; agency: string };
  /** This trainee's stored answer to the current question, so a reloaded phone shows it. */
  answer: null | { runId: string; value: AnswerValue };
  /** This trainee's stored answers to the assessment in the view, and whether they submitted it. */
  assessment: null | { id: string; answers: { runId: string; value: AnswerValue }[]; submitted: boolean };
}

export interface Ack {
  t: 'ack';
  id: string;
  runId: string;
}

export interface ErrorReply {
  t: 'error';
  code: 'invalid' | 'forbidden' | 'not-found' | 'closed' | 'room' | 'rate' | 'server';
  message: string;
  /** The message id the error answers, when it had one. */
  id?: string;
}

/**
 * The officer ID this phone joined with is already in the class on another phone: the instructor
 * is asked to confirm that it is the same person. The phone waits; the claim ends with a welcome
 * (allowed) or an error (refused).
 */
export interface TraineeClaimWait {
  t: 'claim';
  message: string;
}

/** Something the trainee must know about their identity (another phone asked to join as them). */
export interface TraineeNotice {
  t: 'notice';
  message: string;
}

/** This phone no longer speaks for its trainee (they moved to another phone): it forgets the class. */
export interface TraineeSignedOut {
  t: 'signed-out';
  message: string;
}

export type ServerToTrainee = TraineeView | TraineeWelcome | TraineeGame | Ack | ErrorReply | TraineeClaimWait | TraineeNotice | TraineeSignedOut;

// ---------------------------------------------------------------- instructor → server
export const DeckRef = z.object({ course: z.string().min(1).max(100), file: z.string().min(1).max(200) }).strict();
export type DeckRef = z.infer<typeof DeckRef>;

export const InstructorCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('startSession'), deck: DeckRef }).strict(),
  z.object({ type: z.literal('goto'), index: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('next') }).strict(),
  z.object({ type: z.literal('prev') }).strict(),
  z.object({ type: z.literal('openQuestion') }).strict(),
  z.object({ type: z.literal('closeQuestion') }).strict(),
  z.object({ type: z.literal('showResults') }).strict(),
  z.object({ type: z.literal('endSession') }).strict(),
  z.object({ type: z.literal('showJoin'), show: z.boolean() }).strict(),
  z.object({ type: z.literal('setJoinHost'), host: z.string().min(1).max(100) }).strict(),
  /** `toggle`: black (or white) again uncovers the screen; decided by the server, so two quick presses never race. */
  z.object({ type: z.literal('blank'), mode: z.enum(['none', 'black', 'white']), toggle: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('setTheme'), theme: z.enum(['dark', 'light', 'contrast']) }).strict(),
  z.object({ type: z.literal('qa'), qaId: z.string().min(1).max(64), action: z.enum(['approve', 'hide', 'answered', 'pin', 'unpin']) }).strict(),
  z.object({ type: z.literal('showQa'), show: z.boolean() }).strict(),
  /** Follow one branch of the current scenario decision. */
  z.object({ type: z.literal('follow'), option: z.string().min(1).max(100) }).strict(),
  /** Correct who a trainee is; audit-logged with the reason. Fields left out stay as they are. */
  z
    .object({
      type: z.literal('correctTrainee'),
      traineeId: z.string().min(1).max(64),
      name: text(LIMITS.nameMax, 'Name').optional(),
      officerId: text(LIMITS.officerIdMax, 'Officer ID').optional(),
      agency: text(LIMITS.agencyMax, 'Agency').optional(),
      reason: text(LIMITS.reasonMax, 'Reason'),
    })
    .strict(),
  /** Who taught the class and where, for the certification record; every change is audit-logged. */
  z
    .object({
      type: z.literal('sessionDetails'),
      instructors: z.string().trim().max(300),
      location: z.string().trim().max(300),
    })
    .strict(),
  /** Moves the class on to another module (deck file) of the same course; the session carries on. */
  z.object({ type: z.literal('switchModule'), file: z.string().min(1).max(200) }).strict(),
  /** Opens a self-paced assessment of the course (its key in course.yaml: `pretest`, `posttest` …). */
  z.object({ type: z.literal('openAssessment'), key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }).strict(),
  z.object({ type: z.literal('closeAssessment') }).strict(),
  /** Leaves the (closed) assessment: phones and the projector go back to the lecture. */
  z.object({ type: z.literal('dismissAssessment') }).strict(),
  /** Shows (or hides) the knowledge gain, pre-test against post-test, on the projector. */
  z.object({ type: z.literal('showGain'), show: z.boolean() }).strict(),
  /** Class-wide: phones show only the answer buttons, since the projector shows the question. */
  z.object({ type: z.literal('hidePrompt'), hide: z.boolean() }).strict(),
  /** The optional profanity filter on what the room sees of trainees' free text (kept in settings). */
  z.object({ type: z.literal('profanityFilter'), on: z.boolean() }).strict(),
  /** Move a trainee's phone(s) to another trainee; audit-logged with the reason. */
  z
    .object({
      type: z.literal('moveDevice'),
      fromTraineeId: z.string().min(1).max(64),
      toTraineeId: z.string().min(1).max(64),
      reason: text(LIMITS.reasonMax, 'Reason'),
    })
    .strict(),
  /** The optional game layer: presentation only, never in the records. */
  z.object({ type: z.literal('gameMode'), mode: z.enum(['off', 'leaderboard', 'private']) }).strict(),
  z.object({ type: z.literal('showLeaderboard'), show: z.boolean() }).strict(),
  /** Puts a trainee back on their automatic nickname (one not fit for the projector). */
  z.object({ type: z.literal('resetNickname'), traineeId: z.string().min(1).max(64) }).strict(),
  /**
   * Settles a phone's claim on an officer ID already in the class: allowed, the new phone takes
   * over (the old one is signed out), audit-logged with the reason; refused, it is told so.
   */
  z
    .object({
      type: z.literal('claim'),
      claimId: z.string().min(1).max(64),
      allow: z.boolean(),
      reason: z.string().max(LIMITS.reasonMax * 8).transform(cleanText).pipe(z.string().max(LIMITS.reasonMax, `Reason: at most ${LIMITS.reasonMax} characters`)),
    })
    .strict(),
]);
export type InstructorCommand = z.infer<typeof InstructorCommand>;

export const InstructorMessage = z.object({ t: z.literal('cmd'), id: msgId, cmd: InstructorCommand }).strict();
export type InstructorMessage = z.infer<typeof InstructorMessage>;

// ---------------------------------------------------------------- server → console / projector
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

/** What the projector shows instead of the slide: nothing (the slide), a black or a white screen. */
export type BlankMode = 'none' | 'black' | 'white';
export type ProjectorTheme = 'dark' | 'light' | 'contrast';

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
  rows: { traineeId: string; name: string; officerId: string; connected: boolean; answered: number; submitted: boolean; scorePercent: number | null }[];
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
  hosts: string[];
  /** The roster that applies: the running session's, or (no session running) the next one's. */
  roster: RosterSummary | null;
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
    /** Milliseconds since the session started, when this view was sent (the server owns time). */
    elapsedMs: number;
    blank: BlankMode;
    theme: ProjectorTheme;
    scenario: ConsoleScenario | null;
    qa: QaConsoleItem[];
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
  standings: { traineeId: string; name: string; nickname: string; custom: boolean; points: number; rank: number; streak: number }[];
}

/** One line of the projected leaderboard: nickname and points only, never a name or an officer ID. */
export interface LeaderboardRow {
  rank: number;
  nickname: string;
  points: number;
}

export interface ProjectorView {
  t: 'projector';
  phase: SessionPhase | 'idle';
  title: string;
  slide: SlideView | null;
  join: JoinInfo | null;
  joined: number;
  answered: number;
  results: ResultsView | null;
  remainingMs: number | null;
  blank: BlankMode;
  theme: ProjectorTheme;
  scenario: ProjectorScenario | null;
  /** The Q&A board, when the instructor shows it or the slide is a Q&A slide. */
  qa: null | { prompt: string | null; items: QaBoardItem[] };
  /** A self-paced assessment in progress: its progress, and the knowledge gain once shown (class figures only). */
  assessment: null | { title: string; kind: AssessmentKind; open: boolean; questions: number; submitted: number; joined: number; gain: Omit<KnowledgeGain, 'trainees'> | null };
  /** The game's top 10, while the instructor shows it (leaderboard mode only). */
  leaderboard: null | LeaderboardRow[];
}

export interface CommandResult {
  t: 'result';
  id: string;
  ok: boolean;
  error?: string;
}

export type ServerToInstructor = ConsoleView | ProjectorView | CommandResult | ErrorReply;

/** Turns a zod error into one short sentence for the person who sent the message. */
export function describeZodError(e: z.ZodError): string {
  const first = e.issues[0];
  if (!first) return 'invalid message';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`.slice(0, 200);
}
