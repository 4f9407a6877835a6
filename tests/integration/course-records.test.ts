/**
 * What the second edition of the course adds to the records: the scenario-judgement columns of the
 * Scores sheet (each officer's own votes against the recommended choices) and the anonymous
 * Department gaps report (API, workbook, session sheet, CLI), on a real server and SQLite file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import { scenarioQuestion } from '../../main/session/engine';
import type { RecordOp } from '../../main/session/engine';
import { main } from '../../main/cli';
import type { ScenarioView } from '../../shared/course';
import type { QuestionDef } from '../../shared/question';
import type { DepartmentGaps } from '../../shared/department-gaps';
import { ROOT } from '../helpers/app';

let app: MusterApp;
let base: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-course-records-'));
const MIN = 60_000;
const DAY = new Date(2025, 4, 6, 9).getTime();
const NEXT = new Date(2025, 4, 20, 9).getTime();

/** A two-decision scenario as the loader renders it; the engine turns each decision into a poll. */
const node = (id: string, best: string | null, options: string[]) => ({
  id,
  situationHtml: '<p>x</p>',
  prompt: 'What do you do?',
  options: options.map((o) => ({ id: o.toLowerCase(), text: o, next: 'end', feedback: null })),
  best,
  debriefHtml: null,
  notes: '',
  end: false,
});
const SCENARIO: ScenarioView = {
  id: 'stop',
  title: 'Stop',
  start: 'a',
  nodes: {
    a: node('a', 'separate', ['Separate', 'Ticket']),
    b: node('b', 'call', ['Call', 'Leave']),
    end: { ...node('end', null, []), end: true },
  },
};
const DA = scenarioQuestion(SCENARIO, 'a')!;
const DB = scenarioQuestion(SCENARIO, 'b')!;
const GRADED = {
  id: 'ind-1',
  type: 'truefalse',
  prompt: 'Indicators are not proof.',
  correct: true,
} satisfies QuestionDef;
const gap = (key: string): QuestionDef => ({
  id: `dept-gap-${key}`,
  type: 'single',
  prompt: `Do we have ${key}?`,
  options: ['Yes', 'No', "I don't know"],
  tags: ['department-gap'],
});
const POLICY = gap('policy');
const SHELTER = gap('shelter');

interface Person {
  t: string;
  officerId: string;
  agency: string;
  votes?: Partial<Record<'a1' | 'b1' | 'a2', string>>;
  gaps?: Partial<Record<'policy' | 'shelter', string>>;
}

function classOps(id: string, start: number, people: Person[]): RecordOp[] {
  const ops: RecordOp[] = [
    {
      op: 'session',
      id,
      roomCode: '123456',
      course: 'human-trafficking',
      courseTitle: 'HT',
      courseNumber: '3270',
      creditHours: 8,
      passMark: 70,
      file: '03.md',
      title: 'Role-play',
      at: start,
    },
  ];
  people.forEach((p, i) => {
    ops.push({
      op: 'trainee',
      id: `${id}-${p.t}`,
      sessionId: id,
      name: `Officer ${p.t}`,
      officerId: p.officerId,
      agency: p.agency,
      at: start + i * 1000,
    });
    ops.push({
      op: 'attendance',
      sessionId: id,
      traineeId: `${id}-${p.t}`,
      event: 'join',
      at: start + i * 1000,
    });
  });
  const run = (
    runId: string,
    q: QuestionDef,
    at: number,
    value: (p: Person) => string | boolean | undefined,
  ) => {
    ops.push({
      op: 'runOpen',
      runId: `${id}-${runId}`,
      sessionId: id,
      slideIndex: 1,
      question: q,
      at: start + at * MIN,
      deadline: null,
    });
    for (const p of people) {
      const v = value(p);
      if (v !== undefined)
        ops.push({
          op: 'answer',
          runId: `${id}-${runId}`,
          sessionId: id,
          traineeId: `${id}-${p.t}`,
          msgId: `${runId}-${p.t}`,
          value: v,
          correct: q === GRADED ? v === true : null,
          at: start + (at + 1) * MIN,
        });
    }
    ops.push({ op: 'runClose', runId: `${id}-${runId}`, at: start + (at + 2) * MIN });
  };
  run('g', GRADED, 5, () => true);
  run('a1', DA, 10, (p) => p.votes?.a1);
  run('b1', DB, 20, (p) => p.votes?.b1);
  // The class replays the first decision: the later vote is the one that counts.
  run('a2', DA, 30, (p) => p.votes?.a2);
  run('p', POLICY, 40, (p) => p.gaps?.policy);
  run('s', SHELTER, 50, (p) => p.gaps?.shelter);
  ops.push({ op: 'end', sessionId: id, at: start + 120 * MIN });
  return ops;
}

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const CLASS1: Person[] = [
  {
    t: 'a',
    officerId: 'R1',
    agency: 'Riverside PD',
    votes: { a1: 'Ticket', b1: 'Call', a2: 'Separate' },
    gaps: { policy: 'Yes', shelter: 'No' },
  },
  {
    t: 'b',
    officerId: 'R2',
    agency: 'Riverside PD',
    votes: { a1: 'Separate', b1: 'Leave' },
    gaps: { policy: 'Yes', shelter: "I don't know" },
  },
  {
    t: 'c',
    officerId: 'R3',
    agency: 'riverside pd ',
    votes: { b1: 'Call' },
    gaps: { policy: 'No', shelter: 'No' },
  },
  { t: 'd', officerId: 'S1', agency: 'Smallville PD', gaps: { policy: 'No', shelter: 'Yes' } },
];
const CLASS2: Person[] = [
  { t: 'e', officerId: 'V1', agency: 'Valley SO', gaps: { policy: 'Yes', shelter: 'No' } },
];

beforeAll(async () => {
  app = await createApp(
    { dataDir, contentDir: path.join(ROOT, 'content'), settings: memorySettings({}) },
    { port: 0, lanHost: '127.0.0.1' },
  );
  base = `http://127.0.0.1:${app.consolePort}`;
  app.records.apply(classOps(S1, DAY, CLASS1));
  app.records.apply(classOps(S2, NEXT, CLASS2));
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (p: string) => fetch(`${base}${p}${p.includes('?') ? '&' : '?'}token=${app.token}`);
const rowsOf = (wb: XLSX.WorkBook, sheet: string) =>
  XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet], { header: 1, raw: true, defval: null });

describe('scenario judgement in the Scores sheet', () => {
  it("scores each officer's own latest vote at each decision against the recommended choice, beside an unchanged record score", async () => {
    const res = await get(`/api/sessions/${S1}/export.xlsx`);
    expect(res.status).toBe(200);
    const scores = rowsOf(
      XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' }),
      'Scores',
    );
    const head = scores[0] as string[];
    const col = (name: string) => head.indexOf(name);
    expect(head.slice(-2)).toEqual(['Scenario decisions voted', 'Scenario judgement %']);
    const byId = new Map(scores.slice(1).map((r) => [r[1], r]));
    // a: replayed decision A (Ticket, then Separate) and chose Call: 2 of 2.
    expect([
      byId.get('R1')![col('Scenario decisions voted')],
      byId.get('R1')![col('Scenario judgement %')],
    ]).toEqual([2, 100]);
    // b: Separate (recommended), Leave (not): 1 of 2.
    expect([
      byId.get('R2')![col('Scenario decisions voted')],
      byId.get('R2')![col('Scenario judgement %')],
    ]).toEqual([2, 50]);
    expect([
      byId.get('R3')![col('Scenario decisions voted')],
      byId.get('R3')![col('Scenario judgement %')],
    ]).toEqual([1, 100]);
    // d voted at no decision: blank, not zero.
    expect([
      byId.get('S1')![col('Scenario decisions voted')],
      byId.get('S1')![col('Scenario judgement %')],
    ]).toEqual(['', '']);
    // The record score is the one graded live question, for everyone alike: votes never enter it.
    for (const r of scores.slice(1))
      expect([r[col('Graded questions')], r[col('Score %')]]).toEqual([1, 100]);
  });
});

describe('the Department gaps report', () => {
  it('totals the anonymous audit across sessions, shows only agencies with enough respondents, most-missing first', async () => {
    const res = await get('/api/department-gaps?from=2025-05-01&to=2025-05-31');
    expect(res.status).toBe(200);
    const g = (await res.json()) as DepartmentGaps;
    expect([g.sessions, g.respondents, g.minGroup]).toEqual([2, 5, 3]);
    expect(
      g.items.map((i) => [i.questionId, i.yes, i.no, i.unknown, i.respondents, i.gapShare]),
    ).toEqual([
      ['dept-gap-shelter', 1, 3, 1, 5, 0.8],
      ['dept-gap-policy', 3, 2, 0, 5, 0.4],
    ]);
    // Riverside (3 officers, however its name was typed) is shown; Smallville and Valley (1 each) are
    // too small on their own and, pooled, still under 3: left out of the breakdown.
    expect(g.items[0].byAgency).toEqual([
      { agency: 'Riverside PD', yes: 0, no: 2, unknown: 1, respondents: 3, gapShare: 1 },
    ]);
    expect(JSON.stringify(g)).not.toMatch(/Officer|R1|S1|V1/);

    const xlsx = await get('/api/department-gaps.xlsx?from=2025-05-01&to=2025-05-31');
    expect(xlsx.status).toBe(200);
    const wb = XLSX.read(Buffer.from(await xlsx.arrayBuffer()), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Department gaps', 'Gaps by agency', 'About this report']);
    expect(rowsOf(wb, 'Department gaps')[1]).toEqual([
      'dept-gap-shelter',
      'Do we have shelter?',
      5,
      1,
      3,
      1,
      0.8,
    ]);
    expect((await get('/api/department-gaps?from=2025-13-01')).status).toBe(400);
  });

  it('puts the totals in the session workbook and keeps the answers out of the named Responses sheet', async () => {
    const wb = XLSX.read(
      Buffer.from(await (await get(`/api/sessions/${S1}/export.xlsx`)).arrayBuffer()),
      { type: 'buffer' },
    );
    expect(wb.SheetNames).toContain('Department gaps');
    expect(
      rowsOf(wb, 'Department gaps')
        .slice(1)
        .map((r) => r.slice(0, 1).concat(r.slice(2, 6))),
    ).toEqual([
      ['dept-gap-shelter', 4, 1, 2, 1],
      ['dept-gap-policy', 4, 2, 2, 0],
    ]);
    const responses = rowsOf(wb, 'Responses');
    expect(responses.length).toBeGreaterThan(1);
    expect(responses.some((r) => String(r[2]).startsWith('dept-gap-'))).toBe(false);
    expect((await get(`/api/sessions/${S1}/department-gaps.csv`)).status).toBe(200);
  });

  it('exports from the command line', async () => {
    const out = path.join(dataDir, 'gaps.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // The CLI opens its own connection to the same records file.
      expect(
        await main([
          'export',
          '--data',
          dataDir,
          '--department-gaps',
          '--from',
          '2025-05-01',
          '--out',
          out,
        ]),
      ).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(
      rowsOf(XLSX.read(fs.readFileSync(out), { type: 'buffer' }), 'Department gaps')[2][0],
    ).toBe('dept-gap-policy');
  });
});
