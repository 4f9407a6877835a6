/**
 * Loads courses from a content folder and reports every problem as `file:line: message`.
 * A course is a folder with course.yaml; each module is a Markdown deck (format: content/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { z } from 'zod';
import {
  AssessmentFile,
  CourseFile,
  DeckFrontMatter,
  QaBlock,
  ResourcesBlock,
  ResourcesFile,
  ScenarioBlock,
  ScenarioFile,
  assessmentKind,
  scenarioProblems,
} from '../../shared/course';
import type { AssessmentDef, Deck, ScenarioNodeView, ScenarioView, Slide } from '../../shared/course';
import { QuestionDef, questionProblems } from '../../shared/question';
import type { QuestionType } from '../../shared/question';
import { objectiveProblems, objectivesHtml } from './objectives';
import { lineOf, parseYaml, readYamlFile, validate } from './yaml';
import type { Problem } from './yaml';

export type { Problem };

export interface LoadedCourse {
  dir: string;
  course: CourseFile;
  decks: Deck[];
  scenarios: Map<string, ScenarioFile>;
  resources: ResourcesFile | null;
  assessments: Map<string, AssessmentFile>;
}

export interface LoadResult {
  courses: LoadedCourse[];
  problems: Problem[];
}

// Raw HTML off: a deck is instructor content, but a shared deck should still not run script.
// The typographer's quotes stay; its replacements go: they turn the "(c)" of a statute citation
// (§7105(c)(3)) into "©", and "(r)", "(p)" and "+-" likewise.
const md = new MarkdownIt({ html: false, linkify: false, typographer: true }).disable('replacements');
// Speaker notes keep their line breaks: instructors write them as lines ("Source: …" one per line).
const mdNotes = new MarkdownIt({ html: false, linkify: false, typographer: true, breaks: true }).disable('replacements');

/**
 * Images in a deck are relative to the course folder (`images/map.png`); the console and projector
 * pages load them from the loopback server's `/courses/<course id>/…` (main/server/course-files.ts).
 * Only relative paths are rewritten: not `/…`, `//…`, `#…` or anything with a scheme.
 */
export function courseImageSrc(src: string, courseId: string): string {
  if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(src)) return src;
  return `/courses/${encodeURIComponent(courseId)}/${src.replace(/^(\.\/)+/, '')}`;
}
const renderImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env: { course?: string } | undefined, self) => {
  const src = tokens[idx].attrGet('src');
  if (src && env?.course) tokens[idx].attrSet('src', courseImageSrc(src, env.course));
  return renderImage(tokens, idx, options, env, self);
};

const ID_COMMENT = /^<!--\s*id:\s*([a-z0-9][a-z0-9-]*)\s*-->\s*$/;
const FENCE = /^(```+|~~~+)\s*([A-Za-z]*)\s*$/;

interface Block {
  info: string;
  body: string;
  line: number;
}

/** Splits a deck into front matter and slides, keeping line numbers and ignoring `---` inside fences. */
export function parseDeck(src: string, rel: string, course: { id: string; title: string; dir: string }, problems: Problem[]): Deck {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let front: z.infer<typeof DeckFrontMatter> | undefined;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end < 0) problems.push({ file: rel, line: 1, message: 'front matter is not closed with ---' });
    else {
      const fsrc = lines.slice(1, end).join('\n');
      const data = parseYaml(fsrc, rel, 2, problems);
      if (data !== undefined) front = validate(DeckFrontMatter, data, fsrc, rel, 2, problems);
      i = end + 1;
    }
  } else problems.push({ file: rel, line: 1, message: 'a deck starts with front matter (--- title: … ---)' });

  const chunks: { start: number; lines: string[] }[] = [{ start: i + 1, lines: [] }];
  let fence: string | null = null;
  for (; i < lines.length; i++) {
    const l = lines[i];
    const f = FENCE.exec(l);
    if (f && (fence === null || l.trim() === fence)) fence = fence === null ? f[1] : null;
    if (fence === null && l === '---') chunks.push({ start: i + 2, lines: [] });
    else chunks[chunks.length - 1].lines.push(l);
  }
  if (fence !== null) problems.push({ file: rel, line: lines.length, message: 'a fenced block is not closed' });

  const slides: Slide[] = [];
  for (const chunk of chunks) {
    if (chunk.lines.every((l) => l.trim() === '')) continue;
    slides.push(parseSlide(chunk.lines, chunk.start, rel, course, slides.length, problems));
  }
  return {
    course: course.id,
    courseTitle: course.title,
    file: rel.split('/').pop()!,
    title: front?.title ?? rel,
    minutes: front?.minutes ?? null,
    slides,
  };
}

function parseSlide(
  lines: string[],
  start: number,
  rel: string,
  course: { id: string; dir: string },
  index: number,
  problems: Problem[],
): Slide {
  let id: string | null = null;
  const body: string[] = [];
  const notes: string[] = [];
  const blocks: Block[] = [];
  let inNotes = false;
  let block: Block | null = null;
  let fence = '';
  lines.forEach((l, k) => {
    const lineNo = start + k;
    if (block) {
      if (l.trim() === fence) {
        blocks.push(block);
        block = null;
      } else block.body += l + '\n';
      return;
    }
    const f = FENCE.exec(l);
    if (f && ['question', 'scenario', 'resources', 'qa'].includes(f[2])) {
      block = { info: f[2], body: '', line: lineNo + 1 };
      fence = f[1];
      return;
    }
    if (id === null && body.every((b) => b.trim() === '') && !inNotes) {
      const m = ID_COMMENT.exec(l.trim());
      if (m) {
        id = m[1];
        return;
      }
    }
    if (!inNotes && /^Notes?:\s*$/.test(l)) {
      inNotes = true;
      return;
    }
    (inNotes ? notes : body).push(l);
  });

  let question: QuestionDef | null = null;
  let scenario: string | null = null;
  let qaPrompt: string | null = null;
  const extraHtml: string[] = [];
  for (const b of blocks) {
    const data = parseYaml(b.body, rel, b.line, problems);
    if (data === undefined) continue;
    if (b.info === 'question') {
      if (question) problems.push({ file: rel, line: b.line, message: 'a slide holds at most one question' });
      const q = validate(QuestionDef, data, b.body, rel, b.line, problems);
      if (q) {
        for (const p of questionProblems(q)) problems.push({ file: rel, line: lineOf(b.body, ['correct'], b.line, b.line), message: p });
        question = q;
      }
    } else if (b.info === 'scenario') {
      const s = validate(ScenarioBlock, data, b.body, rel, b.line, problems);
      if (s) {
        if (!fs.existsSync(path.join(course.dir, s.file))) problems.push({ file: rel, line: b.line, message: `scenario file not found: ${s.file}` });
        scenario = s.file;
      }
    } else if (b.info === 'resources') {
      const r = validate(ResourcesBlock, data, b.body, rel, b.line, problems);
      if (r) extraHtml.push(`<div class="resources" data-show="${r.show.map(escapeAttr).join(' ')}"></div>`);
    } else if (b.info === 'qa') {
      const r = validate(QaBlock, data, b.body, rel, b.line, problems);
      if (r) {
        qaPrompt = r.prompt;
        extraHtml.push(`<div class="qa-prompt">${md.renderInline(r.prompt)}</div>`);
      }
    }
  }

  // Images come from the course folder; a missing one is a problem for the author.
  const bodyText = body.join('\n');
  for (const [k, l] of body.entries()) {
    for (const m of l.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) {
        problems.push({ file: rel, line: start + lineIndex(lines, l, k), message: `images come from the course folder, not ${target}` });
      } else if (!fs.existsSync(path.join(course.dir, target))) {
        problems.push({ file: rel, line: start + lineIndex(lines, l, k), message: `image not found: ${target}` });
      }
    }
  }
  const heading = /^#{1,3}\s+(.+)$/m.exec(bodyText);
  // A slide that is only a picture (an imported PDF page) is titled by the picture's description.
  const picture = /^\s*!\[([^\]]+)\]/.exec(bodyText);
  const q = question as QuestionDef | null;
  return {
    id: id ?? `slide-${index + 1}`,
    line: start,
    title: heading ? heading[1].trim() : picture ? picture[1].trim() : q ? q.prompt : scenario ? 'Scenario' : `Slide ${index + 1}`,
    html: md.render(bodyText, { course: course.id }) + extraHtml.join(''),
    notes: notes.join('\n').trim(),
    notesHtml: mdNotes.render(notes.join('\n').trim()),
    question: q,
    scenario,
    qaPrompt,
  };
}

function lineIndex(lines: string[], l: string, fallback: number): number {
  const i = lines.indexOf(l);
  return i >= 0 ? i : fallback;
}

/** Renders a scenario's Markdown once, so views only pass strings along. */
function renderScenario(sc: ScenarioFile): ScenarioView {
  const nodes: Record<string, ScenarioNodeView> = {};
  for (const [id, n] of Object.entries(sc.nodes))
    nodes[id] = {
      id,
      situationHtml: md.render(n.situation),
      prompt: n.prompt ?? null,
      options: (n.options ?? []).map((o) => ({ id: o.id, text: o.text, next: o.next, feedback: o.feedback ?? null })),
      best: n.best ?? null,
      debriefHtml: n.debrief ? md.render(n.debrief) : null,
      notes: n.notes?.trim() ?? '',
      notesHtml: mdNotes.render(n.notes?.trim() ?? ''),
      end: n.end === true,
    };
  return { id: sc.id, title: sc.title, start: sc.start, nodes };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Replaces a ```resources block's placeholder with the contacts it names, from resources.yaml
 * (`stateLaw` and `hotSpots` stand for all the entries of those lists). Values still marked `verify` say so on screen.
 */
function fillResources(html: string, r: ResourcesFile, file: string, line: number, problems: Problem[]): string {
  return html.replace(/<div class="resources" data-show="([^"]*)"><\/div>/g, (_, keys: string) => {
    const rows: string[] = [];
    for (const key of keys.split(' ').filter(Boolean)) {
      const entries = key === 'stateLaw' ? (r.stateLaw ?? []) : key === 'hotSpots' ? (r.hotSpots ?? []) : r.contacts[key] ? [r.contacts[key]] : [];
      if (!entries.length) problems.push({ file, line, message: `resources: no entry "${key}" in resources.yaml` });
      for (const e of entries)
        rows.push(
          `<tr><th scope="row">${escapeHtml(e.label)}</th><td>${escapeHtml(e.value)}${e.verify ? ' <span class="verify">verify before class</span>' : ''}</td></tr>`,
        );
    }
    return `<table class="resources"><tbody>${rows.join('')}</tbody></table>`;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '');
}

/** Loads one course folder. */
export function loadCourse(dir: string, root: string, problems: Problem[]): LoadedCourse | null {
  const relDir = path.relative(root, dir) || '.';
  const rel = (f: string) => path.join(relDir, f).split(path.sep).join('/');
  const course = readYamlFile(CourseFile, path.join(dir, 'course.yaml'), rel('course.yaml'), problems);
  if (!course) return null;
  const decks: Deck[] = [];
  for (const m of course.modules) {
    const abs = path.join(dir, m.file);
    if (!fs.existsSync(abs)) {
      problems.push({ file: rel('course.yaml'), line: 1, message: `module file not found: ${m.file}` });
      continue;
    }
    const deck = parseDeck(fs.readFileSync(abs, 'utf8'), rel(m.file), { id: course.id, title: course.title, dir }, problems);
    deck.title = m.title;
    deck.minutes = m.minutes;
    deck.courseNumber = course.courseNumber ?? null;
    deck.creditHours = course.creditHours ?? null;
    deck.passMark = course.passMark ?? null;
    if (course.livePolls !== undefined) deck.livePolls = course.livePolls;
    if (m.objectives?.length) {
      deck.objectives = m.objectives.map((o) => ({ id: o.id, text: o.text }));
      // The module's objectives close its first slide, as a curriculum file expects them shown.
      if (deck.slides[0]) deck.slides[0].html += objectivesHtml(deck.objectives);
    }
    decks.push(deck);
  }
  const scenarios = new Map<string, ScenarioFile>();
  for (const d of decks)
    for (const s of d.slides) {
      if (!s.scenario || scenarios.has(s.scenario) || !fs.existsSync(path.join(dir, s.scenario))) continue;
      const sc = readYamlFile(ScenarioFile, path.join(dir, s.scenario), rel(s.scenario), problems);
      if (sc) {
        for (const p of scenarioProblems(sc)) problems.push({ file: rel(s.scenario), line: 1, message: p });
        scenarios.set(s.scenario, sc);
      }
    }
  const resources = course.resources ? (readYamlFile(ResourcesFile, path.join(dir, course.resources), rel(course.resources), problems) ?? null) : null;
  for (const d of decks)
    for (const sl of d.slides) {
      const sc = sl.scenario ? scenarios.get(sl.scenario) : undefined;
      if (sc) {
        sl.scenarioDef = renderScenario(sc);
        if (sl.title === 'Scenario') sl.title = `Scenario: ${sc.title}`;
      }
    }
  if (resources) for (const d of decks) for (const sl of d.slides) sl.html = fillResources(sl.html, resources, rel(d.file), sl.line, problems);
  const assessments = new Map<string, AssessmentFile>();
  for (const [key, file] of Object.entries(course.assessments ?? {})) {
    const a = readYamlFile(AssessmentFile, path.join(dir, file), rel(file), problems);
    if (!a) continue;
    for (const q of a.questions) for (const p of questionProblems(q)) problems.push({ file: rel(file), line: 1, message: `${q.id}: ${p}` });
    assessments.set(key, a);
  }

  // Ids must be unique across the course: records and reports refer to them.
  const seen = new Map<string, string>();
  const claim = (id: string, where: string, file: string, line: number) => {
    const prev = seen.get(id);
    if (prev) problems.push({ file, line, message: `duplicate id "${id.replace(/^(slide|q):/, '')}" (first used at ${prev})` });
    else seen.set(id, where);
  };
  for (const d of decks)
    for (const s of d.slides) {
      const file = rel(d.file);
      if (!s.id.startsWith('slide-')) claim(`slide:${s.id}`, `${file}:${s.line}`, file, s.line);
      if (s.question) claim(`q:${s.question.id}`, `${file}:${s.line}`, file, s.line);
    }
  for (const [key, a] of assessments) for (const q of a.questions) claim(`q:${q.id}`, `${key}`, rel(course.assessments![key]), 1);
  const minutes: Record<string, number | undefined> = { pretest: course.pretestMinutes, posttest: course.posttestMinutes, evaluation: course.evaluationMinutes };
  const defs: AssessmentDef[] = [...assessments].map(([key, a]) => ({ key, id: a.id, title: a.title, kind: assessmentKind(key), minutes: minutes[key] ?? null, questions: a.questions }));
  for (const d of decks) d.assessments = defs;
  problems.push(...objectiveProblems({ dir, course, decks, assessments }, rel));
  return { dir, course, decks, scenarios, resources, assessments };
}

/** Loads every course folder (a folder holding course.yaml) directly under `root`, or `root` itself. */
export function loadContent(root: string): LoadResult {
  const problems: Problem[] = [];
  const courses: LoadedCourse[] = [];
  if (!fs.existsSync(root)) return { courses, problems: [{ file: root, line: 1, message: 'folder not found' }] };
  const dirs = fs.existsSync(path.join(root, 'course.yaml'))
    ? [root]
    : fs
        .readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'course.yaml')))
        .map((e) => path.join(root, e.name))
        .sort();
  for (const d of dirs) {
    const c = loadCourse(d, fs.existsSync(path.join(root, 'course.yaml')) ? path.dirname(root) : root, problems);
    if (c) courses.push(c);
  }
  return { courses, problems };
}

export interface CourseSummary {
  id: string;
  title: string;
  modules: number;
  slides: number;
  questions: Partial<Record<QuestionType, number>>;
  scenarios: number;
  plannedMinutes: number;
}

export function summarize(c: LoadedCourse): CourseSummary {
  const questions: Partial<Record<QuestionType, number>> = {};
  let slides = 0;
  for (const d of c.decks)
    for (const s of d.slides) {
      slides++;
      if (s.question) questions[s.question.type] = (questions[s.question.type] ?? 0) + 1;
    }
  for (const a of c.assessments.values()) for (const q of a.questions) questions[q.type] = (questions[q.type] ?? 0) + 1;
  const plannedMinutes =
    c.course.modules.reduce((n, m) => n + m.minutes, 0) +
    (c.course.pretestMinutes ?? 0) +
    (c.course.posttestMinutes ?? 0) +
    (c.course.evaluationMinutes ?? 0);
  return { id: c.course.id, title: c.course.title, modules: c.decks.length, slides, questions, scenarios: c.scenarios.size, plannedMinutes };
}
