import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { attendance, neutralise, sessionWorkbookBuffer } from '../../main/records/export';

describe('formula neutralising', () => {
  it.each([
    '=1+1',
    '+1',
    '-1',
    '@SUM(A1)',
    '\tx',
    '\rx',
    '\uff1dSUM(A1)',
    '\uff0b1',
    '\uff20x',
    ' =1+1',
    '\u00a0=1+1',
    '\u3000=1+1',
    '\u200b=1',
    '  \uff1dx',
  ])('%j gets a leading apostrophe', (v) => {
    expect(neutralise(v)).toBe(`'${v}`);
  });
  it.each(['00417', 'Ana', '', "O'Brien", 'a=b', ' Ana', '\u3000Ana', 'x\uff1d1'])(
    '%j is left as it is',
    (v) => {
      expect(neutralise(v)).toBe(v);
    },
  );
});

describe('session workbook', () => {
  it('holds what the session recorded, IDs as text, minutes present from the intervals', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-export-'));
    const r = new Records(path.join(dir, 'db.sqlite'));
    const q = {
      id: 'q1',
      type: 'single' as const,
      prompt: 'Pick',
      options: ['A', 'B'],
      correct: 'B',
    };
    r.apply([
      {
        op: 'session',
        id: 's1',
        roomCode: '123456',
        course: 'c',
        courseTitle: 'Course',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'd.md',
        title: 'Deck',
        at: 0,
      },
      {
        op: 'trainee',
        id: 't1',
        sessionId: 's1',
        name: '=HYPERLINK("http://x","y")',
        officerId: '00123',
        agency: 'PD',
        at: 0,
      },
      { op: 'attendance', sessionId: 's1', traineeId: 't1', event: 'join', at: 0 },
      { op: 'attendance', sessionId: 's1', traineeId: 't1', event: 'leave', at: 10 * 60_000 },
      { op: 'attendance', sessionId: 's1', traineeId: 't1', event: 'join', at: 20 * 60_000 },
      {
        op: 'runOpen',
        runId: 'r1',
        sessionId: 's1',
        slideIndex: 0,
        question: q,
        at: 1,
        deadline: null,
      },
      {
        op: 'answer',
        runId: 'r1',
        sessionId: 's1',
        traineeId: 't1',
        msgId: 'm1',
        value: 'A',
        correct: false,
        at: 2,
      },
      {
        op: 'answer',
        runId: 'r1',
        sessionId: 's1',
        traineeId: 't1',
        msgId: 'm2',
        value: 'B',
        correct: true,
        at: 3,
      },
      { op: 'end', sessionId: 's1', at: 45 * 60_000 },
    ]);
    expect(attendance(r, 's1')[0]).toMatchObject({ minutesPresent: 35, intervals: 2 });
    const wb = XLSX.read(sessionWorkbookBuffer(r, 's1'), { type: 'buffer' });
    const att = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Attendance);
    expect(att).toEqual([
      expect.objectContaining({
        Name: `'=HYPERLINK("http://x","y")`,
        'Officer ID': '00123',
        'Minutes present': 35,
      }),
    ]);
    const resp = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Responses);
    expect(resp).toEqual([
      expect.objectContaining({ 'Officer ID': '00123', Answer: 'B', Correct: 'Yes', Changes: 1 }),
    ]);
    r.close();
  });
});
