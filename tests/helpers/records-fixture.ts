/**
 * A class day stored through Records.apply (the engine's RecordOp shapes), for the export tests:
 * five trainees, seven question runs of every kind, an evaluation, a correction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { Records } from '../../main/records/db';
import type { RecordOp } from '../../main/session/engine';
import { isCorrect } from '../../shared/question';
import type { AnswerValue, QuestionDef } from '../../shared/question';

export const MIN = 60_000;
/** 9:00 local time on 6 May 2025: the session date is local, so the test works in any time zone. */
export const T0 = new Date(2025, 4, 6, 9, 0, 0).getTime();
export const at = (minutes: number) => T0 + minutes * MIN;
export const pad = (n: number) => String(n).padStart(2, '0');
/** How the exports write an instant: local time (the department's zone is this computer's here), to the minute. */
export const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
export const HYPER = '=HYPERLINK("http://x","y")';
export const TITLE = 'Human Trafficking: Identify & Respond (Patrol) — "Module 1"';

const dirs: string[] = [];
export function openRecords(): Records {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-records-export-'));
  dirs.push(dir);
  return new Records(path.join(dir, 'muster.sqlite'));
}
/** A folder to remove with the others afterwards. */
export function trackDir(dir: string): void {
  dirs.push(dir);
}

/** Removes the folders openRecords made (call from afterAll). */
export function removeRecordsDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export const Q: Record<string, QuestionDef> = {
  ind: {
    id: 'ind-1',
    type: 'single',
    prompt: 'Which is an indicator?',
    options: ['A', 'B', 'C'],
    correct: 'B',
    tags: ['indicators'],
  },
  def: {
    id: 'def-1',
    type: 'multi',
    prompt: 'Elements of the definition',
    options: ['Force', 'Fraud', 'Coercion', 'Movement'],
    correct: ['Force', 'Fraud', 'Coercion'],
    scoring: 'partial',
    tags: ['definitions'],
  },
  minor: {
    id: 'minor-1',
    type: 'truefalse',
    prompt: 'A minor needs no proof of force',
    correct: true,
    tags: ['minors', 'definitions'],
  },
  hours: {
    id: 'hours-1',
    type: 'numeric',
    prompt: 'Hours required?',
    correct: 2,
    tags: ['mandates'],
  },
  poll: {
    id: 'poll-1',
    type: 'rating',
    prompt: 'How confident are you?',
    scale: { min: 1, max: 5 },
  },
  useful: {
    id: 'eval-useful',
    type: 'rating',
    prompt: 'How useful for your duties?',
    scale: { min: 1, max: 5 },
  },
  comments: {
    id: 'comments',
    type: 'text',
    prompt: 'Comments on the instructor',
    tags: ['evaluation'],
  },
};
export const RUNS = ['ind', 'def', 'minor', 'hours', 'poll', 'useful', 'comments'] as const;

export const PEOPLE = [
  { id: 't1', name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD', join: 2 },
  { id: 't3', name: 'Ben Cole', officerId: 'TX-2231', agency: 'Riverside PD', join: 3 },
  { id: 't4', name: 'Cara Diaz', officerId: '88120', agency: 'County Sheriff', join: 4 },
  { id: 't5', name: 'Dev Patel', officerId: '00902', agency: 'county sheriff ', join: 5 },
  { id: 't2', name: HYPER, officerId: '00123', agency: '+SUM(1)', join: 15 },
];

/** Final answers by trainee; Dev first answers C to the first question, then A. */
export const ANSWERS: Record<string, Partial<Record<(typeof RUNS)[number], AnswerValue>>> = {
  t1: {
    ind: 'B',
    def: ['Coercion', 'Force', 'Fraud'],
    minor: true,
    hours: 2,
    poll: 4,
    useful: 5,
    comments: 'Clear and practical',
  },
  t3: { ind: 'B', def: ['Force', 'Fraud'], minor: true, hours: 2, poll: 5 },
  t4: { ind: 'B', def: ['Force', 'Fraud', 'Coercion'], minor: true, hours: 2, useful: 3 },
  t5: { ind: 'A', def: ['Movement'], minor: false, hours: 2 },
  t2: { ind: 'B', comments: '=1+2' },
};

export function storeClass(
  r: Records,
  o: { id?: string; start?: number; courseNumber?: string | null; course?: string } = {},
): string {
  const sid = o.id ?? 's1';
  const start = o.start ?? T0;
  const m = (minutes: number) => start + minutes * MIN;
  const tid = (t: string) => `${sid}-${t}`;
  const ops: RecordOp[] = [
    {
      op: 'session',
      id: sid,
      roomCode: '123456',
      course: o.course ?? 'ht-patrol',
      courseTitle: TITLE,
      courseNumber: o.courseNumber === undefined ? '3270' : o.courseNumber,
      creditHours: 2,
      passMark: 75,
      file: '01.md',
      title: 'Module 1',
      at: start,
    },
  ];
  for (const p of PEOPLE) {
    ops.push({
      op: 'trainee',
      id: tid(p.id),
      sessionId: sid,
      name: p.name,
      officerId: p.officerId,
      agency: p.agency,
      at: m(p.join),
    });
    ops.push({
      op: 'attendance',
      sessionId: sid,
      traineeId: tid(p.id),
      event: 'join',
      at: m(p.join),
    });
  }
  // Ben's phone sleeps for ten minutes; Cara leaves twenty minutes early.
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t3'), event: 'leave', at: m(60) });
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t3'), event: 'return', at: m(70) });
  ops.push({ op: 'attendance', sessionId: sid, traineeId: tid('t4'), event: 'leave', at: m(100) });
  RUNS.forEach((key, i) => {
    const q = Q[key];
    const runId = `${sid}-r${i}`;
    ops.push({
      op: 'runOpen',
      runId,
      sessionId: sid,
      slideIndex: i + 2,
      question: q,
      at: m(20 + i * 10),
      deadline: null,
    });
    if (key === 'ind')
      ops.push({
        op: 'answer',
        runId,
        sessionId: sid,
        traineeId: tid('t5'),
        msgId: 'first',
        value: 'C',
        correct: false,
        at: m(20.25),
      });
    PEOPLE.forEach((p, k) => {
      const value = ANSWERS[p.id][key];
      if (value !== undefined)
        ops.push({
          op: 'answer',
          runId,
          sessionId: sid,
          traineeId: tid(p.id),
          msgId: `${key}-${p.id}`,
          value,
          correct: isCorrect(q, value),
          at: m(20 + i * 10 + 0.5) + k * 1000,
        });
    });
    ops.push({ op: 'runClose', runId, at: m(25 + i * 10) });
  });
  ops.push(
    {
      op: 'qaAsk',
      id: `${sid}-qa1`,
      sessionId: sid,
      traineeId: tid('t1'),
      text: 'Is a T visa the same as a U visa?',
      anonymous: false,
      msgId: `${sid}-qm1`,
      at: m(30),
    },
    {
      op: 'qaAsk',
      id: `${sid}-qa2`,
      sessionId: sid,
      traineeId: null,
      text: '@SUM(A1) what if the victim is a minor?',
      anonymous: true,
      msgId: `${sid}-qm2`,
      at: m(31),
    },
    { op: 'qaVote', qaId: `${sid}-qa1`, traineeId: tid('t3'), at: m(32) },
    { op: 'qaVote', qaId: `${sid}-qa1`, traineeId: tid('t4'), at: m(33) },
    { op: 'qaModerate', qaId: `${sid}-qa1`, status: 'approved', pinned: true, at: m(34) },
    {
      op: 'correctTrainee',
      sessionId: sid,
      traineeId: tid('t1'),
      before: { name: 'Ana Ortiz', officerId: '00417', agency: 'Riverside PD' },
      after: { name: 'Ana M. Ortiz', officerId: '00417', agency: 'Riverside PD' },
      reason: 'Name as on her license',
      actor: 'instructor',
      at: m(40),
    },
    { op: 'end', sessionId: sid, at: m(120) },
  );
  // In batches, as the classroom's group commit stores them.
  for (let i = 0; i < ops.length; i += 7) r.apply(ops.slice(i, i + 7));
  r.db
    .prepare(`UPDATE sessions SET instructors = ?, location = ? WHERE id = ?`)
    .run('Sgt. Maria Lopez; Det. Sam Reed', 'Riverside Training Center, Room 2', sid);
  return sid;
}

export const DEPT = {
  officerIdLabel: 'TCOLE PID',
  agency: 'Riverside Regional Academy',
  state: 'TX',
};

export function read(buf: Buffer): XLSX.WorkBook {
  return XLSX.read(buf, { type: 'buffer', cellNF: true });
}
/** A sheet as rows of values, empty cells as null. */
export function rowsOf(wb: XLSX.WorkBook, sheet: string): unknown[][] {
  return XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet], {
    header: 1,
    raw: true,
    defval: null,
  });
}
