/**
 * The printable sign-in sheet (TCOLE keeps the original signed roster with PIDs in the training
 * file): course title, number, date and place in the header; one line per trainee with name,
 * officer ID, agency, check-in time and an empty signature box; blank lines for walk-ins.
 * Plain HTML with print CSS, no script; everything from the records is HTML-escaped.
 */
import type { Records } from '../db';
import { departmentProfile } from '../department';
import { localDate, localTime } from './cells';
import { attendance } from './results';
import type { ExportOptions } from './session';

export const SIGN_IN_CSS = `
@page { size: auto; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.35 system-ui, "Segoe UI", Arial, sans-serif; color: #000; background: #fff; margin: 1.5rem; }
h1 { font-size: 16pt; margin: 0 0 .25rem; }
.course { font-size: 14pt; font-weight: 600; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: .15rem .75rem; margin: 0 0 .75rem; }
dt { font-weight: 600; }
dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: .2rem .4rem; text-align: left; vertical-align: middle; }
th { background: #eee; font-size: 10pt; }
tbody tr { height: 9mm; page-break-inside: avoid; break-inside: avoid; }
td.n { width: 2.5rem; text-align: right; }
td.sig, th.sig { width: 30%; }
td.id { font-family: ui-monospace, Consolas, monospace; }
footer { margin-top: 1rem; font-size: 10pt; }
.lines { display: flex; gap: 2rem; margin-top: 1.5rem; }
.lines span { flex: 1; border-top: 1px solid #000; padding-top: .2rem; }
.screen-only { background: #fff8d6; border: 1px solid #d8c36a; padding: .4rem .6rem; margin-bottom: 1rem; }
@media print { body { margin: 0; } .screen-only { display: none; } }
`;

/** Text for HTML content and attribute values. */
export function escapeHtml(s: string | null | undefined): string {
  return (s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const BLANK_LINES = 5;

interface Line {
  name: string;
  officerId: string;
  agency: string;
  checkIn: number | null;
}

/** Roster lines of the session not (yet) joined, when the roster table exists. */
function rosterLines(records: Records, sessionId: string, joined: Set<string>): Line[] {
  const cols = new Set((records.db.prepare(`SELECT name FROM pragma_table_info('roster_entries')`).all() as { name: string }[]).map((c) => c.name));
  if (!['session_id', 'officer_id', 'name'].every((c) => cols.has(c))) return [];
  const rows = records.db
    .prepare(`SELECT officer_id, name, ${cols.has('agency') ? 'agency' : "''"} AS agency FROM roster_entries WHERE session_id = ?`)
    .all(sessionId) as { officer_id: string; name: string; agency: string | null }[];
  return rows.filter((r) => !joined.has(r.officer_id.trim().toUpperCase())).map((r) => ({ name: r.name, officerId: r.officer_id, agency: r.agency ?? '', checkIn: null }));
}

export function signInSheet(records: Records, sessionId: string, o: ExportOptions = {}): string {
  const s = records.session(sessionId);
  if (!s) throw new Error(`no session ${sessionId}`);
  const dept = departmentProfile(o.department);
  const att = attendance(records, sessionId);
  const joined = new Set(att.map((a) => a.officerId.trim().toUpperCase()));
  const lines: Line[] = [...att.map((a) => ({ name: a.name, officerId: a.officerId, agency: a.agency, checkIn: a.checkIn })), ...rosterLines(records, sessionId, joined)];
  lines.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.officerId.localeCompare(b.officerId));
  const e = escapeHtml;
  const when = `${localTime(s.started_at)}${s.ended_at ? `–${localTime(s.ended_at)}` : ''}`;
  const meta: [string, string][] = [
    ['Course number', s.course_number ?? ''],
    ['Date', localDate(s.started_at)],
    ['Module', s.title],
    ['Time', when],
    ['Location', s.location ?? ''],
    ['Instructors', s.instructors ?? ''],
    ['Presenting agency', dept.agency],
    ['Credit hours', s.credit_hours === null ? '' : String(s.credit_hours)],
  ];
  const row = (l: Line | null, i: number) =>
    `<tr><td class="n">${i + 1}</td><td>${l ? e(l.name) : ''}</td><td class="id">${l ? e(l.officerId) : ''}</td><td>${l ? e(l.agency) : ''}</td><td>${l?.checkIn ? e(localTime(l.checkIn)) : ''}</td><td class="sig"></td></tr>`;
  const body = [...lines.map(row), ...Array.from({ length: BLANK_LINES }, (_, i) => row(null, lines.length + i))].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in sheet — ${e(s.course_title)} — ${e(localDate(s.started_at))}</title>
<style>${SIGN_IN_CSS}</style>
</head>
<body>
<p class="screen-only">Print this page (Ctrl+P or ⌘P). Each trainee signs on their own line.</p>
<header>
<h1>Sign-in sheet</h1>
<p class="course">${e(s.course_title)}</p>
<dl>${meta.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
</header>
<table>
<thead><tr><th>#</th><th>Name</th><th>${e(dept.officerIdLabel)}</th><th>Agency</th><th>Checked in</th><th class="sig">Signature</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<footer>
<p>Corrections go on a separate line: no correction fluid, erasures or strike-throughs.</p>
<div class="lines"><span>Instructor signature</span><span>Date</span></div>
<p>Session ${e(s.id)}</p>
</footer>
</body>
</html>
`;
}
