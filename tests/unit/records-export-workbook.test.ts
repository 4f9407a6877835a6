/**
 * Round trips: a class stored through Records.apply (the engine's RecordOp shapes), exported, and
 * every sheet of its workbook read back with SheetJS holds what the session recorded. This file:
 * the workbook as a whole (its sheets, the Summary, the Audit log, inert text), and a workbook
 * written from records that lack what a full class day has.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { strFromU8, unzipSync } from 'fflate';
import { sessionWorkbookBuffer } from '../../main/records/export';
import {
  T0,
  at,
  pad,
  local,
  HYPER,
  TITLE,
  openRecords,
  read,
  rowsOf,
  removeRecordsDirs,
} from '../helpers/records-fixture';
import { sessionWorkbook } from '../helpers/session-workbook';

afterAll(removeRecordsDirs);

describe('the session workbook, read back', () => {
  const { buf, wb } = sessionWorkbook();

  it('has the sheets in order, every header row frozen', () => {
    expect(wb.SheetNames).toEqual([
      'Summary',
      'Attendance',
      'Scores',
      'Responses',
      'Item analysis',
      'Q&A',
      'Evaluation',
      'Audit log',
    ]);
    const files = unzipSync(buf);
    for (let i = 1; i <= wb.SheetNames.length; i++) {
      const xml = strFromU8(files[`xl/worksheets/sheet${i}.xml`]);
      expect(xml).toContain(
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
      );
      expect(xml).toMatch(/<cols>.*<\/cols>/); // readable widths
      expect(xml).not.toContain('<f>'); // nothing anyone typed became a formula
    }
  });

  it('Summary: the course exactly as recorded, the numbers records staff need', () => {
    const summary = Object.fromEntries(rowsOf(wb, 'Summary').slice(1) as [string, unknown][]);
    expect(summary).toMatchObject({
      Course: TITLE,
      'Course number': '3270',
      'Course ID': 'ht-patrol',
      Module: 'Module 1',
      'Session ID': 's1',
      'Session date': '2025-05-06',
      Started: '2025-05-06 09:00',
      Ended: '2025-05-06 11:00',
      Status: 'Ended',
      'Duration (minutes)': 120,
      'Credit hours': 2,
      'Pass mark (%)': 75,
      'Pass mark set by': 'Course',
      'Late grace (minutes)': 10,
      Instructors: 'Sgt. Maria Lopez; Det. Sam Reed',
      Location: 'Riverside Training Center, Room 2',
      'Presenting agency': 'Riverside Regional Academy',
      State: 'TX',
      Trainees: 5,
      'Rostered, never joined': 0,
      Passed: 3,
      'Earned credit': 2,
      'Questions asked': 7,
      'Graded questions': 4,
      Responses: 23,
      'Q&A questions': 2,
      'Audit entries': 1,
      'Exported at': local(at(500)),
    });
    // The zone is stated once; no time anywhere has seconds or a Z.
    expect(summary['Time zone']).toBe(
      `${Intl.DateTimeFormat().resolvedOptions().timeZone} (UTC${(() => {
        const o = -new Date(T0).getTimezoneOffset();
        return `${o < 0 ? '−' : '+'}${pad(Math.floor(Math.abs(o) / 60))}:${pad(Math.abs(o) % 60)}`;
      })()})`,
    );
    for (const sheet of wb.SheetNames)
      expect(JSON.stringify(rowsOf(wb, sheet)), sheet).not.toMatch(/\d{2}:\d{2}:\d{2}|\d{2}Z/);
    expect(summary['Credit rule']).toMatch(/at least 90%.*passed the assessment/);
  });

  it('Audit log: every correction with who, when, before, after and why', () => {
    expect(rowsOf(wb, 'Audit log')).toEqual([
      ['Time', 'Actor', 'Action', 'Entity', 'Entity ID', 'Before', 'After', 'Reason'],
      [
        '2025-05-06 09:40',
        'instructor',
        'correctTrainee',
        'trainee',
        's1-t1',
        'name: Ana Ortiz; officerId: 00417; agency: Riverside PD',
        'name: Ana M. Ortiz; officerId: 00417; agency: Riverside PD',
        'Name as on her license',
      ],
    ]);
  });

  it('a trainee named =HYPERLINK(…) with ID 00123 comes out as inert text and 00123', () => {
    for (const sheet of ['Attendance', 'Scores', 'Responses']) {
      const ws = wb.Sheets[sheet];
      const name = Object.keys(ws).find(
        (k) => !k.startsWith('!') && String((ws[k] as XLSX.CellObject).v).includes('HYPERLINK'),
      )!;
      const cell = ws[name] as XLSX.CellObject;
      expect(cell.t).toBe('s');
      expect(cell.v).toBe(`'${HYPER}`);
      expect(cell.f).toBeUndefined();
      const id = ws[
        XLSX.utils.encode_cell({ r: XLSX.utils.decode_cell(name).r, c: 1 })
      ] as XLSX.CellObject;
      expect([id.t, id.v]).toEqual(['s', '00123']);
    }
  });
});

describe('sheets written defensively', () => {
  it('without a qa_questions table, and with no evaluation or correction, the sheets have headers only', () => {
    const r = openRecords();
    r.apply([
      {
        op: 'session',
        id: 'x',
        roomCode: '1',
        course: 'c',
        courseTitle: 'C',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'f',
        title: 'T',
        at: T0,
      },
      {
        op: 'trainee',
        id: 'a',
        sessionId: 'x',
        name: 'Ana',
        officerId: '007',
        agency: 'PD',
        at: T0,
      },
    ]);
    r.db.exec('DROP TABLE IF EXISTS qa_votes; DROP TABLE IF EXISTS qa_questions;');
    const wb = read(sessionWorkbookBuffer(r, 'x'));
    expect(rowsOf(wb, 'Q&A')).toEqual([
      ['Asked at', 'Name', 'Officer ID', 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
    ]);
    expect(rowsOf(wb, 'Evaluation')).toHaveLength(1);
    expect(rowsOf(wb, 'Audit log')).toHaveLength(1);
    const summary = Object.fromEntries(rowsOf(wb, 'Summary').slice(1) as [string, unknown][]);
    expect(summary).toMatchObject({
      'Pass mark (%)': 70,
      'Pass mark set by': 'Department default',
      'Credit hours': '',
      'Q&A questions': 0,
      Status: 'In progress',
    });
    // No graded question: no score, no pass or fail.
    expect(rowsOf(wb, 'Scores')[1].slice(3, 9)).toEqual([0, 0, 0, '', 70, '']);
  });
});
