/**
 * The Department gaps report: totals of the anonymous gap audit (poll questions tagged
 * `department-gap`, e.g. "Could you reach a task force at 2 a.m.?"), for command staff. Only
 * totals: by question, for all agencies, and for each agency with enough respondents that a
 * total cannot point at a person.
 */

export interface GapCounts {
  yes: number;
  no: number;
  /** "I don't know" (or any other answer): not knowing is a gap too. */
  unknown: number;
  respondents: number;
  /** (no + unknown) / respondents, 0–1. */
  gapShare: number;
}

export interface GapItem extends GapCounts {
  questionId: string;
  prompt: string;
  /** Agencies with at least `minGroup` respondents to this question; smaller ones are pooled or left out. */
  byAgency: (GapCounts & { agency: string })[];
}

export interface DepartmentGaps {
  from: string | null;
  to: string | null;
  course: string | null;
  /** Sessions in the range that asked at least one gap question. */
  sessions: number;
  /** Distinct trainees who answered at least one gap question. */
  respondents: number;
  /** The smallest group shown on its own. */
  minGroup: number;
  /** Most-missing first. */
  items: GapItem[];
}

/** The label of the pooled group of agencies too small to show on their own. */
export const OTHER_AGENCIES = 'Other agencies (pooled)';
