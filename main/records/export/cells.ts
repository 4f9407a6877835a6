/** How values read in the exports: neutralised text, ISO dates, answers as records staff read them. */
import type { AnswerValue, QuestionDef } from '../../../shared/question';

/**
 * OWASP: cells starting with = + - @ tab CR (or NUL) are neutralised with a leading apostrophe.
 * Spreadsheets also take the full-width forms (＝ ＋ － ＠) and skip leading blanks (spaces, NBSP,
 * ideographic space, zero-width characters) before a formula, so those are caught too.
 */
const FORMULA_START = /^[\s\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]*[=+\-@\t\r\0\uff1d\uff0b\uff0d\uff20]/;
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A nullable text as a neutralised cell ('' for none). */
export const text = (v: string | null | undefined): string => (v == null ? '' : neutralise(v));

const minutePrefix = new Map<number, string>();

/**
 * An instant as ISO 8601 in UTC ('' for none), as Date#toISOString writes it. The date-and-minute
 * part is cached: a big session has a quarter of a million answer times, mostly in a few hundred minutes.
 */
export function iso(ms: number | null | undefined): string {
  if (ms == null) return '';
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60000);
  let prefix = minutePrefix.get(minute);
  if (prefix === undefined) {
    if (minutePrefix.size > 100_000) minutePrefix.clear();
    prefix = new Date(minute * 60000).toISOString().slice(0, 17);
    minutePrefix.set(minute, prefix);
  }
  const rest = ms - minute * 60000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${prefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar date (YYYY-MM-DD) of an instant where the class was held: this computer's time zone. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local clock time, HH:MM. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A date given as YYYY-MM-DD: the start of that day and of the next in local time, or null when it
 * is not a real calendar date ("2025-02-30" is not).
 */
export function parseDay(s: string): { start: number; end: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = new Date(y, mo - 1, d);
  if (start.getFullYear() !== y || start.getMonth() !== mo - 1 || start.getDate() !== d) return null;
  return { start: start.getTime(), end: new Date(y, mo - 1, d + 1).getTime() };
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

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
