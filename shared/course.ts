/**
 * Course and deck formats (see content/README.md). Schemas only; loading from disk is in
 * main/content, which reports every problem as `file:line: message`.
 */
import { z } from 'zod';
import { QuestionDef } from './question';
import type { AssessmentKind } from './vocabulary';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens');

/**
 * A learning objective ("The participant will be able to …"): numbered like `1.2`, listed in
 * teaching order under its module, taught on the slides named in `taughtOn` and assessed by the
 * questions whose `objective` is its id. `muster check` holds a course with objectives to that.
 */
export const Objective = z
  .object({
    id: z
      .string({ error: 'quote an objective id (id: "1.2"): 1.10 unquoted would read as 1.1' })
      .regex(/^[0-9]+(\.[0-9]+)*$/, 'an objective id is a number such as 1.2'),
    /** What the participant will be able to do, starting with a verb ("identify …"). */
    text: z.string().min(1).max(300),
    /** The ids of the slides that teach it, in this module's deck. */
    taughtOn: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type Objective = z.infer<typeof Objective>;

export const CourseFile = z
  .object({
    id: slug,
    title: z.string().min(1).max(200),
    courseNumber: z.string().max(60).optional(),
    creditHours: z.number().min(0).max(200).optional(),
    passMark: z.number().min(0).max(100).optional(),
    /** Polls (questions without a correct answer) show their answers on the projector as they arrive; a question's own `live` wins. */
    livePolls: z.boolean().optional(),
    version: z.number().int().optional(),
    description: z.string().max(4000).optional(),
    /** For the lesson plan: who the course is for, when it was last revised, what the room needs. */
    audience: z.string().max(500).optional(),
    revised: z.string().max(40).optional(),
    materials: z.array(z.string().min(1).max(300)).optional(),
    modules: z
      .array(
        z
          .object({
            file: z.string().regex(/^[A-Za-z0-9._-]+\.md$/, 'a Markdown file in the course folder'),
            title: z.string().min(1).max(200),
            minutes: z.number().int().min(1).max(1000),
            objectives: z.array(Objective).optional(),
          })
          .strict(),
      )
      .min(1),
    assessments: z.record(z.string(), z.string()).optional(),
    resources: z.string().optional(),
    pretestMinutes: z.number().int().optional(),
    posttestMinutes: z.number().int().optional(),
    evaluationMinutes: z.number().int().optional(),
  })
  .strict();
export type CourseFile = z.infer<typeof CourseFile>;

export const DeckFrontMatter = z
  .object({
    title: z.string().min(1).max(200),
    module: slug.optional(),
    minutes: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const ScenarioBlock = z.object({ file: z.string().min(1) }).strict();
export const ResourcesBlock = z.object({ show: z.array(z.string()).min(1) }).strict();
export const QaBlock = z.object({ prompt: z.string().min(1).max(300) }).strict();

export const ResourceEntry = z
  .object({
    label: z.string(),
    value: z.string(),
    verify: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export const ResourcesFile = z
  .object({
    contacts: z.record(z.string(), ResourceEntry),
    stateLaw: z.array(ResourceEntry).optional(),
    /** The department's own places and figures for the Module 5 hot-spot exercise. */
    hotSpots: z.array(ResourceEntry).optional(),
  })
  .strict();
export type ResourcesFile = z.infer<typeof ResourcesFile>;

export const ScenarioOption = z
  .object({
    id: slug,
    text: z.string().min(1).max(120),
    next: z.string().min(1),
    feedback: z.string().optional(),
  })
  .strict();
export const ScenarioNode = z
  .object({
    situation: z.string().min(1),
    prompt: z.string().optional(),
    options: z.array(ScenarioOption).optional(),
    best: z.string().optional(),
    debrief: z.string().optional(),
    notes: z.string().optional(),
    end: z.boolean().optional(),
  })
  .strict();
export const ScenarioFile = z
  .object({
    id: slug,
    title: z.string().min(1),
    summary: z.string().optional(),
    tags: z.array(z.string()).optional(),
    start: z.string(),
    nodes: z.record(z.string(), ScenarioNode),
  })
  .strict();
export type ScenarioFile = z.infer<typeof ScenarioFile>;

export const AssessmentFile = z
  .object({
    id: slug,
    title: z.string().min(1),
    form: z.string().optional(),
    questions: z.array(QuestionDef).min(1),
  })
  .strict();
export type AssessmentFile = z.infer<typeof AssessmentFile>;

/** Problems in a scenario graph: dangling links, unreachable nodes, decisions without a best choice. */
export function scenarioProblems(s: ScenarioFile): string[] {
  const out: string[] = [];
  const ids = new Set(Object.keys(s.nodes));
  if (!ids.has(s.start)) out.push(`start "${s.start}" is not a node`);
  for (const [id, n] of Object.entries(s.nodes)) {
    if (n.end) continue;
    if (!n.options || n.options.length < 2)
      out.push(`node "${id}" needs at least two options or end: true`);
    for (const o of n.options ?? [])
      if (!ids.has(o.next))
        out.push(`node "${id}" option "${o.id}" goes to unknown node "${o.next}"`);
    if (n.best !== undefined && !(n.options ?? []).some((o) => o.id === n.best))
      out.push(`node "${id}" best "${n.best}" is not one of its options`);
  }
  const seen = new Set<string>();
  const stack = [s.start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !ids.has(id)) continue;
    seen.add(id);
    for (const o of s.nodes[id].options ?? []) stack.push(o.next);
  }
  for (const id of ids) if (!seen.has(id)) out.push(`node "${id}" cannot be reached from start`);
  if (![...ids].some((id) => s.nodes[id].end)) out.push('a scenario needs at least one end node');
  return out;
}

/** A scenario node ready to show: its Markdown rendered (raw HTML off) once, at load. */
export interface ScenarioNodeView {
  id: string;
  situationHtml: string;
  prompt: string | null;
  options: { id: string; text: string; next: string; feedback: string | null }[];
  best: string | null;
  debriefHtml: string | null;
  notes: string;
  /** The notes rendered from Markdown, for the console. */
  notesHtml?: string;
  end: boolean;
}

export interface ScenarioView {
  id: string;
  title: string;
  start: string;
  nodes: Record<string, ScenarioNodeView>;
}

/** Tells the slide kinds apart; a question slide carries its definition. */
export interface Slide {
  id: string;
  /** 1-based line in the deck where the slide starts, for error messages. */
  line: number;
  title: string;
  /** Instructor-authored Markdown rendered to HTML with raw HTML off. */
  html: string;
  notes: string;
  /** The speaker notes rendered from Markdown (raw HTML off), for the console only. */
  notesHtml?: string;
  question: QuestionDef | null;
  scenario: string | null;
  /** The prompt of a Q&A slide (a ```qa block): the projector shows the board on it. */
  qaPrompt?: string | null;
  /** The scenario the slide runs, loaded and rendered; absent when the file is missing or invalid. */
  scenarioDef?: ScenarioView | null;
}

/**
 * What an assessment is for, from its key in course.yaml: `pretest` and `posttest` are scored and
 * compared (knowledge gain), and a post-test decides pass/fail; `evaluation` is the attendees'
 * critique (never scored); any other key is a self-paced quiz.
 */
export type { AssessmentKind } from './vocabulary';

export function assessmentKind(key: string): AssessmentKind {
  return key === 'pretest' || key === 'posttest' || key === 'evaluation' ? key : 'quiz';
}

/** A question set that trainees take self-paced on their phones, one question at a time. */
export interface AssessmentDef {
  /** Its key in course.yaml (`pretest`, `posttest`, `evaluation` …). */
  key: string;
  /** The id inside the assessment file. */
  id: string;
  title: string;
  kind: AssessmentKind;
  minutes: number | null;
  questions: QuestionDef[];
}

export interface Deck {
  course: string;
  courseTitle: string;
  /** From course.yaml, copied into each session's record. */
  courseNumber?: string | null;
  creditHours?: number | null;
  passMark?: number | null;
  /** From course.yaml: polls show their answers as they arrive unless a question says otherwise. */
  livePolls?: boolean;
  file: string;
  title: string;
  minutes: number | null;
  slides: Slide[];
  /** The course's self-paced assessments, which any of its sessions can give. */
  assessments?: AssessmentDef[];
  /** The module's learning objectives, in teaching order (also shown on its first slide). */
  objectives?: { id: string; text: string }[];
}
