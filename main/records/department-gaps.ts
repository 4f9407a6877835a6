/**
 * The Department gaps report from the records: the anonymous department gap audit (poll questions
 * tagged `department-gap`, asked in Module 4) totalled across sessions, or for one session.
 *
 * Anonymous means no report shows who answered what: answers are only counted, an agency appears on
 * its own for a question only with at least MIN_GROUP respondents to it (smaller ones are pooled,
 * and the pool is left out when it is small too), and the session workbook's Responses sheet leaves these answers
 * out (see isDepartmentGap). The records file itself keeps each answer with its trainee, as it does
 * for every poll: that is the engine's storage, not a report.
 */
import type { Records } from './db';
import { neutralise, text } from './export/cells';
import { sessionsInRange } from './export/across';
import type { RangeInput } from './export/across';
import { loadResponses, loadRuns } from './export/results';
import type { LoadedResponse, LoadedRun } from './export/results';
import type { SheetSpec } from './export/xlsx';
import { OTHER_AGENCIES } from '../../shared/department-gaps';
import type { DepartmentGaps, GapCounts, GapItem } from '../../shared/department-gaps';
import type { QuestionDef } from '../../shared/question';

export type { DepartmentGaps };

export const GAP_TAG = 'department-gap';
export const MIN_GROUP = 3;

/** A question of the department gap audit: its answers are reported only as totals. */
export function isDepartmentGap(q: QuestionDef): boolean {
  return q.tags?.includes(GAP_TAG) === true;
}

type Tally = { yes: number; no: number; unknown: number; respondents: number };
const empty = (): Tally => ({ yes: 0, no: 0, unknown: 0, respondents: 0 });
const finish = (t: Tally): GapCounts => ({
  ...t,
  gapShare: t.respondents ? Math.round(((t.no + t.unknown) / t.respondents) * 10000) / 10000 : 0,
});
const agencyKey = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();

function count(t: Tally, value: unknown): void {
  t.respondents++;
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (v === 'yes') t.yes++;
  else if (v === 'no') t.no++;
  else t.unknown++;
}

/** The audit's totals over the given sessions. */
function tally(
  records: Records,
  sessionIds: string[],
  meta: Pick<DepartmentGaps, 'from' | 'to' | 'course'>,
  loaded?: { runs: LoadedRun[]; responses: LoadedResponse[] },
): DepartmentGaps {
  const items = new Map<string, { prompt: string; all: Tally; agencies: Map<string, Tally> }>();
  const people = new Set<string>(); // normalised officer IDs
  const agencyNames = new Map<string, string>();
  // Each officer's latest answer to each gap question counts once (sessions come oldest first): an
  // officer who took the audit in two classes is one respondent.
  const latest = new Map<string, { q: QuestionDef; value: unknown; agency: string }>();
  let sessions = 0;
  for (const id of sessionIds) {
    // One session's workbook passes what it already loaded: a big class's answers are read once.
    const runs = (loaded?.runs ?? loadRuns(records, id)).filter((r) => isDepartmentGap(r.q));
    if (!runs.length) continue;
    sessions++;
    const byRun = new Map(runs.map((r) => [r.id, r]));
    const trainees = new Map(
      (
        records.db
          .prepare(`SELECT id, officer_id, agency FROM trainees WHERE session_id = ?`)
          .all(id) as { id: string; officer_id: string; agency: string }[]
      ).map((t) => [t.id, t]),
    );
    for (const resp of loaded?.responses ?? loadResponses(records, id, runs)) {
      const run = byRun.get(resp.runId);
      if (!run) continue;
      const t = trainees.get(resp.traineeId);
      const person = t ? t.officer_id.trim().toUpperCase() : resp.traineeId;
      const agency = t?.agency.trim() || '(no agency)';
      people.add(person);
      if (!agencyNames.has(agencyKey(agency))) agencyNames.set(agencyKey(agency), agency);
      latest.set(`${person}\u0000${run.q.id}`, {
        q: run.q,
        value: resp.value,
        agency: agencyKey(agency),
      });
    }
  }
  for (const a of latest.values()) {
    let it = items.get(a.q.id);
    if (!it) items.set(a.q.id, (it = { prompt: a.q.prompt, all: empty(), agencies: new Map() }));
    count(it.all, a.value);
    let g = it.agencies.get(a.agency);
    if (!g) it.agencies.set(a.agency, (g = empty()));
    count(g, a.value);
  }
  // An agency is shown on its own, for a question, only with MIN_GROUP respondents to it; the rest
  // are pooled, and the pool is shown only when it reaches MIN_GROUP too.
  const out: GapItem[] = [...items].map(([questionId, it]) => {
    const byAgency: GapItem['byAgency'] = [];
    const pool = empty();
    for (const [a, t] of it.agencies) {
      if (t.respondents >= MIN_GROUP)
        byAgency.push({ agency: agencyNames.get(a) ?? a, ...finish(t) });
      else for (const k of ['yes', 'no', 'unknown', 'respondents'] as const) pool[k] += t[k];
    }
    byAgency.sort((x, y) => y.gapShare - x.gapShare || x.agency.localeCompare(y.agency));
    if (pool.respondents >= MIN_GROUP) byAgency.push({ agency: OTHER_AGENCIES, ...finish(pool) });
    return { questionId, prompt: it.prompt, ...finish(it.all), byAgency };
  });
  out.sort((x, y) => y.gapShare - x.gapShare || x.questionId.localeCompare(y.questionId));
  return { ...meta, sessions, respondents: people.size, minGroup: MIN_GROUP, items: out };
}

/** The audit across the sessions of a date range (and course). */
export function departmentGaps(records: Records, r: RangeInput): DepartmentGaps {
  const ids = sessionsInRange(records, r).map((s) => s.id);
  return tally(records, ids, { from: r.from || null, to: r.to || null, course: r.course || null });
}

/** The audit of one session (its workbook's Department gaps sheet). */
export function sessionDepartmentGaps(
  records: Records,
  sessionId: string,
  loaded?: { runs: LoadedRun[]; responses: LoadedResponse[] },
): DepartmentGaps {
  return tally(records, [sessionId], { from: null, to: null, course: null }, loaded);
}

/** The report as sheets: all agencies, then each agency shown, then what the report covers. */
export function departmentGapsSheets(g: DepartmentGaps): SheetSpec[] {
  const counts = (c: GapCounts) => [c.respondents, c.yes, c.no, c.unknown, c.gapShare];
  const agencyRows = g.items.flatMap((it) =>
    it.byAgency.map((a) => [
      neutralise(a.agency),
      it.questionId,
      neutralise(it.prompt),
      ...counts(a),
    ]),
  );
  return [
    {
      name: 'Department gaps',
      rows: [
        [
          'Question ID',
          'Question',
          'Respondents',
          'Yes',
          'No',
          "Don't know",
          "Gap (No + don't know)",
        ],
        ...g.items.map((it) => [it.questionId, neutralise(it.prompt), ...counts(it)]),
      ],
      widths: [26, 70, 12, 8, 8, 12, 22],
      formats: { 6: '0%' },
    },
    {
      name: 'Gaps by agency',
      rows: [
        [
          'Agency',
          'Question ID',
          'Question',
          'Respondents',
          'Yes',
          'No',
          "Don't know",
          "Gap (No + don't know)",
        ],
        ...agencyRows,
      ],
      widths: [34, 26, 60, 12, 8, 8, 12, 22],
      formats: { 7: '0%' },
    },
    {
      name: 'About this report',
      rows: [
        ['Field', 'Value'],
        ['From', g.from ?? ''],
        ['To', g.to ?? ''],
        ['Course', text(g.course)],
        ['Sessions with the audit', g.sessions],
        ['Respondents', g.respondents],
        [
          'Anonymity',
          `Totals only. An agency is shown on its own with at least ${g.minGroup} respondents; smaller agencies are pooled, or left out when the pool is smaller too.`,
        ],
      ],
      widths: [24, 100],
    },
  ];
}

/** The one sheet the session workbook gets, or null when the session asked no gap question. */
export function departmentGapsSessionSheet(
  records: Records,
  sessionId: string,
  loaded?: { runs: LoadedRun[]; responses: LoadedResponse[] },
): SheetSpec | null {
  const g = sessionDepartmentGaps(records, sessionId, loaded);
  return g.items.length ? departmentGapsSheets(g)[0] : null;
}
