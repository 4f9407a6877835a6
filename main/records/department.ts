/**
 * The department profile: what records staff set once and every export applies — the agency and
 * state, what their standards body calls the officer ID ("TCOLE PID", "POST ID" …), the pass mark
 * used when a course sets none, and the rule that decides who earns credit hours.
 * Stored in settings (main/settings.ts, key `department`); every field is optional.
 */
import type { Department, DepartmentProfile } from '../../shared/records';
import { clockFor, computerTimeZone, isTimeZone } from '../../shared/clock';
import type { Clock } from '../../shared/clock';

// The schema lives in shared/ (the console's Department profile form sends it); re-exported here for main/.
export { Department, DepartmentInput } from '../../shared/records';
export type { DepartmentProfile } from '../../shared/records';

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
    // A zone this runtime does not know (a settings file from a newer one) falls back like an unset one.
    timeZone: d.timeZone && isTimeZone(d.timeZone) ? d.timeZone : computerTimeZone(),
    instructors: d.instructors ?? [],
  };
}

/** The clock every time in an export is read with: the department's time zone. */
export function departmentClock(p: DepartmentProfile): Clock {
  return clockFor(p.timeZone);
}

/** The credit rule in words, for the Summary sheet. */
export function describeRule(p: DepartmentProfile): string {
  const present = `present for at least ${p.attendanceRule.minPresentPercent}% of the session (${p.attendanceRule.basis === 'span' ? 'check-in to check-out' : 'minutes connected'})`;
  return p.attendanceRule.requirePass
    ? `${present} and passed the assessment (when there is one)`
    : present;
}
