/**
 * What the engine's memory looks like to each audience. Pure functions of the state and of the
 * room's presentation switches (which the classroom keeps). A phone's view never carries a correct
 * answer before the reveal, nor anyone else's identity.
 */
import {
  answerKey,
  correctLabels,
  isGraded,
  publicQuestion,
  score,
} from '../../../shared/question';
import { tally } from '../../../shared/results';
import type { ResultsView } from '../../../shared/results';
import { normOfficerId } from '../../../shared/identity';
import type {
  ConsoleAssessment,
  SlideView,
  TraineeAssessment,
  TraineeRow,
  TraineeView,
  TraineeWelcome,
} from '../../../shared/protocol';
import { hasProfanity, maskProfanity } from '../profanity';
import type { EngineState, Trainee } from '../state';
import { scenarioQuestion } from '../state';
import type { QuestionDef } from '../../../shared/question';
import { remainingMs } from '../lecture';

/** The room's switches that change what it sees; not records, so the classroom keeps them. */
export interface Presentation {
  /** Class-wide: phones show only the answers (the projector shows the question). */
  hidePrompt: boolean;
  /** Free text the room sees (Q&A board, word clouds, answer lists) is masked; records keep what was typed. */
  profanityFilter: boolean;
}

/** Whether a trainee has a phone connected now (the classroom knows). */
export type Connected = (traineeId: string) => boolean;

/** What the room may see of the board: approved and answered questions, pinned first, then by votes. */
export function qaBoard(
  s: EngineState,
  p: Presentation,
): { id: string; text: string; votes: number; pinned: boolean; answered: boolean }[] {
  return [...s.qa.values()]
    .filter((q) => q.status === 'approved' || q.status === 'answered')
    .sort(
      (a, b) => Number(b.pinned) - Number(a.pinned) || b.votes.size - a.votes.size || a.at - b.at,
    )
    .map((q) => ({
      id: q.id,
      text: p.profanityFilter ? maskProfanity(q.text) : q.text,
      votes: q.votes.size,
      pinned: q.pinned,
      answered: q.status === 'answered',
    }));
}

/**
 * The key a ranking's items are scrambled with for the room: the session's id, which no phone is
 * ever sent (a graded ranking is authored in its right order).
 */
const roomKey = (s: EngineState) => s.session?.id ?? '';

function traineeAssessment(s: EngineState): TraineeAssessment | null {
  const a = s.assessment;
  if (!a) return null;
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    open: a.closedAt === null,
    questions: a.runs.map((r) => ({ runId: r.runId, q: publicQuestion(r.q, roomKey(s)) })),
  };
}

/** A role-play vote's situation, so a phone shows what the class is deciding about. */
function situationOf(s: EngineState): string | null {
  const sc = s.scenario;
  const r = s.run;
  if (!sc || !r) return null;
  const q = scenarioQuestion(sc.def, sc.node);
  return q && q.id === r.q.id ? (sc.def.nodes[sc.node]?.situationHtml ?? null) : null;
}

/** What the reveal tells every phone: the key (so each phone can say "Correct" by the server's rule) and why. */
function reveal(q: QuestionDef): NonNullable<TraineeView['reveal']> {
  const key = answerKey(q);
  return {
    correct: key ? [...key.correct] : null,
    explanation: q.explanation ?? null,
    ...(key?.tolerance !== undefined ? { tolerance: key.tolerance } : {}),
  };
}

/** The one view every phone gets. Never carries a correct answer before the reveal. */
export function traineeView(s: EngineState, now: number, p: Presentation): TraineeView {
  const session = s.session;
  const r = s.run;
  if (!session)
    return {
      t: 'view',
      phase: 'ended',
      title: '',
      question: null,
      reveal: null,
      qa: [],
      assessment: null,
    };
  return {
    t: 'view',
    phase: session.phase,
    title: session.deck.title,
    question: r
      ? {
          runId: r.runId,
          q: publicQuestion(r.q, roomKey(s)),
          open: session.phase === 'question',
          remainingMs: remainingMs(s, now),
          ...situation(s),
        }
      : null,
    reveal: r && r.revealed ? reveal(r.q) : null,
    qa: qaBoard(s, p),
    assessment: session.phase === 'ended' ? null : traineeAssessment(s),
    ...(p.hidePrompt && session.phase !== 'ended' ? { hidePrompt: true } : {}),
  };
}

function situation(s: EngineState): { situationHtml: string } | Record<string, never> {
  const html = situationOf(s);
  return html ? { situationHtml: html } : {};
}

export function answerOf(s: EngineState, traineeId: string): TraineeWelcome['answer'] {
  const a = s.run?.answers.get(traineeId);
  return a && s.run ? { runId: s.run.runId, value: a.value } : null;
}

/** What a (re)joining phone needs to carry on with the assessment: its stored answers, and whether it submitted. */
export function assessmentOf(s: EngineState, traineeId: string): TraineeWelcome['assessment'] {
  const a = s.assessment;
  if (!a) return null;
  const answers: NonNullable<TraineeWelcome['assessment']>['answers'] = [];
  for (const r of a.runs) {
    const x = r.answers.get(traineeId);
    if (x) answers.push({ runId: r.runId, value: x.value });
  }
  return { id: a.id, answers, submitted: a.submitted.has(traineeId) };
}

export function slideView(s: EngineState, index: number): SlideView | null {
  const slide = s.session?.deck.slides[index];
  if (!slide) return null;
  return {
    index,
    id: slide.id,
    html: slide.html,
    title: slide.title,
    question: slide.question ? publicQuestion(slide.question, roomKey(s)) : null,
  };
}

export function results(s: EngineState, p: Presentation): ResultsView | null {
  const r = s.run;
  if (!r) return null;
  const view: ResultsView = {
    questionId: r.q.id,
    ...tally(
      r.q,
      [...r.answers.values()].map((a) => a.value),
    ),
  };
  if (r.revealed) view.correct = correctLabels(r.q);
  if (p.profanityFilter && view.kind === 'cloud')
    view.words = view.words.filter((w) => !hasProfanity(w.text));
  if (p.profanityFilter && view.kind === 'list') view.answers = view.answers.map(maskProfanity);
  return view;
}

/**
 * Each trainee's last row, kept while nothing in it changes: at 5,000 trainees a console view comes
 * up to ten times a second in a burst, and a row that did not change is then neither built again
 * nor compared field by field on its way to the consoles (console-trainees.ts compares by identity
 * first). The normalised officer ID is kept beside it, made again only when the row's ID changes.
 */
const rowCache = new WeakMap<Trainee, { row: TraineeRow; norm: string }>();

export function traineeRows(s: EngineState, connected: Connected): TraineeRow[] {
  const answers = s.run?.answers;
  const roster = s.roster;
  const rows: TraineeRow[] = [];
  for (const t of s.trainees.values()) {
    const kept = rowCache.get(t);
    const norm = kept?.row.officerId === t.officerId ? kept.norm : normOfficerId(t.officerId);
    const isConnected = connected(t.id);
    const answered = answers?.has(t.id) ?? false;
    const onRoster = roster?.has(norm) ?? false;
    const walkIn = roster !== null && !onRoster;
    const r = kept?.row;
    if (
      r &&
      r.name === t.name &&
      r.officerId === t.officerId &&
      r.agency === t.agency &&
      r.connected === isConnected &&
      r.answered === answered &&
      r.onRoster === onRoster &&
      r.walkIn === walkIn
    ) {
      rows.push(r);
      continue;
    }
    const row: TraineeRow = {
      id: t.id,
      name: t.name,
      officerId: t.officerId,
      agency: t.agency,
      connected: isConnected,
      answered,
      onRoster,
      walkIn,
    };
    rowCache.set(t, { row, norm });
    rows.push(row);
  }
  return rows;
}

/** The instructor's view of the assessment: who has answered how much, who submitted, and their score so far. */
export function consoleAssessment(s: EngineState, connected: Connected): ConsoleAssessment | null {
  const a = s.assessment;
  if (!a) return null;
  const graded = a.kind === 'evaluation' ? [] : a.runs.filter((r) => isGraded(r.q));
  const rows = [...s.trainees.values()].map((t) => {
    let answered = 0;
    for (const r of a.runs) if (r.answers.has(t.id)) answered++;
    let sum = 0;
    for (const r of graded) {
      const x = r.answers.get(t.id);
      if (x) sum += score(r.q, x.value) ?? 0;
    }
    return {
      traineeId: t.id,
      name: t.name,
      officerId: t.officerId,
      connected: connected(t.id),
      answered,
      submitted: a.submitted.has(t.id),
      scorePercent: graded.length ? Math.round((sum / graded.length) * 1000) / 10 : null,
    };
  });
  return {
    id: a.id,
    key: a.key,
    title: a.title,
    kind: a.kind,
    open: a.closedAt === null,
    questions: a.runs.length,
    graded: graded.length,
    submitted: a.submitted.size,
    rows,
  };
}
