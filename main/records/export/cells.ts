/** How values read in the exports: neutralised text, local times, answers as records staff read them. */
import type { AnswerValue, QuestionDef } from '../../../shared/question';
import type { Clock } from '../../../shared/clock';

/**
 * OWASP: cells starting with = + - @ tab CR (or NUL) are neutralised with a leading apostrophe.
 * Spreadsheets also take the full-width forms (＝ ＋ － ＠) and skip leading blanks (spaces, NBSP,
 * ideographic space, zero-width characters) before a formula, so those are caught too.
 */
const FORMULA_START =
  /^[\s\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]*[=+\-@\t\r\0\uff1d\uff0b\uff0d\uff20]/;
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A nullable text as a neutralised cell ('' for none). */
export const text = (v: string | null | undefined): string => (v == null ? '' : neutralise(v));

/** A stored instant in ISO 8601 (as `Date#toISOString` writes it) inside a JSON value. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Instants written into stored text (an audit reason says when a roster was imported), as local time. */
export function localInstants(s: string | null, clock: Clock): string {
  if (s == null) return '';
  return neutralise(
    s.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g, (m) =>
      Number.isFinite(Date.parse(m)) ? clock.dateTime(Date.parse(m)) : m,
    ),
  );
}

/**
 * The before/after JSON of an audit entry as a person reads it: "checkIn: 2025-05-06 09:02;
 * checkOut: 2025-05-06 11:00", instants in local time, neutralised. The records keep the JSON.
 */
export function readableJson(json: string | null, clock: Clock): string {
  if (json == null || json === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return neutralise(json);
  }
  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'string')
      return ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v))
        ? clock.dateTime(Date.parse(v))
        : v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return neutralise(show(value));
  return neutralise(
    Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join('; '),
  );
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** A yes/no column; blank when it does not apply. */
export const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'Yes' : 'No');
/** A number column; blank when there is no number. */
export const orBlank = (n: number | null): number | '' => (n === null ? '' : n);

/**
 * An answer as records staff read it: a ranking as "A > B > C" (top first), a multiple select as
 * "A | B", true/false as True or False, a number as a number cell; text through {@link neutralise}.
 */
export function answerCell(q: QuestionDef, v: AnswerValue): string | number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) {
    if (q.type === 'ranking') return neutralise(v.join(' > '));
    // Picks in the order of the options, whatever order they were tapped in.
    const order = 'options' in q ? q.options : [];
    const rank = (x: string) => (order.includes(x) ? order.indexOf(x) : order.length);
    return neutralise([...v].sort((a, b) => rank(a) - rank(b)).join(' | '));
  }
  return neutralise(v);
}

/** The course-evaluation questions: an id starting with `eval`, or the tag `evaluation`. */
export function isEvaluation(q: QuestionDef): boolean {
  return q.id.startsWith('eval') || (q.tags ?? []).includes('evaluation');
}
