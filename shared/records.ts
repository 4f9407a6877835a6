/**
 * What the records API (main/server/records-api.ts) answers, for the console's Records view.
 * Text here is as recorded (not neutralised for spreadsheets): pages render it as text.
 * Also what the console sends to it: attendance corrections and the department profile (zod
 * schemas, parsed by the server before anything is stored).
 */
import { z } from 'zod';
import { isTimeZone } from './clock';

/** A past session in the Records list. */
export interface SessionListItem {
  id: string;
  course: string;
  courseTitle: string;
  courseNumber: string | null;
  title: string;
  startedAt: number;
  endedAt: number | null;
  trainees: number;
  /** The classroom (records server only: every room's sessions are listed together). */
  room?: string;
}

/** One officer ID found by the trainee search. */
export interface TraineeMatch {
  officerId: string;
  /** The name and agency they gave most recently. */
  name: string;
  agency: string;
  sessions: number;
  lastSeen: number;
}

export interface HistoryEntry {
  sessionId: string;
  /** YYYY-MM-DD, where the class was held. */
  date: string;
  courseTitle: string;
  courseNumber: string | null;
  module: string;
  name: string;
  agency: string;
  checkIn: number | null;
  checkOut: number | null;
  presentPercent: number;
  scorePercent: number | null;
  result: 'Pass' | 'Fail' | null;
  /** null while the session runs. */
  creditEarned: boolean | null;
  hoursAwarded: number | null;
  certificate: string | null;
  /** The classroom (records server only). */
  room?: string;
}

/** A trainee's training history: every session with their officer ID, oldest first. */
export interface TraineeHistory {
  officerId: string;
  name: string;
  agency: string;
  totalHours: number;
  sessions: HistoryEntry[];
}

export interface WeakSpotStat {
  /** Answers to post-test, quiz and live questions: what the class knew after being taught. */
  answered: number;
  correct: number;
  /** correct / answered, 0–1 (0 when nothing was answered after teaching). */
  share: number;
  /** The pre-test answers, given before any teaching: the baseline, never mixed into the above. */
  pretest: { answered: number; correct: number; share: number };
}

/** Item analysis across sessions, weakest first in every list. */
export interface WeakSpots {
  from: string | null;
  to: string | null;
  course: string | null;
  sessions: number;
  /** Answers counted (post-test, quiz and live). */
  answers: number;
  /** Pre-test answers, shown as the baseline. */
  pretestAnswers: number;
  byTag: (WeakSpotStat & { tag: string })[];
  byAgency: (WeakSpotStat & { agency: string; trainees: number })[];
  byAgencyTag: (WeakSpotStat & { agency: string; tag: string })[];
  byQuestion: (WeakSpotStat & {
    questionId: string;
    prompt: string;
    tags: string[];
    sessions: number;
  })[];
}

// ---------------------------------------------------------------- the department profile

/**
 * The department profile: what records staff set once and every export applies — the agency and
 * state, what their standards body calls the officer ID ("TCOLE PID", "POST ID" …), the pass mark
 * used when a course sets none, and the rule that decides who earns credit hours.
 * Stored in settings (main/settings.ts, key `department`); every field is optional. Here (not in
 * main/) because the console's Department profile form sends it.
 */
export const Department = z.object({
  /** The presenting agency or academy, printed on the sign-in sheet and the Summary sheet. */
  agency: z.string().trim().max(200, 'agency: at most 200 characters').optional(),
  /** The state (or standards body) the records are for, e.g. "TX". */
  state: z.string().trim().max(60, 'state: at most 60 characters').optional(),
  /** The heading of the officer ID column: "TCOLE PID", "POST ID", "License number" … */
  officerIdLabel: z
    .string()
    .trim()
    .min(1, 'the officer ID label cannot be empty')
    .max(40, 'the officer ID label has at most 40 characters')
    .optional(),
  /** Pass mark in percent when the course sets none. */
  defaultPassMark: z
    .number()
    .min(0, 'the pass mark is 0 to 100')
    .max(100, 'the pass mark is 0 to 100')
    .optional(),
  /** Who earns the course's credit hours. */
  attendanceRule: z
    .object({
      /** Present for at least this share of the session, in percent (Ohio's rule is 90). */
      minPresentPercent: z
        .number()
        .min(0, 'the attendance share is 0 to 100%')
        .max(100, 'the attendance share is 0 to 100%')
        .optional(),
      /** The trainee must also pass the assessment (when the session had graded questions). */
      requirePass: z.boolean().optional(),
      /**
       * What "present" means: `span` (default) is check-in to check-out, as a paper sign-in sheet
       * records it, so a phone that slept mid-lecture does not cost credit; `connected` counts only
       * the minutes the phone was connected.
       */
      basis: z.enum(['span', 'connected'], 'the basis is "span" or "connected"').optional(),
    })
    .optional(),
  /** Minutes after the start (and before the end) that do not count as late arrival or early departure. */
  lateGraceMinutes: z
    .number()
    .min(0, 'the late grace is 0 to 240 minutes')
    .max(240, 'the late grace is 0 to 240 minutes')
    .optional(),
  /**
   * The time zone every time in the records is read in (IANA name, e.g. "America/Chicago"); left
   * out, this computer's. The records keep UTC instants; exports and the console show local time.
   */
  timeZone: z
    .string()
    .trim()
    .refine(
      isTimeZone,
      'the time zone is a name such as America/Chicago (this computer’s is used when it is left empty)',
    )
    .optional(),
  /**
   * The department's instructors with their state IDs, so the certification roster can give each
   * instructor named on a session their ID ("Sgt. Maria Lopez" finds "Maria Lopez").
   */
  instructors: z
    .array(
      z.object({
        name: z
          .string()
          .trim()
          .min(1, 'an instructor needs a name')
          .max(100, 'an instructor’s name has at most 100 characters'),
        id: z.string().trim().max(40, 'an instructor ID has at most 40 characters'),
      }),
    )
    .max(100, 'at most 100 instructors')
    .optional(),
});
export type Department = z.infer<typeof Department>;

/**
 * `PUT /api/department`: the same fields, but a key the profile does not have is refused rather
 * than dropped (a typo such as "passMark" must not look saved). Settings files are read with the
 * lenient {@link Department}.
 */
export const DepartmentInput = Department.extend({
  attendanceRule: Department.shape.attendanceRule.unwrap().strict().optional(),
  instructors: z
    .array(Department.shape.instructors.unwrap().element.strict())
    .max(100, 'at most 100 instructors')
    .optional(),
}).strict();

/** A department profile with every default filled in. */
export interface DepartmentProfile {
  agency: string;
  state: string;
  officerIdLabel: string;
  defaultPassMark: number;
  attendanceRule: { minPresentPercent: number; requirePass: boolean; basis: 'span' | 'connected' };
  lateGraceMinutes: number;
  /** The zone set, or this computer's. */
  timeZone: string;
  instructors: { name: string; id: string }[];
}

/** `GET`/`PUT /api/department`: what settings hold, and the profile the exports apply (defaults filled in). */
export interface DepartmentReply {
  department: Department;
  profile: DepartmentProfile;
}

// ---------------------------------------------------------------- attendance and its corrections

export const CORRECTION_LIMITS = { reasonMax: 500, actorMax: 80 } as const;

/** An instant as ISO 8601 with a zone (what `Date#toISOString` writes); null: back to the recorded time. */
const instant = z.iso
  .datetime({
    offset: true,
    error: 'times are ISO 8601 with a zone, e.g. 2025-05-06T09:30:00.000Z',
  })
  .nullable()
  .optional();

/**
 * `POST /api/sessions/<id>/attendance-corrections`. A time left out keeps what the trainee's latest
 * correction said (or the recorded time); null puts the recorded time back. Each correction is a
 * new row with who, when and why, never an edit (docs/ARCHITECTURE.md, rule 7).
 * A rostered officer who never joined is named by `rosterEntryId` instead of `traineeId`: the
 * correction (a check-in, once the session has ended) records them as present.
 */
export const AttendanceCorrection = z
  .object({
    traineeId: z.string().min(1, 'traineeId is required').max(64).optional(),
    rosterEntryId: z.number('rosterEntryId is a number').int().positive().optional(),
    checkIn: instant,
    checkOut: instant,
    reason: z
      .string('a reason is required: it goes into the audit log')
      // Control characters have no place in a log line or a spreadsheet cell (line breaks become spaces).
      // eslint-disable-next-line no-control-regex
      .transform((s) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())
      .pipe(
        z
          .string()
          .min(1, 'a reason is required: it goes into the audit log')
          .max(
            CORRECTION_LIMITS.reasonMax,
            `a reason has at most ${CORRECTION_LIMITS.reasonMax} characters`,
          ),
      ),
    /** Who made it; left out, "instructor", like every other correction made at the console. */
    actor: z.string().trim().min(1).max(CORRECTION_LIMITS.actorMax).optional(),
  })
  .strict()
  .refine((c) => (c.traineeId === undefined) !== (c.rosterEntryId === undefined), {
    message: 'name the trainee (traineeId) or the rostered officer (rosterEntryId), one of them',
  })
  .refine((c) => c.checkIn !== undefined || c.checkOut !== undefined, {
    message: 'give a corrected check-in or check-out time',
  });
export type AttendanceCorrection = z.infer<typeof AttendanceCorrection>;

/** One trainee's attendance in a session: `GET /api/sessions/<id>/attendance` answers a list of these (times ISO, in join order). */
export interface AttendanceRow {
  /** null for a rostered officer who never joined (then `rosterEntryId` names them). */
  traineeId: string | null;
  rosterEntryId: number | null;
  /** On the roster, never joined, and not corrected to present. */
  absent: boolean;
  name: string;
  officerId: string;
  agency: string;
  checkIn: string | null;
  checkOut: string | null;
  minutesPresent: number;
  corrected: boolean;
  /** The reason of the correction in force (null when not corrected). */
  reason: string | null;
}
