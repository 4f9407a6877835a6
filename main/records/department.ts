/**
 * The department profile: what records staff set once and every export applies — the agency and
 * state, what their standards body calls the officer ID ("TCOLE PID", "POST ID" …), the pass mark
 * used when a course sets none, and the rule that decides who earns credit hours.
 * Stored in settings (main/settings.ts, key `department`); every field is optional.
 */
import { z } from 'zod';

export const Department = z.object({
  /** The presenting agency or academy, printed on the sign-in sheet and the Summary sheet. */
  agency: z.string().trim().max(200).optional(),
  /** The state (or standards body) the records are for, e.g. "TX". */
  state: z.string().trim().max(60).optional(),
  /** The heading of the officer ID column: "TCOLE PID", "POST ID", "License number" … */
  officerIdLabel: z.string().trim().min(1).max(40).optional(),
  /** Pass mark in percent when the course sets none. */
  defaultPassMark: z.number().min(0).max(100).optional(),
  /** Who earns the course's credit hours. */
  attendanceRule: z
    .object({
      /** Present for at least this share of the session, in percent (Ohio's rule is 90). */
      minPresentPercent: z.number().min(0).max(100).optional(),
      /** The trainee must also pass the assessment (when the session had graded questions). */
      requirePass: z.boolean().optional(),
      /**
       * What "present" means: `span` (default) is check-in to check-out, as a paper sign-in sheet
       * records it, so a phone that slept mid-lecture does not cost credit; `connected` counts only
       * the minutes the phone was connected.
       */
      basis: z.enum(['span', 'connected']).optional(),
    })
    .optional(),
  /** Minutes after the start (and before the end) that do not count as late arrival or early departure. */
  lateGraceMinutes: z.number().min(0).max(240).optional(),
});
export type Department = z.infer<typeof Department>;

/** A department profile with every default filled in. */
export interface DepartmentProfile {
  agency: string;
  state: string;
  officerIdLabel: string;
  defaultPassMark: number;
  attendanceRule: { minPresentPercent: number; requirePass: boolean; basis: 'span' | 'connected' };
  lateGraceMinutes: number;
}

export const DEFAULT_PASS_MARK = 70;

export function departmentProfile(d: Department | undefined = {}): DepartmentProfile {
  return {
    agency: d.agency ?? '',
    state: d.state ?? '',
    officerIdLabel: d.officerIdLabel || 'Officer ID',
    defaultPassMark: d.defaultPassMark ?? DEFAULT_PASS_MARK,
    attendanceRule: {
      minPresentPercent: d.attendanceRule?.minPresentPercent ?? 90,
      requirePass: d.attendanceRule?.requirePass ?? true,
      basis: d.attendanceRule?.basis ?? 'span',
    },
    lateGraceMinutes: d.lateGraceMinutes ?? 10,
  };
}

/** The credit rule in words, for the Summary sheet. */
export function describeRule(p: DepartmentProfile): string {
  const present = `present for at least ${p.attendanceRule.minPresentPercent}% of the session (${p.attendanceRule.basis === 'span' ? 'check-in to check-out' : 'minutes connected'})`;
  return p.attendanceRule.requirePass ? `${present} and passed the assessment (when there is one)` : present;
}
