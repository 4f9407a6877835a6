/**
 * A big ended session for the export tests (every question type, hostile names and answers, some
 * who never answer or leave early), written through Records.apply; and a comparison of two xlsx
 * files part by part and cell by cell.
 */
import { unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { expect } from 'vitest';
import type { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const MIN = 60_000;

function question(i: number): QuestionDef {
  const id = `q${i + 1}`;
  const tags = [['indicators', 'definitions', 'screening'][i % 3]];
  switch (i % 7) {
    case 0:
      return {
        id,
        type: 'single',
        prompt: `Which is an indicator? "${i}", or not`,
        options: ['Scripted answers', 'Own ID', '=SUM(A1)'],
        correct: 'Scripted answers',
        tags,
      };
    case 1:
      return {
        id,
        type: 'multi',
        prompt: `Elements (${i})`,
        options: ['Force', 'Fraud', 'Coercion', 'Movement'],
        correct: ['Force', 'Fraud', 'Coercion'],
        scoring: 'partial',
        tags,
      };
    case 2:
      return {
        id,
        type: 'truefalse',
        prompt: `A minor needs no proof of force (${i})`,
        correct: true,
        tags,
      };
    case 3:
      return { id, type: 'numeric', prompt: `Hours? (${i})`, correct: 2, tolerance: 0, tags };
    case 4:
      return { id, type: 'text', prompt: `What would you ask? (${i})` };
    case 5:
      return {
        id,
        type: 'ranking',
        prompt: `Order the steps (${i})`,
        options: ['Separate', 'Interpret', 'Screen'],
      };
    default:
      return {
        id: `eval-${i + 1}`,
        type: 'rating',
        prompt: `Useful? (${i})`,
        scale: { min: 1, max: 5 },
        tags: ['evaluation'],
      };
  }
}

function answer(q: QuestionDef, k: number): AnswerValue {
  switch (q.type) {
    case 'single':
      return q.options[k % 3];
    case 'multi':
      return k % 2 ? ['Force', 'Fraud'] : ['Force', 'Fraud', 'Coercion'];
    case 'truefalse':
      return k % 4 !== 0;
    case 'numeric':
      return k % 5 ? 2 : 8;
    case 'text':
      return [`ask about the ID, "${k}"`, '=HYPERLINK("http://x")', '+1, then\nmore', '@name'][
        k % 4
      ];
    case 'ranking':
      return k % 2 ? ['Separate', 'Interpret', 'Screen'] : ['Screen', 'Separate', 'Interpret'];
    case 'rating':
      return 1 + (k % 5);
  }
}

/** One ended session through Records.apply, in batches like the classroom's group commit. */
export function storeSession(
  records: Records,
  id: string,
  start: number,
  trainees: number,
  questions: number,
): void {
  const batch: RecordOp[] = [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'Human Trafficking & You',
      courseNumber: '3270',
      creditHours: 2,
      passMark: null,
      file: 'm.md',
      title: 'Module',
      at: start,
    },
  ];
  const flush = () => records.apply(batch.splice(0));
  const names = ['Ana Ortiz', '<img src=x onerror=alert(1)>', '=cmd|calc', 'Ben, "Junior" Lee'];
  for (let t = 0; t < trainees; t++) {
    const tid = `${id}-t${t}`;
    const at = start + t * 100;
    batch.push({
      op: 'trainee',
      id: tid,
      sessionId: id,
      name: `${names[t % names.length]} ${t}`,
      officerId: String(t).padStart(5, '0'),
      agency: ['Riverside PD', 'County, Sheriff'][t % 2],
      at,
    });
    batch.push({ op: 'attendance', sessionId: id, traineeId: tid, event: 'join', at });
    if (t % 7 === 3)
      batch.push({
        op: 'attendance',
        sessionId: id,
        traineeId: tid,
        event: 'leave',
        at: at + 20 * MIN,
      });
  }
  flush();
  for (let i = 0; i < questions; i++) {
    const q = question(i);
    const runId = `${id}-r${i}`;
    const at = start + (5 + i * 2) * MIN;
    batch.push({
      op: 'runOpen',
      runId,
      sessionId: id,
      slideIndex: i,
      question: q,
      at,
      deadline: null,
    });
    for (let t = 0; t < trainees; t++) {
      if ((t + i) % 11 === 0) continue; // some never answer
      batch.push({
        op: 'answer',
        runId,
        sessionId: id,
        traineeId: `${id}-t${t}`,
        msgId: `m${i}-${t}`,
        value: answer(q, t + i),
        correct: null,
        at: at + 1000 + t,
      });
      if (batch.length >= 5000) flush();
    }
    batch.push({ op: 'runClose', runId, at: at + MIN });
    flush();
  }
  batch.push({ op: 'end', sessionId: id, at: start + 3 * 60 * MIN });
  flush();
}

/** The "Exported at" of a session workbook's Summary sheet (the one cell that depends on when it was built). */
function exportedAt(book: Buffer): string {
  const rows = XLSX.utils.sheet_to_json<[string, unknown]>(
    XLSX.read(book, { type: 'buffer' }).Sheets.Summary,
    { header: 1 },
  );
  return String(rows.find((r) => r[0] === 'Exported at')?.[1] ?? '');
}

/**
 * Every part of two xlsx files (zip entries) byte for byte, and every cell of every sheet as SheetJS
 * reads it. With `builtWithin`, a session workbook: its "Exported at" must lie in that window and is
 * then taken as the expected one's.
 */
export function expectSameWorkbook(
  actual: Buffer,
  expected: Buffer,
  builtWithin?: [number, number],
): void {
  const a = unzipSync(actual);
  const e = unzipSync(expected);
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  let swap = (part: Uint8Array) => Buffer.from(part);
  if (builtWithin) {
    const [at, want] = [exportedAt(actual), exportedAt(expected)];
    expect(Date.parse(at.replace(' ', 'T'))).toBeGreaterThanOrEqual(
      Math.floor(builtWithin[0] / 60_000) * 60_000,
    ); // local, to the minute
    expect(Date.parse(at.replace(' ', 'T'))).toBeLessThanOrEqual(builtWithin[1]);
    swap = (part) => Buffer.from(Buffer.from(part).toString('utf8').replaceAll(at, want), 'utf8');
  }
  for (const name of Object.keys(e))
    expect(swap(a[name]).equals(Buffer.from(e[name])), name).toBe(true);
  const wa = XLSX.read(actual, { type: 'buffer' });
  const we = XLSX.read(expected, { type: 'buffer' });
  expect(wa.SheetNames).toEqual(we.SheetNames);
  for (const s of we.SheetNames) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wa.Sheets[s], { header: 1, raw: true });
    if (builtWithin && s === 'Summary')
      for (const r of rows) if (r[0] === 'Exported at') r[1] = exportedAt(expected);
    expect(rows, s).toEqual(XLSX.utils.sheet_to_json(we.Sheets[s], { header: 1, raw: true }));
  }
}
