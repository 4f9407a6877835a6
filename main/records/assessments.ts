/**
 * Self-paced assessments as the record sees them: each trainee's score on a pre-test or post-test
 * (correctness only, unanswered questions count as wrong), and the knowledge gain of a class, the
 * same trainees' post-test against their pre-test.
 *
 * A course's pre-test is often given in the morning's session and the post-test in the afternoon's,
 * so a trainee's pre-test is looked up by officer ID across the sessions of the same course: this
 * session's first, else their latest earlier one.
 */
import type { Records } from './db';
import { round1 } from './export/cells';
import { normOfficerId } from '../../shared/identity';
import type { AssessmentKind } from '../../shared/vocabulary';
import type { KnowledgeGain } from '../../shared/protocol';
import { isGraded, score } from '../../shared/question';
import type { AnswerValue, QuestionDef } from '../../shared/question';

/** One trainee's result on one assessment: percent, and sums by topic tag (for the gain by topic). */
export interface AssessmentScore {
  traineeId: string;
  percent: number;
  /** tag → [sum of scores, questions] over the graded questions carrying the tag. */
  byTag: Map<string, [number, number]>;
}

export interface AssessmentRow {
  id: string;
  session_id: string;
  key: string;
  kind: AssessmentKind;
  title: string;
  opened_at: number;
  closed_at: number | null;
}

export function sessionAssessments(records: Records, sessionId: string): AssessmentRow[] {
  return records.db
    .prepare(
      `SELECT id, session_id, key, kind, title, opened_at, closed_at FROM assessments WHERE session_id = ? ORDER BY opened_at, rowid`,
    )
    .all(sessionId) as AssessmentRow[];
}

/**
 * Every participant's score on an assessment (a participant answered at least one question or
 * submitted). Null for an assessment with no graded question.
 */
export function assessmentScores(
  records: Records,
  assessmentId: string,
): Map<string, AssessmentScore> | null {
  const db = records.db;
  const runs = (
    db
      .prepare(
        `SELECT id, question_json FROM question_runs WHERE assessment_id = ? ORDER BY position`,
      )
      .all(assessmentId) as { id: string; question_json: string }[]
  )
    .map((r) => ({ id: r.id, q: JSON.parse(r.question_json) as QuestionDef }))
    .filter((r) => isGraded(r.q));
  if (!runs.length) return null;
  const index = new Map(runs.map((r, i) => [r.id, i]));
  const people = new Map<string, number[]>();
  const participant = (t: string) => {
    let s = people.get(t);
    if (!s) people.set(t, (s = new Array<number>(runs.length).fill(0)));
    return s;
  };
  const rows = db
    .prepare(
      `SELECT r.run_id, r.trainee_id, r.value_json FROM responses r JOIN question_runs q ON q.id = r.run_id WHERE q.assessment_id = ?`,
    )
    .raw()
    .all(assessmentId) as [string, string, string][];
  for (const [runId, traineeId, json] of rows) {
    const i = index.get(runId);
    const scores = participant(traineeId);
    if (i !== undefined) scores[i] = score(runs[i].q, JSON.parse(json) as AnswerValue) ?? 0;
  }
  for (const t of db
    .prepare(`SELECT trainee_id FROM assessment_submissions WHERE assessment_id = ?`)
    .pluck()
    .all(assessmentId) as string[])
    participant(t);
  const out = new Map<string, AssessmentScore>();
  for (const [traineeId, scores] of people) {
    const byTag = new Map<string, [number, number]>();
    runs.forEach((r, i) => {
      for (const tag of r.q.tags ?? []) {
        const t = byTag.get(tag) ?? [0, 0];
        t[0] += scores[i];
        t[1] += 1;
        byTag.set(tag, t);
      }
    });
    out.set(traineeId, {
      traineeId,
      percent: round1((scores.reduce((a, b) => a + b, 0) / runs.length) * 100),
      byTag,
    });
  }
  return out;
}

/**
 * The pre-test result of each of `officers` (normalised officer IDs) that took one of `course`'s
 * pre-tests opened before `before`: the one in `sessionId` when there is one, else the latest.
 * Keyed by normalised officer ID. Only pre-tests of classes those officers were in are scored, and
 * the search stops once every one is found: a course given for years has many pre-tests.
 */
export function pretestsByOfficer(
  records: Records,
  course: string,
  before: number,
  sessionId: string,
  officers: ReadonlySet<string>,
): Map<string, AssessmentScore & { title: string }> {
  const candidates = records.db
    .prepare(
      `SELECT a.id, a.title, a.session_id FROM assessments a JOIN sessions s ON s.id = a.session_id
       WHERE a.kind = 'pretest' AND s.course = ? AND a.opened_at <= ?
       ORDER BY (a.session_id = ?) DESC, a.opened_at DESC, a.rowid DESC`,
    )
    .all(course, before, sessionId) as { id: string; title: string; session_id: string }[];
  const out = new Map<string, AssessmentScore & { title: string }>();
  const officer = records.db.prepare(`SELECT officer_id FROM trainees WHERE id = ?`).pluck();
  const classOf = records.db
    .prepare(`SELECT officer_id FROM trainees WHERE session_id = ?`)
    .pluck();
  for (const c of candidates) {
    if (out.size === officers.size) break;
    const wanted = (classOf.all(c.session_id) as string[]).some(
      (id) => officers.has(normOfficerId(id)) && !out.has(normOfficerId(id)),
    );
    if (!wanted) continue;
    const scores = assessmentScores(records, c.id);
    if (!scores) continue;
    for (const s of scores.values()) {
      const id = officer.get(s.traineeId) as string | undefined;
      if (id === undefined) continue;
      const key = normOfficerId(id);
      // Candidates come best first: the first pre-test found for an officer is theirs.
      if (officers.has(key) && !out.has(key)) out.set(key, { ...s, title: c.title });
    }
  }
  return out;
}

const mean = (xs: number[]) =>
  xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null;

/** The knowledge gain of a session's (latest) post-test; null when the session gave none. */
export function knowledgeGain(records: Records, sessionId: string): KnowledgeGain | null {
  const session = records.session(sessionId);
  if (!session) return null;
  const post = sessionAssessments(records, sessionId)
    .filter((a) => a.kind === 'posttest')
    .at(-1);
  if (!post) return null;
  const postScores = assessmentScores(records, post.id) ?? new Map<string, AssessmentScore>();
  const people = records.db
    .prepare(
      `SELECT id, name, officer_id FROM trainees WHERE session_id = ? ORDER BY joined_at, id`,
    )
    .all(sessionId) as { id: string; name: string; officer_id: string }[];
  const pre = pretestsByOfficer(
    records,
    session.course,
    post.opened_at,
    sessionId,
    new Set(people.map((p) => normOfficerId(p.officer_id))),
  );
  const trainees: KnowledgeGain['trainees'] = [];
  const tags = new Map<string, { pre: [number, number]; post: [number, number] }>();
  const pairs: [number, number][] = [];
  for (const p of people) {
    const po = postScores.get(p.id);
    const pr = pre.get(normOfficerId(p.officer_id));
    if (!po && !pr) continue;
    trainees.push({
      officerId: p.officer_id,
      name: p.name,
      pre: pr?.percent ?? null,
      post: po?.percent ?? null,
    });
    if (!po || !pr) continue;
    pairs.push([pr.percent, po.percent]);
    for (const [which, s] of [
      ['pre', pr],
      ['post', po],
    ] as const)
      for (const [tag, [sum, n]] of s.byTag) {
        const t = tags.get(tag) ?? { pre: [0, 0], post: [0, 0] };
        t[which][0] += sum;
        t[which][1] += n;
        tags.set(tag, t);
      }
  }
  const preMean = mean(pairs.map((x) => x[0]));
  const postMean = mean(pairs.map((x) => x[1]));
  const share = ([sum, n]: [number, number]) => (n ? round1((sum / n) * 100) : null);
  return {
    pretestTitle: [...pre.values()][0]?.title ?? 'Pre-test',
    posttestTitle: post.title,
    matched: pairs.length,
    posttestTakers: postScores.size,
    preMean,
    postMean,
    gain: preMean !== null && postMean !== null ? round1(postMean - preMean) : null,
    byTag: [...tags]
      .map(([tag, t]) => ({ tag, pre: share(t.pre), post: share(t.post) }))
      // Topics asked in both, the weakest post-test result first: that is where to teach again.
      .filter((t) => t.pre !== null && t.post !== null)
      .sort((a, b) => (a.post ?? 0) - (b.post ?? 0) || a.tag.localeCompare(b.tag)),
    trainees,
  };
}
