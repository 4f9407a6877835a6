/**
 * The records PDFs besides the sign-in sheet (./sign-in.ts): a class's results summary, and the
 * certification roster as its export profile lays it out. Definitions only; ./pdf.ts renders them.
 */
import type { Records } from '../db';
import { departmentClock, departmentProfile, describeRule } from '../department';
import { sessionResults } from './results';
import type { ExportOptions } from './session';
import { weakSpotsOf } from './weak-spots';
import type { RangeInput } from './across';
import { byLastName, namesOf, rosterNoShows } from './people';
import { pickProfile, rosterLayout, rosterSessions } from './certification';
import type { SessionRoster } from './certification';
import { GRID, footer, metaTable, pdfText, td, th } from './pdf';
import type { PdfDoc } from './pdf';

const pct = (x: number | null) => (x === null ? '' : `${x}%`);

/** A class's results on paper: the session, each trainee's attendance, scores and credit, and the topics by share correct. */
export function resultsPdf(records: Records, sessionId: string, o: ExportOptions = {}): PdfDoc {
  const s = records.session(sessionId);
  if (!s) throw new Error(`no session ${sessionId}`);
  const dept = departmentProfile(o.department);
  const clock = departmentClock(dept);
  const res = sessionResults(records, sessionId, dept, o.now ?? Date.now());
  const names = namesOf(records, sessionId);
  const modules =
    (
      records.db
        .prepare(`SELECT title FROM session_modules WHERE session_id = ? ORDER BY seq`)
        .pluck()
        .all(sessionId) as string[]
    ).join('; ') || s.title;
  const absent = rosterNoShows(records, sessionId);
  const date = clock.date(s.started_at);

  const people = [
    ...res.trainees.map((t) => ({ ...names(t.name, t.officerId), officerId: t.officerId, t })),
    ...absent.map((a) => ({
      ...(a.lastName ? { last: a.lastName, first: a.firstName } : names(a.name, a.officerId)),
      officerId: a.officerId,
      agency: a.agency,
      t: null,
    })),
  ].sort(byLastName);
  const body: PdfDoc[][] = [
    [
      'Last name',
      'First name',
      dept.officerIdLabel,
      'Agency',
      'Present',
      'Pre-test',
      'Post-test',
      'Score',
      'Result',
      'Credit',
      'Hours',
      'Certificate',
    ].map(th),
  ];
  for (const p of people) {
    const t = p.t;
    body.push(
      t
        ? [
            td(p.last),
            td(p.first),
            td(t.officerId),
            td(t.agency),
            td(pct(t.presentPercent)),
            td(pct(t.pretestPercent)),
            td(pct(t.posttestPercent)),
            td(pct(t.scorePercent)),
            td(t.result ?? ''),
            td(t.creditEarned === null ? 'pending' : t.creditEarned ? 'Yes' : 'No'),
            td(t.hoursAwarded ?? ''),
            td(t.certificate ?? ''),
          ]
        : [
            td(p.last),
            td(p.first),
            td(p.officerId),
            td('agency' in p ? p.agency : ''),
            { text: 'Absent (rostered, never joined)', colSpan: 8, italics: true },
            ...Array.from({ length: 7 }, () => ({})),
          ],
    );
  }
  const topics = weakSpotsOf(records, [s]).byTag;
  const topicBody: PdfDoc[][] = [
    ['Topic', 'Answers', 'Share correct', 'Pre-test answers', 'Pre-test share correct'].map(th),
  ];
  for (const t of topics)
    topicBody.push([
      td(t.tag),
      td(t.answered),
      td(t.answered ? `${Math.round(t.share * 100)}%` : ''),
      td(t.pretest.answered),
      td(t.pretest.answered ? `${Math.round(t.pretest.share * 100)}%` : ''),
    ]);
  const passed = res.trainees.filter((t) => t.result === 'Pass').length;
  const credited = res.trainees.filter((t) => t.creditEarned).length;

  return {
    pageSize: 'LETTER',
    pageOrientation: 'landscape',
    pageMargins: [36, 30, 36, 40],
    info: {
      title: pdfText(`Results — ${s.course_title} — ${date}`),
      subject: 'Class results',
      creator: 'Muster',
    },
    content: [
      { text: 'Class results', fontSize: 15, bold: true },
      { text: pdfText(s.course_title), fontSize: 12, bold: true, margin: [0, 2, 0, 6] },
      metaTable([
        ['Course number', s.course_number ?? ''],
        ['Date', date],
        [
          'Time',
          `${clock.time(s.started_at)}${s.ended_at ? `–${clock.time(s.ended_at)}` : ' (running)'}, ${clock.label(s.started_at)}`,
        ],
        ['Location', s.location ?? ''],
        ['Instructors', s.instructors ?? ''],
        ['Presenting agency', dept.agency],
        ['Modules presented', modules],
        ['Credit hours', s.credit_hours === null ? '' : String(s.credit_hours)],
        [
          'Pass mark',
          `${res.passMark}% (${res.passMarkSource === 'course' ? 'course' : 'department default'}); score on ${res.scoredOn?.toLowerCase() ?? 'no graded questions'}`,
        ],
        ['Credit rule', describeRule(dept)],
      ]),
      {
        text: pdfText(
          `${res.trainees.length} trainees · ${passed} passed · ${res.ended ? `${credited} earned the credit` : 'credit is decided when the session ends'}${absent.length ? ` · ${absent.length} rostered, never joined` : ''}`,
        ),
        margin: [0, 0, 0, 6],
      },
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [70, 60, 56, '*', 38, 38, 40, 36, 32, 36, 30, 100],
          body,
        },
        layout: GRID,
      },
      ...(topics.length
        ? [
            {
              text: 'Topics, weakest first (post-test, quiz and live answers; the pre-test as the baseline)',
              bold: true,
              margin: [0, 12, 0, 4],
            },
            {
              table: {
                headerRows: 1,
                dontBreakRows: true,
                widths: ['*', 60, 70, 80, 100],
                body: topicBody,
              },
              layout: GRID,
            },
          ]
        : []),
    ],
    footer: footer(
      `Class results — ${s.course_number ? `${s.course_number} ` : ''}${s.course_title}`,
      date,
    ),
  };
}

/** The certification roster on paper, laid out by the export profile: landscape, the header row on every page. */
export function rosterPdf(
  records: Records,
  r: RangeInput,
  o: ExportOptions & { profile?: string | null } = {},
): PdfDoc {
  return rosterPdfOf(rosterSessions(records, r, o), r, o);
}

/** The same from sessions' roster records (the records server's are derived). */
export function rosterPdfOf(
  sessions: SessionRoster[],
  r: RangeInput,
  o: ExportOptions & { profile?: string | null } = {},
): PdfDoc {
  const dept = departmentProfile(o.department);
  const clock = departmentClock(dept);
  const profile = pickProfile(o.profiles, o.profile);
  const table = rosterLayout(sessions, profile, dept);
  // Short values (IDs, dates, times, numbers) as wide as they are; long text shares the rest of the page.
  const dates = new Set(profile.columns.flatMap((c, i) => (c.field === 'dates' ? [i] : [])));
  const widths = table.widths.map((_w, i) =>
    table.wrap.includes(i) && !dates.has(i) ? '*' : 'auto',
  );
  const [header, ...rows] = table.rows;
  const range = `${r.from || 'the first session'} to ${r.to || 'today'}`;
  return {
    pageSize: 'LETTER',
    pageOrientation: 'landscape',
    pageMargins: [36, 30, 36, 40],
    info: {
      title: pdfText(`Certification roster — ${range}`),
      subject: 'Certification roster',
      creator: 'Muster',
    },
    defaultStyle: { font: 'Helvetica', fontSize: table.widths.length > 12 ? 7 : 8 },
    content: [
      { text: 'Certification roster', fontSize: 15, bold: true },
      metaTable([
        ['Dates', range],
        ['Course', r.course ?? 'all courses'],
        ['Presenting agency', dept.agency],
        ['Layout', profile.name],
        ['Times', `local, ${clock.label(o.now ?? Date.now())}`],
        [
          'Trainees listed',
          `${rows.length}${profile.include === 'credit' ? ' (those who earned the credit)' : ''}`,
        ],
      ]),
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths,
          body: [
            header.map((h) => th(String(h ?? ''))),
            ...rows.map((row) => row.map((v) => td(v))),
          ],
        },
        layout: GRID,
      },
    ],
    footer: footer(`Certification roster — ${profile.name}`, range),
  };
}
