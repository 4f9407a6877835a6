/**
 * The words Muster's parts share, each defined once: the protocol, the engine, the records and the
 * pages all take their lists from here (a zod enum for parsing, its type for the compiler).
 */
import { z } from 'zod';

/** The projector's colours. */
export const ProjectorTheme = z.enum(['dark', 'light', 'contrast']);
export type ProjectorTheme = z.infer<typeof ProjectorTheme>;

/** What the projector shows instead of the slide: nothing (the slide), a black or a white screen. */
export const BlankMode = z.enum(['none', 'black', 'white']);
export type BlankMode = z.infer<typeof BlankMode>;

/**
 * What the instructor put up over the lecture, one at a time: the Q&A board, the knowledge gain or
 * the game's leaderboard. The next step of the class (a slide, a question, its results) takes it down.
 */
export const ProjectorOverlay = z.enum(['qa', 'gain', 'leaderboard']);
export type ProjectorOverlay = z.infer<typeof ProjectorOverlay>;

/**
 * What the projector shows: one thing at a time, decided by the server (main/session/views/room.ts)
 * so the projector and the console's picture of it never disagree. A black or white screen covers
 * whichever it is.
 */
export const ProjectorScreen = z.enum([
  'idle',
  'join',
  'slide',
  'question',
  'results',
  'scenario',
  'qa',
  'leaderboard',
  'gain',
  'assessment',
  'ended',
]);
export type ProjectorScreen = z.infer<typeof ProjectorScreen>;

/** The optional game layer: off (the default), a projected leaderboard by nickname, or each phone its own points only. */
export const GameMode = z.enum(['off', 'leaderboard', 'private']);
export type GameMode = z.infer<typeof GameMode>;

/** A self-paced assessment's kind (the course's key decides it: pretest, posttest, evaluation, anything else a quiz). */
export const AssessmentKind = z.enum(['pretest', 'posttest', 'evaluation', 'quiz']);
export type AssessmentKind = z.infer<typeof AssessmentKind>;

/** The kinds of question a slide or an assessment can ask. */
export const QuestionType = z.enum([
  'single',
  'multi',
  'truefalse',
  'numeric',
  'rating',
  'text',
  'ranking',
]);
export type QuestionType = z.infer<typeof QuestionType>;

/** Where a Q&A question is: waiting for the instructor, on the board, hidden, or answered (still on the board). */
export const QaStatus = z.enum(['pending', 'approved', 'hidden', 'answered']);
export type QaStatus = z.infer<typeof QaStatus>;

/** Lobby → presenting → question → closed → results → … → ended. */
export const SessionPhase = z.enum([
  'lobby',
  'presenting',
  'question',
  'closed',
  'results',
  'ended',
]);
export type SessionPhase = z.infer<typeof SessionPhase>;
