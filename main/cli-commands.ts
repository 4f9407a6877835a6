/**
 * What `muster check` and `muster export …` do (their options are defined in cli.ts): the content
 * authors' and the records staff's commands. A module of their own so that `muster serve` and
 * `--help` never load what they need (the course parser, the workbook and PDF writers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root';
import { usageError } from './cli-usage';
import { errorMessage } from '../shared/errors';
import { defaultDataDir } from './data-dir';
import { loadContent, summarize } from './content/load';
import { lessonPlanPdf } from './content/lesson-plan';
import { Records } from './records/db';
import { parseRange } from './records/export';
import { departmentClock, departmentProfile } from './records/department';
import { buildExport, finishExport } from './records/export-job';
import type { BuiltExport, ExportJob } from './records/export-job';
import { fileSettings } from './settings';

export function check(folder: string | undefined, values: { json?: boolean }): number {
  const dir = path.resolve(folder ?? path.join(packageRoot(), 'content'));
  const { courses, problems } = loadContent(dir);
  const summaries = courses.map(summarize);
  if (values.json) {
    console.log(JSON.stringify({ courses: summaries, problems }, null, 2));
  } else {
    for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
    for (const s of summaries) {
      const qs =
        Object.entries(s.questions)
          .map(([t, n]) => `${n} ${t}`)
          .join(', ') || 'none';
      console.log(
        `${s.id}: ${s.modules} modules, ${s.slides} slides, questions: ${qs}; ${s.scenarios} scenarios; ${s.plannedMinutes} planned minutes`,
      );
    }
    console.log(problems.length ? `${problems.length} problem(s)` : 'no problems');
  }
  return problems.length || courses.length === 0 ? 1 : 0;
}

/** `--lesson-plan COURSE`: COURSE is a course id in the content folder, or a course folder. */
async function exportLessonPlan(
  course: string,
  content: string | undefined,
  out: string | undefined,
): Promise<number> {
  const asDir = path.resolve(course);
  const root = fs.existsSync(path.join(asDir, 'course.yaml'))
    ? asDir
    : path.resolve(content ?? path.join(packageRoot(), 'content'));
  const { courses, problems } = loadContent(root);
  const found = courses.find((c) => c.dir === asDir || c.course.id === course);
  if (!found)
    throw new Error(
      `no course "${course}" in ${root} (a course id, or a folder holding course.yaml)`,
    );
  // Problems name files relative to the folder that holds the course folders.
  const base = fs.existsSync(path.join(root, 'course.yaml')) ? path.dirname(root) : root;
  const own = problems.filter((p) => path.resolve(base, p.file).startsWith(found.dir + path.sep));
  if (own.length) {
    for (const p of own) console.error(`${p.file}:${p.line}: ${p.message}`);
    throw new Error(
      `${found.course.id} has ${own.length} problem(s); fix them (\`muster check\`) before printing its lesson plan`,
    );
  }
  const file = path.resolve(out ?? `${found.course.id}-lesson-plan.pdf`);
  fs.writeFileSync(file, await lessonPlanPdf(found));
  console.log(file);
  return 0;
}

/** `muster export`'s options as commander gives them (camelCase; a flag not given is absent). */
export interface ExportOptions {
  session?: string;
  sheet?: string;
  csv?: boolean;
  pdf?: boolean;
  signIn?: boolean;
  from?: string;
  to?: string;
  course?: string;
  profile?: string;
  trainee?: string;
  weakSpots?: boolean;
  departmentGaps?: boolean;
  lessonPlan?: string;
  content?: string;
  data?: string;
  out?: string;
}

export async function exportSession(values: ExportOptions): Promise<number> {
  if (values.lessonPlan !== undefined) {
    const others = Object.entries(values).filter(
      ([k, v]) => v !== undefined && !['lessonPlan', 'content', 'out'].includes(k),
    );
    if (others.length) throw usageError('--lesson-plan goes with --content and --out only');
    return exportLessonPlan(values.lessonPlan, values.content, values.out);
  }
  if (values.content !== undefined) throw usageError('--content goes with --lesson-plan');
  const report = values.weakSpots || values.departmentGaps;
  const roster = !report && (values.from !== undefined || values.to !== undefined);
  const modes = [
    values.session !== undefined,
    values.trainee !== undefined,
    values.weakSpots,
    values.departmentGaps,
    roster,
  ];
  if (modes.filter(Boolean).length > 1)
    throw usageError(
      'choose one of --session, --trainee, --from/--to (roster), --weak-spots or --department-gaps',
    );
  if ((values.sheet !== undefined || values.signIn) && values.session === undefined)
    throw usageError('--sheet and --sign-in go with --session ID');
  if (values.csv && values.pdf) throw usageError('choose --csv or --pdf, not both');
  if (values.session !== undefined && values.csv && values.sheet === undefined)
    throw usageError(
      '--csv needs --sheet NAME (Summary, Attendance, Scores, Responses, "Item analysis", Q&A, Evaluation, "Audit log")',
    );
  if ((values.csv || values.pdf) && values.session === undefined && !roster)
    throw usageError('--csv and --pdf go with --session ID or --from/--to (roster)');
  if (values.profile !== undefined && !roster)
    throw usageError('--profile goes with --from/--to (roster)');
  if (
    values.course !== undefined &&
    values.from === undefined &&
    values.to === undefined &&
    !report
  )
    throw usageError('--course goes with --from/--to');
  // Dates are checked before anything is opened.
  const range = { from: values.from, to: values.to, course: values.course };
  try {
    parseRange(range);
  } catch (e) {
    throw usageError(`--${errorMessage(e)}`);
  }
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const settings = fileSettings(dataDir);
  const options = {
    department: settings.get('department'),
    profiles: settings.get('exportProfiles'),
  };
  const span = `${values.from ?? 'start'}-to-${values.to ?? 'today'}`;
  const records = new Records(path.join(dataDir, 'muster.sqlite'));
  let job: ExportJob;
  let fallback: string;
  let built: BuiltExport;
  try {
    if (values.session !== undefined) {
      const row = records.session(values.session);
      if (!row)
        throw new Error(
          `no session ${values.session} in ${dataDir} (\`muster export\` lists them)`,
        );
      const stem = `muster-${row.id.slice(0, 8)}`;
      if (values.signIn)
        [job, fallback] = [{ kind: 'sign-in', sessionId: row.id }, `${stem}-sign-in.pdf`];
      else if (values.sheet !== undefined)
        [job, fallback] = [
          { kind: 'session-csv', sessionId: row.id, sheet: values.sheet },
          `${stem}-${values.sheet.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`,
        ];
      else if (values.pdf)
        [job, fallback] = [{ kind: 'results-pdf', sessionId: row.id }, `${stem}-results.pdf`];
      else [job, fallback] = [{ kind: 'session-workbook', sessionId: row.id }, `${stem}.xlsx`];
    } else if (values.trainee !== undefined)
      [job, fallback] = [
        { kind: 'history-workbook', officerId: values.trainee },
        `muster-history-${values.trainee.replace(/[^A-Za-z0-9-]+/g, '_')}.xlsx`,
      ];
    else if (values.departmentGaps)
      [job, fallback] = [
        { kind: 'department-gaps-workbook', range },
        `muster-department-gaps-${span}.xlsx`,
      ];
    else if (values.weakSpots)
      [job, fallback] = [{ kind: 'weak-spots-workbook', range }, `muster-weak-spots-${span}.xlsx`];
    else if (roster) {
      const format = values.pdf ? 'pdf' : values.csv ? 'csv' : 'xlsx';
      [job, fallback] = [
        { kind: 'roster', range, profile: values.profile, format },
        `muster-roster-${span}.${format}`,
      ];
    } else {
      const clock = departmentClock(departmentProfile(options.department));
      for (const s of records.sessions())
        console.log(
          `${s.id}  ${clock.dateTime(s.started_at)}  ${s.course_number ? `[${s.course_number}] ` : ''}${s.course_title} — ${s.title}${s.ended_at ? '' : '  (running)'}`,
        );
      return 0;
    }
    built = buildExport(records, job, options);
  } finally {
    records.close();
  }
  const outcome = await finishExport(built);
  if (!outcome.ok) {
    const hint =
      job.kind === 'session-csv'
        ? ': Summary, Attendance, Scores, Responses, "Item analysis", Q&A, Evaluation, "Audit log", Scenarios'
        : '';
    throw new Error(
      `${outcome.message}${outcome.status === 404 && job.kind === 'history-workbook' ? ` in ${dataDir}` : ''}${hint}`,
    );
  }
  const out = path.resolve(values.out ?? fallback);
  fs.writeFileSync(out, outcome.body);
  console.log(out);
  return 0;
}
