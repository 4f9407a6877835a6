/**
 * The optional game layer: speed points, streaks and a leaderboard by nickname. Off by default, and
 * kept apart from the record: it reads the stored answers and never changes them, nothing of it is
 * written to the records or the exports, and the record score (`score` in shared/question) is
 * correctness only, with no time in it. Pure: no I/O, no timers; time comes from the answers.
 *
 * The rule (one line for the instructor: "500 for a right answer, up to 500 more for speed, streaks add up to 500"):
 * - Only graded live questions count: not polls or surveys (no correct answer), not scenario votes
 *   (never graded), not self-paced assessments (their runs are not live questions at all).
 * - A correct answer earns {@link GAME_RULES.base} points plus a speed bonus of up to
 *   {@link GAME_RULES.speed}. The speed fraction is 1 for an answer in the first
 *   {@link GAME_RULES.graceMs} after the question opened (a slow phone or Wi-Fi costs nothing), then
 *   falls linearly to 0 at the question's time limit, or, for a question without one, at
 *   {@link GAME_RULES.untimedWindowMs} after opening (later correct answers still earn the base).
 *   The time is when the server stored the trainee's last answer (a changed answer counts from the change).
 * - Partial credit (a multiple-select question scored `partial`) scales base and speed alike.
 * - A streak is a run of fully correct answers to consecutive counted questions, in the order they
 *   were opened. From the second on, each adds {@link GAME_RULES.streakStep} per step, capped at
 *   {@link GAME_RULES.streakCap}. A wrong, partial or missing answer ends it.
 * - A question counts once the instructor shows its results (the reveal), once per question run.
 */
import type { AnswerValue, QuestionDef } from '../../shared/question';
import { isGraded, score } from '../../shared/question';
import { cleanNickname, LIMITS } from '../../shared/protocol';
import type { GameMode } from '../../shared/protocol';

export type { GameMode };

export const GAME_RULES = {
  base: 500,
  speed: 500,
  graceMs: 500,
  untimedWindowMs: 20_000,
  streakStep: 100,
  streakCap: 500,
  /** How many the projector's leaderboard shows. */
  top: 10,
} as const;

export interface GameAnswer {
  traineeId: string;
  value: AnswerValue;
  /** When the server stored the answer that counts (ms). */
  at: number;
}

/** A revealed live question run, as the game sees it. */
export interface GameRun {
  runId: string;
  q: QuestionDef;
  openedAt: number;
  deadline: number | null;
  answers: readonly GameAnswer[];
}

/** Whether a question run earns game points: graded, and a live question (not part of an assessment). */
export function countsForGame(q: QuestionDef, inAssessment: boolean): boolean {
  return !inAssessment && isGraded(q);
}

/** 1 for an instant answer, falling to 0 at the time limit (or the untimed window); always within [0, 1]. */
export function speedFraction(
  run: { openedAt: number; deadline: number | null },
  at: number,
): number {
  const g = GAME_RULES.graceMs;
  const window =
    run.deadline !== null ? run.deadline - run.openedAt - g : GAME_RULES.untimedWindowMs - g;
  const late = at - run.openedAt - g;
  if (!(late > 0)) return 1;
  if (!(window > 0)) return 0;
  return Math.min(1, Math.max(0, 1 - late / window));
}

/** The bonus for the `streak`-th fully correct answer in a row (0 for the first). */
export function streakBonus(streak: number): number {
  return Math.min(GAME_RULES.streakCap, Math.max(0, streak - 1) * GAME_RULES.streakStep);
}

/**
 * One answer's points, given the trainee's streak before it. Returns the points (never negative),
 * the correctness credit (0–1, as the record has it) and the streak after it.
 */
export function answerPoints(
  run: GameRun,
  answer: { value: AnswerValue; at: number } | undefined,
  streakBefore: number,
): { points: number; credit: number; streak: number } {
  if (!answer) return { points: 0, credit: 0, streak: 0 };
  const raw = score(run.q, answer.value);
  const credit = raw === null || !Number.isFinite(raw) ? 0 : Math.min(1, Math.max(0, raw));
  if (credit <= 0) return { points: 0, credit: 0, streak: 0 };
  const earned = Math.round(
    credit * (GAME_RULES.base + GAME_RULES.speed * speedFraction(run, answer.at)),
  );
  if (credit < 1) return { points: earned, credit, streak: 0 };
  const streak = streakBefore + 1;
  return { points: earned + streakBonus(streak), credit, streak };
}

export interface GameTotal {
  points: number;
  /** Fully correct answers in a row, up to the latest counted question. */
  streak: number;
  /** Points from the latest counted question (0 when the trainee did not score on it). */
  last: number;
}

/**
 * Every trainee's total over the counted runs (sorted by opening time here, so the order given does
 * not matter). Runs that do not count (polls, scenario votes) are skipped. `traineeIds` adds trainees
 * with no answers yet (they start at 0; a missing answer ends a streak).
 */
export function gameTotals(
  runs: readonly GameRun[],
  traineeIds: Iterable<string> = [],
): Map<string, GameTotal> {
  const totals = new Map<string, GameTotal>();
  const get = (id: string) => {
    let t = totals.get(id);
    if (!t) totals.set(id, (t = { points: 0, streak: 0, last: 0 }));
    return t;
  };
  for (const id of traineeIds) get(id);
  const ordered = runs
    .filter((r) => countsForGame(r.q, false))
    .sort((a, b) => a.openedAt - b.openedAt);
  for (const run of ordered) {
    const byTrainee = new Map(run.answers.map((a) => [a.traineeId, a]));
    for (const id of byTrainee.keys()) get(id);
    for (const [id, t] of totals) {
      const p = answerPoints(run, byTrainee.get(id), t.streak);
      t.points += p.points;
      t.streak = p.streak;
      t.last = p.points;
    }
  }
  return totals;
}

export interface Standing {
  traineeId: string;
  nickname: string;
  points: number;
  /** 1 = first; equal points share a rank (1, 2, 2, 4). */
  rank: number;
  streak: number;
  last: number;
}

/** The class in order: most points first, ties by nickname; every listed trainee has a row. */
export function standings(
  totals: ReadonlyMap<string, GameTotal>,
  trainees: readonly { id: string; nickname: string }[],
): Standing[] {
  const rows = trainees.map((t) => {
    const x = totals.get(t.id);
    return {
      traineeId: t.id,
      nickname: t.nickname,
      points: x?.points ?? 0,
      streak: x?.streak ?? 0,
      last: x?.last ?? 0,
      rank: 0,
    };
  });
  rows.sort(
    (a, b) =>
      b.points - a.points ||
      a.nickname.localeCompare(b.nickname) ||
      (a.traineeId < b.traineeId ? -1 : 1),
  );
  rows.forEach(
    (r, i) => (r.rank = i > 0 && rows[i - 1].points === r.points ? rows[i - 1].rank : i + 1),
  );
  return rows;
}

/** The neutral nickname a trainee has until they choose one: "Unit 7" for the 7th to join. */
export const defaultNickname = (ordinal: number) => `Unit ${ordinal}`;
const RESERVED = /^unit\s*\d+$/i;
const nickKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The game of one session: its mode, the nicknames
 * (in memory only) and the runs revealed so far. Presentation state, not a record.
 */
export class Game {
  mode: GameMode = 'off';
  sessionId: string | null = null;
  /** Goes up with every change to the runs or the nicknames (for caching the standings). */
  version = 0;
  private readonly nicknames = new Map<string, string>();
  private readonly runs = new Map<string, GameRun>();
  private totalsCache: Map<string, GameTotal> | null = null;

  get on(): boolean {
    return this.mode !== 'off';
  }

  /** A new session: the game starts off, with no nicknames and no points. */
  reset(sessionId: string | null): void {
    this.mode = 'off';
    this.sessionId = sessionId;
    this.nicknames.clear();
    this.runs.clear();
    this.totalsCache = null;
    this.version++;
  }

  /** Replaces the counted runs (all revealed runs of the session, read back from the records). */
  setRuns(runs: readonly GameRun[]): void {
    this.runs.clear();
    for (const r of runs) if (countsForGame(r.q, false)) this.runs.set(r.runId, r);
    this.totalsCache = null;
    this.version++;
  }

  /** A run was revealed. Revealing it again changes nothing: each run counts once. Returns whether it counts. */
  addRun(run: GameRun): boolean {
    if (!countsForGame(run.q, false)) return false;
    if (!this.runs.has(run.runId)) {
      this.runs.set(run.runId, run);
      this.totalsCache = null;
      this.version++;
    }
    return true;
  }

  /** How many questions count so far. */
  counted(): number {
    return this.runs.size;
  }

  /** The latest counted run (the one `last` in the totals is about). */
  lastRunId(): string | null {
    let last: GameRun | null = null;
    for (const r of this.runs.values()) if (!last || r.openedAt >= last.openedAt) last = r;
    return last?.runId ?? null;
  }

  hasNickname(traineeId: string): boolean {
    return this.nicknames.has(traineeId);
  }

  totals(): Map<string, GameTotal> {
    return (this.totalsCache ??= gameTotals([...this.runs.values()]));
  }

  /** `ordinal`: the trainee's place in the join order; without a nickname of their own they are "Unit <ordinal>". */
  nicknameOf(traineeId: string, ordinal: number): string {
    return this.nicknames.get(traineeId) ?? defaultNickname(ordinal);
  }

  /**
   * A trainee chooses a nickname ('' goes back to the default). Refused, changing nothing, when it is
   * too long, looks like someone's default ("Unit 12"), or another trainee has it.
   */
  setNickname(
    traineeId: string,
    raw: string,
    classIds: readonly string[],
  ): { ok: true; nickname: string } | { ok: false; message: string } {
    const nickname = cleanNickname(raw);
    const own = classIds.indexOf(traineeId) + 1;
    if (nickname.length > LIMITS.nicknameMax)
      return { ok: false, message: `a nickname has at most ${LIMITS.nicknameMax} characters` };
    if (!nickname || nickKey(nickname) === nickKey(defaultNickname(own))) {
      if (this.nicknames.delete(traineeId)) this.version++;
      return { ok: true, nickname: defaultNickname(own) };
    }
    if (RESERVED.test(nickname))
      return {
        ok: false,
        message: `nicknames like "Unit 12" are given out automatically; choose another`,
      };
    const key = nickKey(nickname);
    for (const [id, n] of this.nicknames)
      if (id !== traineeId && nickKey(n) === key)
        return { ok: false, message: `"${nickname}" is taken; choose another nickname` };
    this.nicknames.set(traineeId, nickname);
    this.version++;
    return { ok: true, nickname };
  }

  /** The instructor puts a trainee back on their default nickname (one not fit for the projector). */
  clearNickname(traineeId: string): boolean {
    const had = this.nicknames.delete(traineeId);
    if (had) this.version++;
    return had;
  }

  /** The whole class in order, every trainee (in join order) included. */
  standings(classIds: readonly string[]): Standing[] {
    return standings(
      this.totals(),
      classIds.map((id, i) => ({ id, nickname: this.nicknameOf(id, i + 1) })),
    );
  }
}
