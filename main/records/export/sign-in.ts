/**
 * The sign-in sheet, as a PDF to print (TCOLE keeps the original signed roster with PIDs in the
 * training file): every page names the course, its number, the date, time and place, every module
 * presented that day, the instructors and the presenting agency; then 25 lines, sorted by last name,
 * each with last and first name, officer ID, agency, check-in and check-out (local time) and a
 * signature box. Rostered officers who have not joined are on it too, with empty times; the last
 * page's spare lines are for walk-ins. Every page has a line for the instructor's signature.
 */
import type { Records } from '../db';
import { departmentClock, departmentProfile } from '../department';
import { attendance } from './results';
import { byLastName, namesOf, rosterNoShows } from './people';
import type { ExportOptions } from './session';
import { GRID, footer, metaTable, pdfText, th } from './pdf';
import type { PdfDoc } from './pdf';

/** Officers per page: a page is one sheet in the training file. */
export const SIGN_IN_LINES_PER_PAGE = 25;
/** Points: a line's height inside its padding, so that it is ~21 pt (7.4 mm) tall to sign on and 25 fit a page. */
const LINE_HEIGHT = 16;

export interface SignInLine {
  last: string;
  first: string;
  officerId: string;
  agency: string;
  checkIn: string;
  checkOut: string;
}

/** The people of the sign-in sheet, sorted by last name: those who joined, and the rostered who have not. */
export function signInLines(
  records: Records,
  sessionId: string,
  o: ExportOptions = {},
): SignInLine[] {
  const clock = departmentClock(departmentProfile(o.department));
  const names = namesOf(records, sessionId);
  const lines: SignInLine[] = attendance(records, sessionId).map((a) => ({
    ...names(a.name, a.officerId),
    officerId: a.officerId,
    agency: a.agency,
    checkIn: clock.time(a.checkIn),
    checkOut: clock.time(a.checkOut),
  }));
  for (const r of rosterNoShows(records, sessionId))
    lines.push({
      ...(r.lastName ? { last: r.lastName, first: r.firstName } : names(r.name, r.officerId)),
      officerId: r.officerId,
      agency: r.agency,
      checkIn: '',
      checkOut: '',
    });
  return lines.sort(byLastName);
}

/** Long text in a small box: a smaller size, so a line stays one signing line tall. */
const fit = (s: string, room: number): PdfDoc => ({
  text: pdfText(s),
  fontSize: s.length > room ? 7 : 9,
});

/** The sign-in sheet's PDF definition (render it with renderPdf). */
export function signInSheetPdf(records: Records, sessionId: string, o: ExportOptions = {}): PdfDoc {
  const s = records.session(sessionId);
  if (!s) throw new Error(`no session ${sessionId}`);
  const dept = departmentProfile(o.department);
  const clock = departmentClock(dept);
  const modules =
    (
      records.db
        .prepare(`SELECT title FROM session_modules WHERE session_id = ? ORDER BY seq`)
        .pluck()
        .all(sessionId) as string[]
    ).join('; ') || s.title;
  const lines = signInLines(records, sessionId, o);
  const pages = Math.max(1, Math.ceil(lines.length / SIGN_IN_LINES_PER_PAGE));
  const date = clock.date(s.started_at);
  // pdfmake writes its layout into the nodes it is given: every page gets nodes of its own.
  const meta = () =>
    metaTable([
      ['Course number', s.course_number ?? ''],
      ['Date', date],
      [
        'Time',
        `${clock.time(s.started_at)}${s.ended_at ? `–${clock.time(s.ended_at)}` : ''}, ${clock.label(s.started_at)}`,
      ],
      ['Location', s.location ?? ''],
      ['Instructors', s.instructors ?? ''],
      ['Presenting agency', dept.agency],
      ['Credit hours', s.credit_hours === null ? '' : String(s.credit_hours)],
      ['Modules presented', modules],
    ]);
  const header = () =>
    ['#', 'Last name', 'First name', dept.officerIdLabel, 'Agency', 'In', 'Out', 'Signature'].map(
      th,
    );
  const content: PdfDoc[] = [];
  for (let p = 0; p < pages; p++) {
    // Only the last page can have spare lines (for walk-ins): the others are full.
    const body: PdfDoc[][] = [header()];
    for (let i = p * SIGN_IN_LINES_PER_PAGE; i < (p + 1) * SIGN_IN_LINES_PER_PAGE; i++) {
      const l = lines[i];
      body.push(
        l
          ? [
              { text: String(i + 1), alignment: 'right' },
              fit(l.last, 16),
              fit(l.first, 14),
              fit(l.officerId, 11),
              fit(l.agency, 18),
              { text: l.checkIn },
              { text: l.checkOut },
              { text: '' },
            ]
          : [
              { text: String(i + 1), alignment: 'right', color: '#777777' },
              ...Array.from({ length: 7 }, () => ({ text: '' })),
            ],
      );
    }
    content.push(
      {
        text: 'Sign-in sheet',
        fontSize: 15,
        bold: true,
        ...(p > 0 ? { pageBreak: 'before' } : {}),
      },
      { text: pdfText(s.course_title), fontSize: 12, bold: true, margin: [0, 2, 0, 6] },
      meta(),
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [16, 78, 68, 56, 92, 28, 28, '*'],
          heights: (row: number) => (row === 0 ? 14 : LINE_HEIGHT),
          body,
        },
        layout: GRID,
      },
    );
  }
  return {
    pageSize: 'LETTER',
    pageOrientation: 'portrait',
    pageMargins: [36, 28, 36, 62],
    info: {
      title: pdfText(`Sign-in sheet — ${s.course_title} — ${date}`),
      subject: 'Sign-in sheet',
      creator: 'Muster',
    },
    content,
    footer: (page: number, count: number) => ({
      stack: [
        {
          margin: [36, 6, 36, 0],
          columns: [
            { text: 'Instructor signature: ______________________________', width: '*' },
            { text: 'Date: ______________', width: 'auto' },
          ],
        },
        {
          margin: [36, 4, 36, 0],
          fontSize: 7.5,
          text: 'Corrections go on a separate line: no correction fluid, erasures or strike-throughs.',
        },
        footer(
          `Sign-in sheet — ${s.course_number ? `${s.course_number} ` : ''}${s.course_title}`,
          date,
        )(page, count),
      ],
    }),
  };
}
