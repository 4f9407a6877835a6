/**
 * Learning objectives: what a curriculum file reviewer checks, checked by `muster check`.
 *
 * A course that lists objectives in course.yaml (under each module) is held to this:
 * - every objective is taught: `taughtOn` names slides of its module, and objectives are listed in
 *   the order they are first taught;
 * - every graded item (a graded question in a deck, every scored item of a pre-test, post-test or
 *   quiz) names the one objective it assesses (`objective: "1.2"`), and that objective exists;
 * - every objective is assessed: by at least one post-test item when the course has a post-test,
 *   else by at least one graded item;
 * - pre-test and post-test are parallel: the same number of items per objective, never the same
 *   question twice, and no post-test item copied from a question asked in class.
 * A course with no objectives (an imported PDF deck, a short demo) is not checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AssessmentFile, CourseFile, Deck } from '../../shared/course';
import { assessmentKind } from '../../shared/course';
import { isGraded } from '../../shared/question';
import type { QuestionDef } from '../../shared/question';
import { lineFinder } from './yaml';
import type { Problem } from './yaml';

export interface ObjectiveCourse {
  dir: string;
  course: CourseFile;
  decks: Deck[];
  assessments: Map<string, AssessmentFile>;
}

/** Where an item lives, for messages and for the lesson plan's curriculum map. */
export interface ItemRef {
  q: QuestionDef;
  /** `pretest`, `posttest` … for an assessment item; null for a question in a deck. */
  assessment: string | null;
  file: string;
  line: number;
}

/** Prompts compared loosely: case, punctuation and spacing do not make a question new. */
const normPrompt = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Every question of the course with where it is written (deck questions first, in deck order). */
export function courseItems(c: ObjectiveCourse, rel: (f: string) => string): ItemRef[] {
  const out: ItemRef[] = [];
  c.decks.forEach((d) => {
    for (const s of d.slides) if (s.question) out.push({ q: s.question, assessment: null, file: rel(d.file), line: s.line });
  });
  for (const [key, a] of c.assessments) {
    const file = c.course.assessments?.[key] ?? '';
    let src = '';
    try {
      src = fs.readFileSync(path.join(c.dir, file), 'utf8');
    } catch {
      // Loading already reported a missing file.
    }
    const lineAt = lineFinder(src, 1);
    a.questions.forEach((q, i) => out.push({ q, assessment: key, file: rel(file), line: src ? lineAt(['questions', i], 1) : 1 }));
  }
  return out;
}

/** Whether an item counts toward what a trainee knows (graded, and not a course evaluation). */
function assesses(it: ItemRef): boolean {
  return isGraded(it.q) && (it.assessment === null || assessmentKind(it.assessment) !== 'evaluation');
}

export function objectiveProblems(c: ObjectiveCourse, rel: (f: string) => string): Problem[] {
  const problems: Problem[] = [];
  const courseFile = rel('course.yaml');
  let courseSrc = '';
  try {
    courseSrc = fs.readFileSync(path.join(c.dir, 'course.yaml'), 'utf8');
  } catch {
    return problems;
  }
  const objectives = c.course.modules.flatMap((m, mi) => (m.objectives ?? []).map((o, oi) => ({ ...o, mi, oi })));
  if (!objectives.length) return problems;
  const courseLine = lineFinder(courseSrc, 1);
  const at = (mi: number, oi: number, key?: string) => courseLine(['modules', mi, 'objectives', oi, ...(key ? [key] : [])], 1);

  const ids = new Set<string>();
  for (const o of objectives) {
    if (ids.has(o.id)) problems.push({ file: courseFile, line: at(o.mi, o.oi, 'id'), message: `objective ${o.id} is listed twice` });
    ids.add(o.id);
  }

  // Taught: on slides of its own module, listed in the order they are first taught.
  c.course.modules.forEach((m, mi) => {
    const deck = c.decks.find((d) => d.file === m.file);
    if (!deck || !m.objectives) return;
    const index = new Map(deck.slides.map((s, i) => [s.id, i]));
    let previous: { id: string; first: number } | null = null;
    m.objectives.forEach((o, oi) => {
      const found = o.taughtOn.map((id) => index.get(id));
      o.taughtOn.forEach((id, k) => {
        if (found[k] === undefined) problems.push({ file: courseFile, line: at(mi, oi, 'taughtOn'), message: `objective ${o.id}: no slide "${id}" in ${m.file}` });
      });
      const first = Math.min(...found.filter((i): i is number => i !== undefined));
      if (!Number.isFinite(first)) return;
      if (previous && first < previous.first)
        problems.push({ file: courseFile, line: at(mi, oi, 'id'), message: `objective ${o.id} is taught before ${previous.id}: list objectives in teaching order` });
      previous = { id: o.id, first };
    });
  });

  // Every graded item names one objective that exists.
  const items = courseItems(c, rel);
  for (const it of items) {
    const obj = it.q.objective;
    if (obj === undefined) {
      if (assesses(it)) problems.push({ file: it.file, line: it.line, message: `${it.q.id}: a graded item names the objective it assesses (objective: "1.2")` });
    } else if (!ids.has(obj)) problems.push({ file: it.file, line: it.line, message: `${it.q.id}: no objective ${obj} in course.yaml` });
  }

  // Every objective is assessed, by the post-test when there is one.
  const hasPost = c.assessments.has('posttest');
  const count = (key: string, id: string) => items.filter((it) => assesses(it) && it.q.objective === id && it.assessment === key).length;
  for (const o of objectives) {
    const n = hasPost ? count('posttest', o.id) : items.filter((it) => assesses(it) && it.q.objective === o.id).length;
    if (!n) problems.push({ file: courseFile, line: at(o.mi, o.oi, 'id'), message: `objective ${o.id} is not assessed by any ${hasPost ? 'post-test item' : 'graded item'}` });
  }

  // Pre-test and post-test: parallel by objective, with different items.
  if (hasPost && c.assessments.has('pretest')) {
    for (const o of objectives) {
      const pre = count('pretest', o.id);
      const post = count('posttest', o.id);
      if (pre !== post) problems.push({ file: courseFile, line: at(o.mi, o.oi, 'id'), message: `objective ${o.id}: the pre-test has ${pre} item(s) and the post-test ${post}; make them parallel` });
    }
  }
  const asked = new Map<string, ItemRef>();
  for (const it of items) if (it.assessment !== 'posttest' && assesses(it)) asked.set(normPrompt(it.q.prompt), it);
  for (const it of items) {
    if (it.assessment !== 'posttest') continue;
    const same = asked.get(normPrompt(it.q.prompt));
    if (same)
      problems.push({
        file: it.file,
        line: it.line,
        message: `${it.q.id}: the same question as ${same.q.id} (${same.assessment ?? 'asked in class'}); a post-test item must be new`,
      });
  }
  return problems;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The objectives block shown at the end of a module's first slide. */
export function objectivesHtml(objectives: { id: string; text: string }[]): string {
  const items = objectives.map((o) => `<li><span class="objective-id">${escapeHtml(o.id)}</span> ${escapeHtml(o.text)}</li>`).join('');
  return `<section class="objectives"><p class="objectives-lead">The participant will be able to:</p><ol>${items}</ol></section>`;
}
