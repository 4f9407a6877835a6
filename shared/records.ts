/**
 * What the records API (main/server/records-api.ts) answers, for the console's Records view.
 * Text here is as recorded (not neutralised for spreadsheets): pages render it as text.
 */

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
  answered: number;
  correct: number;
  /** correct / answered, 0–1. */
  share: number;
}

/** Item analysis across sessions, weakest first in every list. */
export interface WeakSpots {
  from: string | null;
  to: string | null;
  course: string | null;
  sessions: number;
  answers: number;
  byTag: (WeakSpotStat & { tag: string })[];
  byAgency: (WeakSpotStat & { agency: string; trainees: number })[];
  byAgencyTag: (WeakSpotStat & { agency: string; tag: string })[];
  byQuestion: (WeakSpotStat & { questionId: string; prompt: string; tags: string[]; sessions: number })[];
}
