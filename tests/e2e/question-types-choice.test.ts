/**
 * The choice question types end to end (single, multiple select, true/false, rating): five phones
 * answer through the real trainee page, the projector shows the right aggregate (read from the
 * text each view carries), and the export holds the answers. The open types are in
 * question-types-open.test.ts.
 */
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import {
  INTERPRETER,
  TRAINEES,
  exportResponses,
  noSplit,
  openTypesClass,
  rate,
  rows,
  tap,
  tapAndSend,
  useTypesCourse,
} from '../helpers/question-types';

const env = useTypesCourse('Choice questions', ['single', 'multi', 'truefalse', 'rating']);

describe('the choice question types from the phones to the projector to the spreadsheet', () => {
  it('five trainees answer each type; the projector shows its aggregate; the export holds the answers', async () => {
    const { con, projector, ask, reveal, table, close } = await openTypesClass(
      env,
      'Question types — Choice questions (5 slides)',
      5,
    );

    // ---- single choice: counts per option, once shown; the right one is marked
    await ask('Who should interpret the screening interview?', [
      tap(INTERPRETER),
      tap(INTERPRETER),
      tap('A family member'),
      tap(INTERPRETER),
      tap('The controller'),
    ]);
    await noSplit(projector);
    await reveal('single');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['The controller', '1'],
        ['A family member', '1'],
        [INTERPRETER, '3'],
      ]);
    await expect(
      table('results-table').locator('tr.correct .bar-text').textContent(),
    ).resolves.toBe(INTERPRETER);

    // ---- multiple select, partial credit: every pick counted
    await ask('Which are indicators worth a follow-up question?', [
      tapAndSend('Scripted story', 'No ID', 'Answers for others'),
      tapAndSend('No ID', 'Scripted story'),
      tapAndSend('Scripted story', 'Rental car'),
      tapAndSend('Rental car'),
      tapAndSend('Answers for others', 'Rental car', 'Scripted story', 'No ID'),
    ]);
    await noSplit(projector);
    await reveal('multi');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['Scripted story', '4'],
        ['No ID', '3'],
        ['Rental car', '3'],
        ['Answers for others', '2'],
      ]);

    // ---- true/false
    await ask('A minor in commercial sex is a victim even without force, fraud or coercion.', [
      tap('True'),
      tap('True'),
      tap('False'),
      tap('True'),
      tap('True'),
    ]);
    await noSplit(projector);
    await reveal('truefalse');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['True', '4'],
        ['False', '1'],
      ]);

    // ---- rating: counts per scale point and the mean
    await ask('How confident are you telling trafficking from smuggling?', [
      rate(4),
      rate(5),
      rate(3),
      rate(4),
      rate(2),
    ]);
    await noSplit(projector);
    await reveal('rating');
    await expect
      .poll(() => rows(table('results-table')))
      .toEqual([
        ['1', '0'],
        ['2', '1'],
        ['3', '1'],
        ['4', '2'],
        ['5', '1'],
      ]);
    expect(await projector.getByTestId('rating-mean').textContent()).toBe('3.6');
    await projector.getByText('1 = Not confident').waitFor();

    // ---- the export: one row per trainee per question, each answer readable
    const { wb, responses, cell, answers } = await exportResponses(con);
    expect(responses).toHaveLength(20);
    expect(answers('q-single')).toEqual([
      INTERPRETER,
      INTERPRETER,
      'A family member',
      INTERPRETER,
      'The controller',
    ]);
    expect(answers('q-multi')).toEqual([
      'Scripted story | No ID | Answers for others',
      'Scripted story | No ID',
      'Scripted story | Rental car',
      'Rental car',
      'Scripted story | No ID | Rental car | Answers for others',
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-multi').Score)).toEqual([
      1, 0.6667, 0, 0, 0.6667,
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-multi').Correct)).toEqual([
      'Yes',
      'No',
      'No',
      'No',
      'No',
    ]);
    expect(answers('q-truefalse')).toEqual(['True', 'True', 'False', 'True', 'True']);
    expect(answers('q-rating')).toEqual([4, 5, 3, 4, 2]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-rating').Score)).toEqual(['', '', '', '', '']);
    expect(wb.Sheets.Responses[XLSX.utils.encode_cell({ r: 1, c: 7 })].z).toBe('0%');
    await close();
  });
});
