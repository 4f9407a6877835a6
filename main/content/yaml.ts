/**
 * YAML for course files: parse, validate against a schema, and report every problem as
 * `file:line: message` at the line the author wrote it.
 */
import fs from 'node:fs';
import YAML, { LineCounter, isMap, isSeq } from 'yaml';
import type { z } from 'zod';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** Parses YAML and reports syntax errors at their line in the file. */
export function parseYaml(src: string, file: string, firstLine: number, problems: Problem[]): unknown {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(src, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = e.pos ? lineCounter.linePos(e.pos[0]) : { line: 1 };
      problems.push({ file, line: firstLine + pos.line - 1, message: `invalid YAML: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  return doc.toJS();
}

/** Finds the line of a key path inside a YAML source, for schema errors; falls back to `fallback`. */
export function lineOf(src: string, keyPath: PropertyKey[], firstLine: number, fallback: number): number {
  return lineFinder(src, firstLine)(keyPath, fallback);
}

/**
 * The lines of many key paths in one YAML source: the source is parsed once, at the first
 * question. A post-test asked for its items' lines one by one was parsed once per item: most of
 * the time and much of the garbage of loading a course.
 */
export function lineFinder(src: string, firstLine: number): (keyPath: PropertyKey[], fallback: number) => number {
  let parsed: { doc: YAML.Document.Parsed; lineCounter: LineCounter } | null = null;
  return (keyPath, fallback) => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: YAML.parseDocument(src, { lineCounter }), lineCounter };
    }
    const { doc, lineCounter } = parsed;
    let node: unknown = doc.contents;
    let line = fallback;
    for (const k of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === k);
        if (!pair) break;
        const range = (pair.key as { range?: [number, number, number] }).range;
        if (range) line = firstLine + lineCounter.linePos(range[0]).line - 1;
        node = pair.value;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        if (range) line = firstLine + lineCounter.linePos(range[0]).line - 1;
      } else break;
    }
    return line;
  };
}

export function validate<T>(
  schema: z.ZodType<T>,
  data: unknown,
  src: string,
  file: string,
  firstLine: number,
  problems: Problem[],
): T | undefined {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lineAt = lineFinder(src, firstLine);
  for (const issue of r.error.issues.slice(0, 10)) {
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    let message = issue.message;
    if (issue.code === 'invalid_union' && (issue.path.at(-1) === 'type' || issue.path.length === 0)) {
      // A discriminated union fails on its tag: name the value the author wrote.
      let node: unknown = data;
      for (const k of issue.path.slice(0, -1)) node = (node as Record<PropertyKey, unknown> | undefined)?.[k];
      const type = (node as { type?: unknown } | undefined)?.type;
      message = type === undefined ? 'a question needs a type' : `unknown question type "${String(type)}"`;
    }
    problems.push({ file, line: lineAt(issue.path, firstLine), message: `${where}${message}` });
  }
  return undefined;
}

export function readYamlFile<T>(schema: z.ZodType<T>, abs: string, rel: string, problems: Problem[]): T | undefined {
  if (!fs.existsSync(abs)) {
    problems.push({ file: rel, line: 1, message: 'file not found' });
    return undefined;
  }
  const src = fs.readFileSync(abs, 'utf8');
  const data = parseYaml(src, rel, 1, problems);
  return data === undefined ? undefined : validate(schema, data, src, rel, 1, problems);
}

