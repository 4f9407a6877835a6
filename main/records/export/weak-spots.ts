/**
 * The weak-spot report: item analysis across sessions by topic tag and by agency, with the
 * pre-test as a baseline beside it.
 */
import type { Records, SessionRow } from '../db';
import { departmentClock, departmentProfile } from '../department';
import { sessionsInRange } from './across';
import type { RangeInput } from './across';
import { neutralise, text } from './cells';
import { loadResponses, loadRuns } from './results';
import type { ExportOptions } from './session';
import type { Cell, SheetSpec } from './xlsx';
import type { WeakSpotStat, WeakSpots } from '../../../shared/records';

export type { WeakSpotStat, WeakSpots };

export const UNTAGGED = '(untagged)';
/** How agencies are grouped: however trainees typed them, case and spacing aside. */
export const agencyKey = (a: string) => a.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Item analysis across sessions: the share of correct answers to graded questions (course
 * evaluations and polls left out), by topic tag, by agency (spelled however trainees typed it,
 * grouped case-insensitively), by both, and by question. Weakest first.
 *
 * What counts is what the class knew once taught: post-test, quiz and live answers. Pre-test
 * answers are given before any teaching, so they are kept apart, as each row's baseline; a row
 * with only pre-test answers comes last.
 */
export function weakSpots(records: Records, r: RangeInput, o: ExportOptions = {}): WeakSpots {
  return weakSpotsOf(
    records,
    sessionsInRange(records, r, departmentClock(departmentProfile(o.department))),
    r,
  );
}

/** The weak-spot report over the given sessions. */
export function weakSpotsOf(
  records: Records,
  sessions: SessionRow[],
  r: RangeInput = {},
): WeakSpots {
  type Row = WeakSpotStat;
  const blank = (): Row => ({
    answered: 0,
    correct: 0,
    share: 0,
    pretest: { answered: 0, correct: 0, share: 0 },
  });
  const tally = <T extends object>(
    m: Map<string, Row & T>,
    key: string,
    init: () => T,
    ok: boolean,
    pre: boolean,
  ) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = { ...blank(), ...init() }));
    const into = pre ? s.pretest : s;
    into.answered++;
    if (ok) into.correct++;
    return s;
  };
  const byTag = new Map<string, Row & { tag: string }>();
  const byAgency = new Map<string, Row & { agency: string; people: Set<string> }>();
  const byAgencyTag = new Map<string, Row & { agency: string; tag: string }>();
  const byQuestion = new Map<
    string,
    Row & { questionId: string; prompt: string; tags: string[]; ids: Set<string> }
  >();
  let answers = 0;
  let pretestAnswers = 0;
  for (const s of sessions) {
    const all = loadRuns(records, s.id);
    const runs = new Map(all.filter((x) => x.scored).map((x) => [x.id, x]));
    if (!runs.size) continue;
    const people = new Map(
      (
        records.db
          .prepare(`SELECT id, officer_id, agency FROM trainees WHERE session_id = ?`)
          .all(s.id) as { id: string; officer_id: string; agency: string }[]
      ).map((t) => [t.id, t]),
    );
    for (const resp of loadResponses(records, s.id, all)) {
      const run = runs.get(resp.runId);
      if (!run) continue;
      const pre = run.assessment?.kind === 'pretest';
      if (pre) pretestAnswers++;
      else answers++;
      const ok = resp.ok === true;
      const person = people.get(resp.traineeId);
      const agency = person?.agency.trim() || '(no agency)';
      const aKey = agencyKey(agency);
      const tags = run.q.tags?.length ? [...new Set(run.q.tags)] : [UNTAGGED];
      for (const tag of tags) {
        tally(byTag, tag, () => ({ tag }), ok, pre);
        tally(byAgencyTag, `${aKey}\u0000${tag}`, () => ({ agency, tag }), ok, pre);
      }
      tally(byAgency, aKey, () => ({ agency, people: new Set<string>() }), ok, pre).people.add(
        person ? person.officer_id.trim().toUpperCase() : resp.traineeId,
      );
      tally(
        byQuestion,
        run.q.id,
        () => ({
          questionId: run.q.id,
          prompt: run.q.prompt,
          tags: run.q.tags ?? [],
          ids: new Set<string>(),
        }),
        ok,
        pre,
      ).ids.add(s.id);
    }
  }
  const share = (x: { answered: number; correct: number }) =>
    x.answered ? Math.round((x.correct / x.answered) * 10000) / 10000 : 0;
  const finish = <T extends Row>(xs: Iterable<T>): T[] =>
    [...xs]
      .map((x) => ({ ...x, share: share(x), pretest: { ...x.pretest, share: share(x.pretest) } }))
      .sort(
        (a, b) =>
          Number(a.answered === 0) - Number(b.answered === 0) ||
          a.share - b.share ||
          b.answered - a.answered,
      );
  return {
    from: r.from || null,
    to: r.to || null,
    course: r.course || null,
    sessions: sessions.length,
    answers,
    pretestAnswers,
    byTag: finish(byTag.values()),
    byAgency: finish(byAgency.values()).map(({ people, ...x }) => ({
      ...x,
      trainees: people.size,
    })),
    byAgencyTag: finish(byAgencyTag.values()),
    byQuestion: finish(byQuestion.values()).map(({ ids, ...x }) => ({ ...x, sessions: ids.size })),
  };
}

/** The weak-spot report as a workbook: a sheet per grouping, weakest first, and the range it covers. */
export function weakSpotsSheets(w: WeakSpots): SheetSpec[] {
  const STAT = [
    'Answers',
    'Correct',
    'Share correct',
    'Pre-test answers (baseline)',
    'Pre-test share correct',
  ];
  // An empty share where nothing was answered: 0% would read as "all wrong".
  const stat = (s: WeakSpotStat): Cell[] => [
    s.answered,
    s.correct,
    s.answered ? s.share : '',
    s.pretest.answered,
    s.pretest.answered ? s.pretest.share : '',
  ];
  const pct = (first: number) => ({ [first + 2]: '0%', [first + 4]: '0%' });
  const W = [9, 9, 9, 11, 11];
  return [
    {
      name: 'By topic',
      rows: [['Topic tag', ...STAT], ...w.byTag.map((s) => [neutralise(s.tag), ...stat(s)])],
      widths: [28, ...W],
      formats: pct(1),
      wrap: [0],
    },
    {
      name: 'By agency',
      rows: [
        ['Agency', 'Trainees', ...STAT],
        ...w.byAgency.map((s) => [neutralise(s.agency), s.trainees, ...stat(s)]),
      ],
      widths: [30, 9, ...W],
      formats: pct(2),
      wrap: [0],
    },
    {
      name: 'By agency and topic',
      rows: [
        ['Agency', 'Topic tag', ...STAT],
        ...w.byAgencyTag.map((s) => [neutralise(s.agency), neutralise(s.tag), ...stat(s)]),
      ],
      widths: [30, 24, ...W],
      formats: pct(2),
      wrap: [0, 1],
    },
    {
      name: 'By question',
      rows: [
        ['Question ID', 'Question', 'Tags', 'Sessions', ...STAT],
        ...w.byQuestion.map((s) => [
          s.questionId,
          neutralise(s.prompt),
          neutralise(s.tags.join(', ')),
          s.sessions,
          ...stat(s),
        ]),
      ],
      widths: [16, 44, 18, 8, ...W],
      formats: pct(4),
      wrap: [0, 1, 2],
    },
    {
      name: 'Range',
      rows: [
        ['Field', 'Value'],
        ['From', w.from ?? ''],
        ['To', w.to ?? ''],
        ['Course', text(w.course)],
        ['Sessions', w.sessions],
        ['Answers counted (post-test, quiz, live)', w.answers],
        ['Pre-test answers (baseline, not counted)', w.pretestAnswers],
      ],
      widths: [40, 30],
    },
  ];
}
