/**
 * The lesson plan (instructor guide) of a course, as a PDF a training coordinator files with the
 * course: purpose, audience, schedule, learning objectives with where each is taught and assessed,
 * materials, each module's segments (time, method, objective, content outline, instructor notes),
 * the scenarios with their decision points, recommended choices and debriefs, the assessments with
 * their keys, the local resources still to verify, and the sources.
 *
 * Everything comes from the loaded course ({@link lessonPlanDoc} is pure, so tests read it);
 * {@link lessonPlanPdf} lays it out with pdfmake. Used by `muster export --lesson-plan COURSE`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ScenarioFile, Slide } from '../../shared/course';
import { correctLabels, isGraded } from '../../shared/question';
import type { QuestionDef } from '../../shared/question';
import type { LoadedCourse } from './load';
import { notedMinutes, runs, slideBlocks, splitNotes } from './lesson-text';

/** A pdfmake document node: text, a list of nodes, or an object such as `{ table: … }`. */
type Node = string | Node[] | { [key: string]: unknown };

/** How a slide is taught, from what it holds. */
export function slideMethod(s: Slide): string {
  if (s.scenario) return 'Role-play scenario: phone vote and debrief';
  if (s.qaPrompt) return 'Open questions from phones';
  if (s.question) {
    if (s.question.tags?.includes('department-gap')) return 'Department gap audit (anonymous poll)';
    return isGraded(s.question) ? 'Knowledge check on phones' : 'Poll on phones';
  }
  if (s.html.includes('<table class="resources"')) return 'Local reference (resources file)';
  return 'Lecture and discussion';
}

function answerKey(q: QuestionDef): string {
  const labels = correctLabels(q);
  if (!labels) return q.type === 'rating' || q.type === 'text' ? '(survey item)' : '(poll: no key)';
  return labels.join(q.type === 'ranking' ? ' > ' : '; ');
}

const h1 = (text: string): Node => ({ text, style: 'h1', pageBreak: 'before' });
const h2 = (text: string): Node => ({ text, style: 'h2' });
const small = (text: string): Node => ({ text, style: 'small' });
const table = (widths: (number | string)[], head: string[], body: Node[][]): Node => ({
  table: { headerRows: 1, widths, dontBreakRows: true, body: [head.map((t) => ({ text: t, style: 'th' })), ...body] },
  layout: 'lightHorizontalLines',
  margin: [0, 4, 0, 10],
});

/** The objectives of the course with where each is taught and which items assess it. */
function objectiveMap(c: LoadedCourse): Node[][] {
  const rows: Node[][] = [];
  c.course.modules.forEach((m, mi) => {
    const deck = c.decks[mi];
    for (const o of m.objectives ?? []) {
      const taught = o.taughtOn.map((id) => deck?.slides.find((s) => s.id === id)?.title ?? id).join('; ');
      const items: string[] = [];
      for (const d of c.decks) for (const s of d.slides) if (s.question?.objective === o.id) items.push(s.question.id);
      for (const [key, a] of c.assessments) for (const q of a.questions) if (q.objective === o.id) items.push(`${q.id} (${key})`);
      rows.push([{ text: o.id, bold: true }, `The participant will be able to ${o.text}.`, small(taught), small(items.join(', ') || '—')]);
    }
  });
  return rows;
}

function notesBlock(notes: string, sources: Set<string>): Node[] {
  const n = splitNotes(notes);
  for (const s of n.sources) sources.add(s);
  const out: Node[] = n.paragraphs.map((p) => ({ text: runs(p), style: 'note' }));
  if (n.sources.length) out.push({ text: `Sources: ${n.sources.join(' · ')}`, style: 'source' });
  return out;
}

function moduleSection(c: LoadedCourse, mi: number, sources: Set<string>, scenarioOrder: string[]): Node[] {
  const m = c.course.modules[mi];
  const deck = c.decks[mi];
  const teaches = new Map<string, string[]>();
  for (const o of m.objectives ?? []) for (const id of o.taughtOn) teaches.set(id, [...(teaches.get(id) ?? []), o.id]);
  const rows: Node[][] = [];
  let listed = 0;
  deck.slides.forEach((s, i) => {
    const min = notedMinutes(s.notes);
    listed += min ?? 0;
    const objs = [...(teaches.get(s.id) ?? []), ...(s.question?.objective ? [s.question.objective] : [])];
    rows.push([String(i + 1), s.title, min === null ? '' : String(min), slideMethod(s), [...new Set(objs)].join(', ')]);
  });
  const out: Node[] = [
    h1(`Module ${mi + 1}: ${m.title}`),
    { text: `${m.minutes} minutes · ${deck.slides.length} segments · deck ${m.file}`, style: 'meta' },
  ];
  if (m.objectives?.length) {
    out.push(h2('Objectives'), { text: 'The participant will be able to:', margin: [0, 0, 0, 2] });
    out.push({ ol: m.objectives.map((o) => `${o.id}  ${o.text}`), margin: [0, 0, 0, 8] });
  }
  out.push(h2('Segments'), table([22, '*', 30, 130, 50], ['#', 'Segment', 'Min', 'Method', 'Objective'], rows));
  out.push(small(`Segment times in the notes add up to ${listed} of the module's ${m.minutes} minutes; the rest is the questions and pauses the notes mark.`));
  out.push(h2('Content and instructor notes'));
  deck.slides.forEach((s, i) => {
    out.push({ text: `${i + 1}. ${s.title}`, style: 'h3' });
    if (s.question) {
      const q = s.question;
      out.push({ text: runs(`**${isGraded(q) ? 'Question' : 'Poll'} (${q.id}):** ${q.prompt}`), style: 'body' });
      if ('options' in q) out.push({ ul: q.options, style: 'body' });
      out.push({ text: `Key: ${answerKey(q)}${q.objective ? ` · objective ${q.objective}` : ''}`, style: 'meta' });
    } else if (s.scenario) {
      out.push({ text: `Scenario: ${s.scenarioDef?.title ?? s.scenario} (see Scenarios, ${scenarioOrder.indexOf(s.scenario) + 1}).`, style: 'body' });
    } else {
      const blocks = slideBlocks(s.html);
      const bullets = blocks.filter((b) => b.kind === 'li').map((b) => b.text);
      for (const b of blocks) if (b.kind !== 'li') out.push({ text: b.text, style: 'body' });
      if (bullets.length) out.push({ ul: bullets, style: 'body' });
    }
    out.push(...notesBlock(s.notes, sources));
  });
  return out;
}

function scenarioSection(file: string, sc: ScenarioFile, n: number, sources: Set<string>): Node[] {
  const out: Node[] = [{ text: `${n}. ${sc.title}`, style: 'h2' }];
  if (sc.summary) out.push({ text: sc.summary, style: 'body' });
  out.push(small(`File ${file} · start at "${sc.start}"`));
  for (const [id, node] of Object.entries(sc.nodes)) {
    out.push({ text: node.end ? `Ending: ${id}` : `Decision: ${id}`, style: 'h3' });
    out.push(...splitNotes(node.situation).paragraphs.map((p) => ({ text: runs(p), style: 'body' })));
    if (node.options?.length) {
      out.push({ text: node.prompt ?? 'What do you do?', style: 'body', bold: true });
      out.push({
        ul: node.options.map((o) => ({ text: runs(`${o.id === node.best ? '**Recommended:** ' : ''}${o.text} → ${o.next}${o.feedback ? ` — ${o.feedback}` : ''}`) })),
        style: 'body',
      });
    }
    if (node.debrief) out.push({ text: 'Debrief', style: 'label' }, ...splitNotes(node.debrief).paragraphs.map((p) => ({ text: runs(p), style: 'body' })));
    if (node.notes) out.push(...notesBlock(node.notes, sources));
  }
  return out;
}

function assessmentSection(c: LoadedCourse): Node[] {
  const out: Node[] = [h1('Assessments')];
  const minutes: Record<string, number | undefined> = { pretest: c.course.pretestMinutes, posttest: c.course.posttestMinutes, evaluation: c.course.evaluationMinutes };
  for (const [key, a] of c.assessments) {
    out.push(h2(`${a.title}${a.form ? `, form ${a.form}` : ''} (${key}${minutes[key] ? `, ${minutes[key]} minutes` : ''})`));
    if (key === 'posttest') out.push(small(`Decides pass/fail: pass mark ${c.course.passMark ?? 'set by the department'}%.`));
    const rows = a.questions.map((q, i): Node[] => [String(i + 1), q.objective ?? '', [{ text: q.prompt }, ...('options' in q ? [{ ul: q.options, style: 'small' }] : [])], small(answerKey(q))]);
    out.push(table([20, 34, '*', 130], ['#', 'Obj.', 'Item', 'Key'], rows));
  }
  return out;
}

/** The lesson plan as a pdfmake document definition. */
export function lessonPlanDoc(c: LoadedCourse, o: { generated?: Date } = {}): { [key: string]: unknown } {
  const course = c.course;
  const sources = new Set<string>();
  const scenarioOrder: string[] = [];
  for (const d of c.decks) for (const s of d.slides) if (s.scenario && !scenarioOrder.includes(s.scenario)) scenarioOrder.push(s.scenario);
  const total = course.modules.reduce((n, m) => n + m.minutes, 0) + (course.pretestMinutes ?? 0) + (course.posttestMinutes ?? 0) + (course.evaluationMinutes ?? 0);
  const schedule: Node[][] = [];
  if (c.assessments.has('pretest')) schedule.push(['Pre-test', String(course.pretestMinutes ?? ''), 'Self-paced test on phones (baseline; not for the record)']);
  course.modules.forEach((m, i) => {
    const methods = [...new Set(c.decks[i]?.slides.map(slideMethod) ?? [])].join('; ');
    schedule.push([`Module ${i + 1}: ${m.title}`, String(m.minutes), methods]);
  });
  if (c.assessments.has('posttest')) schedule.push(['Post-test', String(course.posttestMinutes ?? ''), 'Self-paced test on phones; decides pass/fail']);
  if (c.assessments.has('evaluation')) schedule.push(['Course evaluation', String(course.evaluationMinutes ?? ''), 'Attendee critique on phones (instructor and relevance)']);
  schedule.push([{ text: 'Total', bold: true }, { text: String(total), bold: true }, `${(total / 60).toFixed(1)} hours of instruction; breaks and lunch are scheduled around it`]);

  const content: Node[] = [
    { text: course.title, style: 'title' },
    { text: 'Lesson plan and instructor guide', style: 'subtitle' },
    table(
      [150, '*'],
      ['Field', 'Value'],
      [
        ['Course number', course.courseNumber ?? '—'],
        ['Credit hours', course.creditHours === undefined ? '—' : String(course.creditHours)],
        ['Version / revised', `${course.version ?? '—'} / ${course.revised ?? '—'}`],
        ['Audience', course.audience ?? '—'],
        ['Pass mark', course.passMark === undefined ? 'Department default' : `${course.passMark}% on the post-test`],
        ['Instruction time', `${total} minutes`],
        ['Generated', (o.generated ?? new Date()).toISOString().slice(0, 10)],
      ],
    ),
    h2('Purpose'),
    { text: course.description ?? '', style: 'body' },
    h2('Schedule'),
    table(['*', 40, 230], ['Segment', 'Min', 'Methods'], schedule),
    h2('Learning objectives'),
    table([28, '*', 130, 110], ['#', 'Objective', 'Taught on', 'Assessed by'], objectiveMap(c)),
  ];
  if (course.materials?.length) content.push(h2('Materials and room'), { ul: course.materials, style: 'body' });
  course.modules.forEach((_m, i) => content.push(...moduleSection(c, i, sources, scenarioOrder)));
  if (scenarioOrder.length) {
    content.push(h1('Scenarios: decision points, recommended choices, debriefs'));
    content.push(small('Each trainee votes at every decision; the records score each vote against the recommended choice as a scenario-judgement checklist.'));
    scenarioOrder.forEach((f, i) => {
      const sc = c.scenarios.get(f);
      if (sc) content.push(...scenarioSection(f, sc, i + 1, sources));
    });
  }
  content.push(...assessmentSection(c));
  if (c.resources) {
    const r = c.resources;
    const rows = [...Object.values(r.contacts), ...(r.stateLaw ?? []), ...(r.hotSpots ?? [])].map((e): Node[] => [e.label, e.value, e.verify ? 'Verify before class' : '']);
    content.push(h1('Local resources and state law'), small(`From ${course.resources}: fill in every FILL IN and check each entry marked to verify before class.`), table([170, '*', 70], ['Entry', 'Value', 'Status'], rows));
  }
  content.push(h1('Sources'), { ul: [...sources].sort(), style: 'source' });
  return {
    pageSize: 'LETTER',
    pageMargins: [54, 60, 54, 54],
    info: { title: `${course.title} — lesson plan`, subject: course.courseNumber ?? course.id },
    header: (page: number) => (page === 1 ? '' : { text: `${course.title}${course.courseNumber ? ` (${course.courseNumber})` : ''} — lesson plan`, style: 'running', margin: [54, 24, 54, 0] }),
    footer: (page: number, pages: number) => ({ text: `Revised ${course.revised ?? '—'} · page ${page} of ${pages}`, style: 'running', alignment: 'center', margin: [54, 18, 54, 0] }),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 22, bold: true, margin: [0, 0, 0, 4] },
      subtitle: { fontSize: 14, color: '#444444', margin: [0, 0, 0, 14] },
      h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 12.5, bold: true, margin: [0, 12, 0, 4] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 2] },
      th: { bold: true, fillColor: '#eeeeee' },
      meta: { fontSize: 8.5, color: '#555555', margin: [0, 0, 0, 4] },
      body: { margin: [0, 1, 0, 2] },
      note: { margin: [10, 1, 0, 2], color: '#222222' },
      label: { bold: true, margin: [0, 4, 0, 1] },
      small: { fontSize: 8, color: '#444444' },
      source: { fontSize: 7, color: '#555555', margin: [10, 0, 0, 2] },
      running: { fontSize: 7.5, color: '#666666' },
    },
  };
}

interface PdfMake {
  setFonts(f: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: unknown): { getBuffer(): Promise<Buffer> };
}

/** The lesson plan as PDF bytes (pdfmake, Roboto as shipped with it; no network, no other files). */
export async function lessonPlanPdf(c: LoadedCourse, o: { generated?: Date } = {}): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const pdfmake = require('pdfmake') as PdfMake;
  const fonts = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  pdfmake.setFonts({
    Roboto: {
      normal: path.join(fonts, 'Roboto-Regular.ttf'),
      bold: path.join(fonts, 'Roboto-Medium.ttf'),
      italics: path.join(fonts, 'Roboto-Italic.ttf'),
      bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf'),
    },
  });
  // A lesson plan has no images or links to fetch: nothing outside pdfmake's own fonts is read.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => path.resolve(p).startsWith(fonts));
  return pdfmake.createPdf(lessonPlanDoc(c, o)).getBuffer();
}
