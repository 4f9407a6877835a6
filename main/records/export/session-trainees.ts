/** The sheets with one row per trainee: Attendance (with the rostered no-shows) and Scores. */
import { neutralise, orBlank, text, yesNo } from './cells';
import type { RosterLine } from './people';
import type { SessionResults } from './results';
import type { Cell, SheetSpec } from './xlsx';
import type { Clock } from '../../../shared/clock';

export function attendanceSheet(
  res: SessionResults,
  absent: RosterLine[],
  idLabel: string,
  clock: Clock,
): SheetSpec {
  const rows: Cell[][] = [
    [
      'Name',
      idLabel,
      'Agency',
      'Status',
      'Check-in',
      'Check-out',
      'Minutes present',
      'Connected intervals',
      'Minutes in class',
      'Present %',
      'Late arrival',
      'Minutes late',
      'Early departure',
      'Minutes early',
      'Corrected',
      'Correction reason',
    ],
  ];
  for (const a of res.trainees)
    rows.push([
      neutralise(a.name),
      neutralise(a.officerId),
      neutralise(a.agency),
      a.checkIn === null ? 'Absent' : 'Present',
      clock.dateTime(a.checkIn),
      clock.dateTime(a.checkOut),
      a.minutesPresent,
      a.intervals,
      a.minutesInClass,
      a.presentPercent,
      yesNo(a.late),
      a.minutesLate,
      yesNo(a.earlyDeparture),
      a.minutesEarly,
      // A manual correction (check-in/out replaced, minutes = the corrected span); its who and when are in the Audit log.
      yesNo(a.corrected),
      text(a.correctionReason),
    ]);
  // On the roster, never joined: absent until a correction (from the paper sheet) says otherwise.
  for (const r of absent)
    rows.push([
      neutralise(r.name),
      neutralise(r.officerId),
      neutralise(r.agency),
      'Absent',
      '',
      '',
      0,
      0,
      0,
      0,
      '',
      0,
      '',
      0,
      'No',
      '',
    ]);
  return {
    name: 'Attendance',
    rows,
    widths: [24, 11, 20, 8, 16, 16, 9, 10, 9, 8, 8, 8, 9, 8, 10, 28],
    wrap: [0, 2, 15],
  };
}

export function scoresSheet(res: SessionResults, idLabel: string): SheetSpec {
  const rows: Cell[][] = [
    [
      'Name',
      idLabel,
      'Agency',
      'Graded questions',
      'Answered',
      'Correct',
      'Score %',
      'Pass mark %',
      'Result',
      'Pre-test %',
      'Post-test %',
      'Gain (points)',
      'Present %',
      'Evaluation submitted',
      'Credit earned',
      'Hours awarded',
      'Certificate number',
    ],
  ];
  for (const t of res.trainees)
    rows.push([
      neutralise(t.name),
      neutralise(t.officerId),
      neutralise(t.agency),
      res.gradedQuestions,
      t.answered,
      t.correct,
      orBlank(t.scorePercent),
      res.passMark,
      t.result ?? '',
      orBlank(t.pretestPercent),
      orBlank(t.posttestPercent),
      orBlank(t.gain),
      t.presentPercent,
      yesNo(t.evaluationSubmitted),
      yesNo(t.creditEarned),
      orBlank(t.hoursAwarded),
      t.certificate ?? '',
    ]);
  return {
    name: 'Scores',
    rows,
    widths: [24, 11, 20, 9, 9, 8, 7, 7, 7, 8, 8, 8, 8, 11, 8, 7, 20],
    wrap: [0, 2],
  };
}
