import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { answerCell, sessionWorkbookBuffer } from '../../main/records/export';
import type { AnswerValue, QuestionDef } from '../../shared/question';

const multi: QuestionDef = {
  id: 'm',
  type: 'multi',
  prompt: 'Pick',
  options: ['A', 'B', 'C', 'D'],
  correct: ['A', 'B', 'C'],
  scoring: 'partial',
};
const ranking: QuestionDef = {
  id: 'k',
  type: 'ranking',
  prompt: 'Order',
  options: ['A', 'B', 'C'],
  graded: true,
};
const numeric: QuestionDef = {
  id: 'n',
  type: 'numeric',
  prompt: 'How many',
  correct: -3,
  tolerance: 1,
};
const text: QuestionDef = { id: 't', type: 'text', prompt: 'Say' };
const tf: QuestionDef = { id: 'f', type: 'truefalse', prompt: 'True?', correct: true };
const rating: QuestionDef = { id: 'r', type: 'rating', prompt: 'Rate', scale: { min: 1, max: 5 } };

describe('answers in the Responses sheet', () => {
  it('each type reads the way records staff expect', () => {
    expect(answerCell(ranking, ['C', 'A', 'B'])).toBe('C > A > B');
    expect(answerCell(multi, ['C', 'A'])).toBe('A | C'); // in option order, not tap order
    expect(answerCell(numeric, -2.5)).toBe(-2.5); // a number cell, not "'-2.5"
    expect(answerCell(tf, false)).toBe('False');
    expect(answerCell(rating, 4)).toBe(4);
    expect(answerCell(text, '=cmd|x')).toBe("'=cmd|x");
    expect(answerCell({ ...ranking, options: ['-1', '0'] }, ['-1', '0'])).toBe("'-1 > 0");
  });

  it('holds a Score column: partial credit, 1/0 for other graded questions, blank for polls', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-export-answers-'));
    const r = new Records(path.join(dir, 'db.sqlite'));
    const answers: [QuestionDef, AnswerValue][] = [
      [multi, ['B', 'A']],
      [ranking, ['A', 'B', 'C']],
      [numeric, -2.5],
      [text, 'fear'],
      [rating, 2],
    ];
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
        name: 'Ana',
        officerId: '00123',
        agency: 'PD',
        at: 0,
      },
      ...answers.flatMap(([q, value], i) => [
        {
          op: 'runOpen' as const,
          runId: `r${i}`,
          sessionId: 's1',
          slideIndex: i,
          question: q,
          at: 10 * i + 1,
          deadline: null,
        },
        {
          op: 'answer' as const,
          runId: `r${i}`,
          sessionId: 's1',
          traineeId: 't1',
          msgId: `m${i}`,
          value,
          correct: null,
          at: 10 * i + 2,
        },
      ]),
    ]);
    const wb = XLSX.read(sessionWorkbookBuffer(r, 's1'), { type: 'buffer', cellNF: true });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Responses);
    expect(rows.map((x) => [x['Question ID'], x.Type, x.Answer, x.Score])).toEqual([
      ['m', 'multi', 'A | B', 0.6667],
      ['k', 'ranking', 'A > B > C', 1],
      ['n', 'numeric', -2.5, 1],
      ['t', 'text', 'fear', ''],
      ['r', 'rating', 2, ''],
    ]);
    expect(wb.Sheets.Responses.H2.z).toBe('0%');
    expect(wb.Sheets.Responses.F4.t).toBe('n');
    r.close();
  });
});
