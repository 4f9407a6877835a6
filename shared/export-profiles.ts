/**
 * Export profiles: how the certification roster is laid out for a standards body — which columns,
 * in which order, under which headers, with which date and time format, and who is listed.
 * Records staff edit them in the console's Records view (settings key `exportProfiles`); the
 * shipped ones are starting points. A need nobody foresaw (another header, a fixed provider
 * number, another date format) is met by editing a profile, not by changing code.
 */
import { z } from 'zod';

/** What a roster column can hold: one value of one trainee's record of one session. */
export const ROSTER_COLUMNS = {
  lastName: 'Last name',
  firstName: 'First name',
  fullName: 'Name (as typed)',
  officerId: 'Officer ID',
  agency: 'Agency',
  email: 'Email (from the roster)',
  courseNumber: 'Course number',
  courseTitle: 'Course title',
  courseId: 'Course ID (Muster)',
  modules: 'Modules presented',
  dates: 'Date(s)',
  startDate: 'Start date',
  endDate: 'End date',
  startTime: 'Start time',
  endTime: 'End time',
  creditHours: 'Credit hours awarded',
  courseHours: 'Course hours',
  score: 'Score %',
  result: 'Pass/Fail',
  presentPercent: 'Present %',
  creditEarned: 'Credit earned (Yes/No)',
  pretest: 'Pre-test %',
  posttest: 'Post-test %',
  instructors: 'Instructor(s) with ID',
  instructorNames: 'Instructor name(s)',
  instructorIds: 'Instructor ID(s)',
  location: 'Location',
  certificate: 'Certificate number',
  presentingAgency: 'Presenting agency',
  state: 'State',
  sessionId: 'Session ID',
  fixed: 'Fixed text (the same in every row)',
} as const;
export type RosterColumnField = keyof typeof ROSTER_COLUMNS;
export const ROSTER_COLUMN_FIELDS = Object.keys(ROSTER_COLUMNS) as RosterColumnField[];

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'MM/DD/YYYY',
  'M/D/YYYY',
  'DD/MM/YYYY',
  'YYYYMMDD',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const TIME_FORMATS = ['HH:mm', 'h:mm AM'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const PROFILE_LIMITS = {
  profiles: 20,
  columns: 40,
  header: 60,
  fixed: 200,
  name: 60,
  note: 600,
} as const;

export const ExportProfileColumn = z
  .object({
    field: z.enum(
      ROSTER_COLUMN_FIELDS as [RosterColumnField, ...RosterColumnField[]],
      'not a roster column',
    ),
    /** The header written over the column; empty: the field's own name (for the officer ID, the department's label). */
    header: z
      .string()
      .trim()
      .max(PROFILE_LIMITS.header, `a header has at most ${PROFILE_LIMITS.header} characters`),
    /** For `fixed`: the text written in every row (a training provider number, say). */
    value: z
      .string()
      .trim()
      .max(PROFILE_LIMITS.fixed, `a fixed text has at most ${PROFILE_LIMITS.fixed} characters`)
      .optional(),
  })
  .strict();
export type ExportProfileColumn = z.infer<typeof ExportProfileColumn>;

export const ExportProfile = z
  .object({
    /** Stable key, used in export addresses (`?profile=tcole`). */
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,39}$/,
        'a profile id is 1 to 40 lower-case letters, digits and hyphens',
      ),
    name: z
      .string()
      .trim()
      .min(1, 'a profile needs a name')
      .max(PROFILE_LIMITS.name, `a profile name has at most ${PROFILE_LIMITS.name} characters`),
    /** Where the layout comes from and what to check. */
    note: z
      .string()
      .trim()
      .max(PROFILE_LIMITS.note, `a note has at most ${PROFILE_LIMITS.note} characters`)
      .default(''),
    dateFormat: z.enum(DATE_FORMATS, `the date format is one of ${DATE_FORMATS.join(', ')}`),
    timeFormat: z
      .enum(TIME_FORMATS, `the time format is one of ${TIME_FORMATS.join(', ')}`)
      .default('HH:mm'),
    /** Everyone who attended, or only those who earned the credit. */
    include: z.enum(['all', 'credit'], 'include is "all" or "credit"').default('all'),
    columns: z
      .array(ExportProfileColumn)
      .min(1, 'a profile needs at least one column')
      .max(PROFILE_LIMITS.columns, `a profile has at most ${PROFILE_LIMITS.columns} columns`),
  })
  .strict();
export type ExportProfile = z.infer<typeof ExportProfile>;

/** The department's profiles (`PUT /api/export-profiles`): at least one, ids unique. */
export const ExportProfiles = z
  .array(ExportProfile)
  .min(1, 'keep at least one profile')
  .max(PROFILE_LIMITS.profiles, `at most ${PROFILE_LIMITS.profiles} profiles`)
  .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, {
    message: 'two profiles have the same id',
  });

const col = (field: RosterColumnField, header = '', value?: string): ExportProfileColumn =>
  value === undefined ? { field, header } : { field, header, value };

/**
 * The shipped starting points. The generic one has what POST offices file (name apart, officer ID
 * as typed, course number and exact title, dates and times, hours, score, pass/fail, instructors
 * with IDs, location, certificate number). TCOLE's and FDLE's bulk upload layouts are not
 * published; those two use the field names their public rules use, and say so.
 */
export const SHIPPED_PROFILES: readonly ExportProfile[] = [
  {
    id: 'post-roster',
    name: 'POST roster (generic)',
    note: 'What a state POST office files for an in-service course. The officer ID column is headed with the department’s officer ID label.',
    dateFormat: 'YYYY-MM-DD',
    timeFormat: 'HH:mm',
    include: 'all',
    columns: [
      col('lastName', 'Last name'),
      col('firstName', 'First name'),
      col('officerId'),
      col('agency', 'Agency'),
      col('courseNumber', 'Course number'),
      col('courseTitle', 'Course title'),
      col('dates', 'Date(s)'),
      col('startTime', 'Start'),
      col('endTime', 'End'),
      col('creditHours', 'Credit hours'),
      col('score', 'Score'),
      col('result', 'Pass/Fail'),
      col('instructors', 'Instructor(s)'),
      col('location', 'Location'),
      col('certificate', 'Certificate number'),
    ],
  },
  {
    id: 'tcole',
    name: 'TCOLE (Texas)',
    note: 'TCOLE’s training file needs the roster with PIDs, the course number it is reported under, dates and hours. The TCLEDDS bulk upload layout is not public: compare the columns with your TCLEDDS template and edit them to match.',
    dateFormat: 'MM/DD/YYYY',
    timeFormat: 'HH:mm',
    include: 'all',
    columns: [
      col('officerId', 'PID'),
      col('lastName', 'Last Name'),
      col('firstName', 'First Name'),
      col('agency', 'Agency'),
      col('courseNumber', 'Course Number'),
      col('courseTitle', 'Course Title'),
      col('startDate', 'Begin Date'),
      col('endDate', 'End Date'),
      col('startTime', 'Start Time'),
      col('endTime', 'End Time'),
      col('creditHours', 'Hours'),
      col('score', 'Score'),
      col('result', 'Pass/Fail'),
      col('instructors', 'Instructor (PID)'),
      col('location', 'Location'),
      col('certificate', 'Certificate Number'),
    ],
  },
  {
    id: 'fl-cjstc',
    name: 'Florida CJSTC',
    note: 'Florida’s rules name the course title, dates, times and location of a course, and hours toward the 40-hour mandatory retraining. The ATMS entry layout is not public: compare with what your FDLE field specialist asks for and edit.',
    dateFormat: 'MM/DD/YYYY',
    timeFormat: 'h:mm AM',
    include: 'all',
    columns: [
      col('lastName', 'Last Name'),
      col('firstName', 'First Name'),
      col('officerId', 'Officer ID'),
      col('agency', 'Employing Agency'),
      col('courseNumber', 'Course Number'),
      col('courseTitle', 'Course Title'),
      col('startDate', 'Start Date'),
      col('endDate', 'End Date'),
      col('startTime', 'Start Time'),
      col('endTime', 'End Time'),
      col('creditHours', 'Training Hours'),
      col('score', 'Score'),
      col('result', 'Pass/Fail'),
      col('instructors', 'Instructor(s)'),
      col('location', 'Location'),
      col('certificate', 'Certificate Number'),
    ],
  },
];

/** `GET`/`PUT /api/export-profiles`: the department's profiles (the shipped ones until it saves its own). */
export interface ExportProfilesReply {
  profiles: ExportProfile[];
  /** True while nothing was saved: these are the shipped starting points. */
  shipped: boolean;
}

/** A date in a profile's format. */
export function formatDate(iso: string, f: DateFormat): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  switch (f) {
    case 'YYYY-MM-DD':
      return iso;
    case 'MM/DD/YYYY':
      return `${mo}/${d}/${y}`;
    case 'M/D/YYYY':
      return `${Number(mo)}/${Number(d)}/${y}`;
    case 'DD/MM/YYYY':
      return `${d}/${mo}/${y}`;
    case 'YYYYMMDD':
      return `${y}${mo}${d}`;
  }
}

/** A 24-hour "HH:MM" in a profile's time format. */
export function formatTime(hhmm: string, f: TimeFormat): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m || f === 'HH:mm') return hhmm;
  const h = Number(m[1]);
  return `${h % 12 === 0 ? 12 : h % 12}:${m[2]} ${h < 12 ? 'AM' : 'PM'}`;
}
