/**
 * What a session means for the record, computed from what it stored: attendance (check-in/out,
 * minutes present, late arrival, early departure), scores (correctness only, through score()),
 * pass/fail against the pass mark, credit hours by the department's rule, certificate numbers.
 * The session workbook, the certification roster and a trainee's history all read it from here.
 */
import type { Records, SessionRow } from '../db';
import { departmentClock } from '../department';
import type { DepartmentProfile } from '../department';
import type { Clock } from '../../../shared/clock';
import { isCorrect, isGraded, score } from '../../../shared/question';
import type { AnswerValue, QuestionDef } from '../../../shared/question';
import { isEvaluation, round1 } from './cells';
import { attendanceOf } from './presence';
import type { AttendanceSummary } from './presence';
import { assessmentScores, pretestsByOfficer } from '../assessments';
import { normOfficerId } from '../../../shared/identity';
import type { AssessmentKind } from '../../../shared/vocabulary';

// Attendance lives in ./presence.ts; what imported it from here still can.
export { attendance, latestCorrections, recordedAttendanceOf } from './presence';
export type { AttendanceSummary, CorrectionRow } from './presence';

export interface LoadedRun {
  id: string;
  q: QuestionDef;
  slideIndex: number;
  openedAt: number;
  closedAt: number | null;
  /** Graded, and not a course evaluation (live questions, quizzes, pre- and post-tests alike). */
  scored: boolean;
  evaluation: boolean;
  /** The self-paced assessment the question belongs to; null for a question asked live. */
  assessment: { id: string; kind: AssessmentKind; title: string } | null;
}

export interface LoadedResponse {
  runId: string;
  traineeId: string;
  value: AnswerValue;
  /** As judged when the answer was stored (null: ungraded). */
  correct: number | null;
  firstAt: number;
  answeredAt: number;
  changes: number;
  /** isCorrect() of the answer now (null: ungraded). */
  ok: boolean | null;
  /** score() of the answer, 0–1 (null: ungraded). */
  score: number | null;
}

export interface TraineeResult extends AttendanceSummary {
  /** 1 for the first to join. */
  joinOrder: number;
  joinedAt: number;
  /** Check-in to check-out (or to the end of the session, or to now while it runs). */
  minutesInClass: number;
  /** Of the session's length, by the department's basis (span or connected). */
  presentPercent: number;
  late: boolean | null;
  minutesLate: number;
  /** null while the session runs. */
  earlyDeparture: boolean | null;
  minutesEarly: number;
  answered: number;
  correct: number;
  /** Record score, 0–100, on the post-test when the session gave one, else on the graded live questions; null when neither. */
  scorePercent: number | null;
  result: 'Pass' | 'Fail' | null;
  /** The pre-test score: this session's, else (when this session gave a post-test) the trainee's latest earlier one of the course. */
  pretestPercent: number | null;
  posttestPercent: number | null;
  /** Post-test minus pre-test, in percentage points. */
  gain: number | null;
  /** null when the session asked no evaluation question. */
  evaluationSubmitted: boolean | null;
  /** null while the session runs: credit is decided once it has ended. */
  creditEarned: boolean | null;
  /** null when the course sets no credit hours (or the session runs). */
  hoursAwarded: number | null;
  certificate: string | null;
}

export interface SessionResults {
  session: SessionRow;
  ended: boolean;
  /** The end of the session, or now while it runs. */
  end: number;
  durationMinutes: number;
  passMark: number;
  passMarkSource: 'course' | 'department';
  runs: LoadedRun[];
  /** Distinct questions that count toward the score. */
  gradedQuestions: number;
  /** What the score (and pass/fail) is on. */
  scoredOn: 'Post-test' | 'Live questions' | null;
  trainees: TraineeResult[];
}

export function loadRuns(records: Records, sessionId: string): LoadedRun[] {
  const rows = records.db
    .prepare(
      `SELECT r.id, r.slide_index, r.question_json, r.opened_at, r.closed_at, a.id AS a_id, a.kind AS a_kind, a.title AS a_title
       FROM question_runs r LEFT JOIN assessments a ON a.id = r.assessment_id
       WHERE r.session_id = ? ORDER BY r.opened_at, r.rowid`,
    )
    .all(sessionId) as {
    id: string;
    slide_index: number;
    question_json: string;
    opened_at: number;
    closed_at: number | null;
    a_id: string | null;
    a_kind: NonNullable<LoadedRun['assessment']>['kind'] | null;
    a_title: string | null;
  }[];
  return rows.map((r) => {
    // The stored question was checked when its course was loaded; score() only reads its fields.
    const q = JSON.parse(r.question_json) as QuestionDef;
    const assessment = r.a_id ? { id: r.a_id, kind: r.a_kind!, title: r.a_title ?? '' } : null;
    const evaluation = isEvaluation(q) || assessment?.kind === 'evaluation';
    return {
      id: r.id,
      q,
      slideIndex: r.slide_index,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      evaluation,
      scored: isGraded(q) && !evaluation,
      assessment,
    };
  });
}

/** Every final answer of the session, by question run then join order, each judged once. */
export function loadResponses(
  records: Records,
  sessionId: string,
  runs: LoadedRun[],
): LoadedResponse[] {
  const db = records.db;
  // Sorted here rather than by an ORDER BY over a three-table join: ~5× faster on 120,000 answers.
  const runOrder = new Map(runs.map((r, i) => [r.id, i]));
  const traineeIds = db
    .prepare(`SELECT id FROM trainees WHERE session_id = ? ORDER BY joined_at, id`)
    .pluck()
    .all(sessionId) as string[];
  const joinOrder = new Map(traineeIds.map((id, i) => [id, i]));
  // Each distinct answer to a run is parsed and judged once, and shared: a big class gives the
  // same few answers thousands of times, and the fewer objects live, the less the GC has to move.
  const judged = runs.map(
    () => new Map<string, { value: AnswerValue; ok: boolean | null; score: number | null }>(),
  );
  const other = new Map<string, { value: AnswerValue; ok: null; score: null }>();
  const out: LoadedResponse[] = [];
  const keys: number[] = [];
  const width = traineeIds.length + 1;
  const rows = db
    .prepare(
      `SELECT run_id, trainee_id, value_json, correct, first_at, answered_at, changes FROM responses WHERE session_id = ?`,
    )
    .raw()
    .iterate(sessionId) as IterableIterator<
    [string, string, string, number | null, number, number, number]
  >;
  for (const r of rows) {
    const order = runOrder.get(r[0]);
    const join = joinOrder.get(r[1]);
    let j: { value: AnswerValue; ok: boolean | null; score: number | null } | undefined;
    if (order === undefined) {
      j = other.get(r[2]);
      if (!j)
        other.set(r[2], (j = { value: JSON.parse(r[2]) as AnswerValue, ok: null, score: null }));
    } else {
      j = judged[order].get(r[2]);
      if (!j) {
        const q = runs[order].q;
        const value = JSON.parse(r[2]) as AnswerValue;
        judged[order].set(r[2], (j = { value, ok: isCorrect(q, value), score: score(q, value) }));
      }
    }
    keys.push((order ?? runs.length) * width + (join ?? traineeIds.length));
    out.push({
      runId: order === undefined ? r[0] : runs[order].id,
      traineeId: join === undefined ? r[1] : traineeIds[join],
      value: j.value,
      correct: r[3],
      firstAt: r[4],
      answeredAt: r[5],
      changes: r[6],
      ok: j.ok,
      score: j.score,
    });
  }
  // One number per answer, (run, join order, index): a typed-array sort, no comparator.
  const n = out.length;
  const sortKeys = new Float64Array(n);
  for (let i = 0; i < n; i++) sortKeys[i] = keys[i] * n + i;
  sortKeys.sort();
  const sorted: LoadedResponse[] = new Array(n);
  for (let i = 0; i < n; i++) sorted[i] = out[sortKeys[i] % n];
  return sorted;
}

/**
 * `<course number>-<YYYYMMDD>-<NNN>`: NNN is the trainee's place in join order, so a number never
 * changes when someone else's result does; the date is the session's in the department's zone.
 */
export function certificateNumber(session: SessionRow, joinOrder: number, clock: Clock): string {
  const prefix =
    (session.course_number || session.course).trim().replace(/[^A-Za-z0-9.-]+/g, '-') || 'COURSE';
  return `${prefix}-${clock.date(session.started_at).replace(/-/g, '')}-${String(joinOrder).padStart(3, '0')}`;
}

export function sessionResults(
  records: Records,
  sessionId: string,
  dept: DepartmentProfile,
  now = Date.now(),
  loaded?: { runs: LoadedRun[]; responses: LoadedResponse[] },
): SessionResults {
  const session = records.session(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const ended = session.ended_at !== null;
  const end = Math.max(session.ended_at ?? now, session.started_at);
  const sessionMs = end - session.started_at;
  const passMark = session.pass_mark ?? dept.defaultPassMark;
  const runs = loaded?.runs ?? loadRuns(records, sessionId);
  const responses = loaded?.responses ?? loadResponses(records, sessionId, runs);

  // The questions that count: each distinct question once, the trainee's answer from its latest
  // run. Answers come in run order, so the last one seen for a (trainee, question) is the latest.
  const attendees = attendanceOf(records, session, now);
  const traineeIndex = new Map(attendees.map((a, i) => [a.traineeId, i]));
  const runIndex = new Map(runs.map((r, i) => [r.id, i]));
  // A post-test, when the session gave one, is what pass/fail is decided on; else the graded live
  // questions. Pre-test questions never count toward it: they measure where the class started.
  const post =
    [...runs].reverse().find((r) => r.assessment?.kind === 'posttest')?.assessment ?? null;
  const counts = (r: LoadedRun) =>
    r.scored && (post ? r.assessment?.id === post.id : r.assessment === null);
  const questionIndex = new Map<string, number>();
  for (const r of runs)
    if (counts(r) && !questionIndex.has(r.q.id)) questionIndex.set(r.q.id, questionIndex.size);
  const nq = questionIndex.size;
  const runQuestion = runs.map((r) => (counts(r) ? questionIndex.get(r.q.id)! : -1));
  const pre = [...runs].reverse().find((r) => r.assessment?.kind === 'pretest')?.assessment ?? null;
  const preScores = pre ? assessmentScores(records, pre.id) : null;
  // With a post-test, each trainee's pre-test as the knowledge gain finds it: this session's, else
  // their latest earlier one of the course (a trainee who missed this morning's took it last week).
  const earlierPre = post
    ? pretestsByOfficer(
        records,
        session.course,
        runs.find((r) => r.assessment?.id === post.id)!.openedAt,
        sessionId,
        new Set(attendees.map((a) => normOfficerId(a.officerId))),
      )
    : null;
  const postScores = post ? assessmentScores(records, post.id) : null;
  const latest = new Int32Array(attendees.length * nq).fill(-1);
  const evaluated = new Uint8Array(attendees.length);
  const evaluationAsked = runs.some((r) => r.evaluation);
  responses.forEach((resp, k) => {
    const ri = runIndex.get(resp.runId);
    const ti = traineeIndex.get(resp.traineeId);
    if (ri === undefined || ti === undefined) return;
    if (runs[ri].evaluation) evaluated[ti] = 1;
    if (runQuestion[ri] >= 0) latest[ti * nq + runQuestion[ri]] = k;
  });

  const rule = dept.attendanceRule;
  const clock = departmentClock(dept);
  const graceMs = dept.lateGraceMinutes * 60000;
  const trainees = attendees.map((a, i): TraineeResult => {
    const checkOutOrEnd = a.checkOut ?? (a.checkIn !== null ? end : null);
    const inClassMs =
      a.checkIn !== null && checkOutOrEnd !== null
        ? Math.max(0, Math.min(checkOutOrEnd, end) - Math.max(a.checkIn, session.started_at))
        : 0;
    const basisMs = rule.basis === 'connected' ? a.minutesPresent * 60000 : inClassMs;
    const presentPercent =
      a.checkIn === null
        ? 0
        : sessionMs <= 0
          ? 100
          : Math.min(100, round1((basisMs / sessionMs) * 100));
    const late = a.checkIn === null ? null : a.checkIn > session.started_at + graceMs;
    const leftEarly = ended && a.checkOut !== null && a.checkOut < end - graceMs;

    let answered = 0;
    let correct = 0;
    let sum = 0;
    for (let q = 0; q < nq; q++) {
      const k = latest[i * nq + q];
      if (k < 0) continue;
      answered++;
      if (responses[k].ok) correct++;
      sum += responses[k].score ?? 0;
    }
    const scorePercent = nq ? round1((sum / nq) * 100) : null;
    const pretestPercent =
      preScores?.get(a.traineeId)?.percent ??
      earlierPre?.get(normOfficerId(a.officerId))?.percent ??
      null;
    const posttestPercent = postScores?.get(a.traineeId)?.percent ?? null;
    const result = scorePercent === null ? null : scorePercent >= passMark ? 'Pass' : 'Fail';
    const creditEarned = !ended
      ? null
      : a.checkIn !== null &&
        presentPercent >= rule.minPresentPercent &&
        (!rule.requirePass || result !== 'Fail');
    const joinOrder = i + 1;
    return {
      ...a,
      joinOrder,
      minutesInClass: round1(inClassMs / 60000),
      presentPercent,
      late,
      minutesLate: late ? round1((a.checkIn! - session.started_at) / 60000) : 0,
      earlyDeparture: ended && a.checkIn !== null ? leftEarly : null,
      minutesEarly: leftEarly ? round1((end - a.checkOut!) / 60000) : 0,
      answered,
      correct,
      scorePercent,
      result,
      pretestPercent,
      posttestPercent,
      gain:
        pretestPercent !== null && posttestPercent !== null
          ? round1(posttestPercent - pretestPercent)
          : null,
      evaluationSubmitted: evaluationAsked ? evaluated[i] === 1 : null,
      creditEarned,
      hoursAwarded:
        creditEarned === null || session.credit_hours === null
          ? null
          : creditEarned
            ? session.credit_hours
            : 0,
      certificate: creditEarned ? certificateNumber(session, joinOrder, clock) : null,
    };
  });
  return {
    session,
    ended,
    end,
    durationMinutes: round1(sessionMs / 60000),
    passMark,
    passMarkSource: session.pass_mark === null ? 'department' : 'course',
    runs,
    gradedQuestions: nq,
    scoredOn: nq === 0 ? null : post ? 'Post-test' : 'Live questions',
    trainees,
  };
}
