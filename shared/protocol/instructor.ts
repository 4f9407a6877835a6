/**
 * The instructor's side of the wire: the console's commands (each parsed by its schema on the
 * server) and their results.
 */
import { z } from 'zod';
import { BlankMode, GameMode, ProjectorTheme } from '../vocabulary';
import { LIMITS, msgId, text } from './common';
import { cleanText } from '../identity';

// ---------------------------------------------------------------- instructor → server
export const DeckRef = z
  .object({ course: z.string().min(1).max(100), file: z.string().min(1).max(200) })
  .strict();
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
  z.object({ type: z.literal('blank'), mode: BlankMode, toggle: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('setTheme'), theme: ProjectorTheme }).strict(),
  z
    .object({
      type: z.literal('qa'),
      qaId: z.string().min(1).max(64),
      action: z.enum(['approve', 'hide', 'answered', 'pin', 'unpin']),
    })
    .strict(),
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
  z
    .object({ type: z.literal('openAssessment'), key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) })
    .strict(),
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
  z.object({ type: z.literal('gameMode'), mode: GameMode }).strict(),
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
      reason: z
        .string()
        .max(LIMITS.reasonMax * 8)
        .transform(cleanText)
        .pipe(z.string().max(LIMITS.reasonMax, `Reason: at most ${LIMITS.reasonMax} characters`)),
    })
    .strict(),
]);
export type InstructorCommand = z.infer<typeof InstructorCommand>;

export const InstructorMessage = z
  .object({ t: z.literal('cmd'), id: msgId, cmd: InstructorCommand })
  .strict();
export type InstructorMessage = z.infer<typeof InstructorMessage>;

export interface CommandResult {
  t: 'result';
  id: string;
  ok: boolean;
  error?: string;
}
