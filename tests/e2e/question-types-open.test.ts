/**
 * The open question types end to end (numeric, open text as a word cloud and as a list, ranking):
 * five phones answer through the real trainee page, the projector shows the right aggregate (read
 * from the text each view carries), and the export holds the answers. The choice types are in
 * question-types-choice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  RANK,
  TRAINEES,
  exportResponses,
  noSplit,
  openTypesClass,
  rank,
  rows,
  type,
  useTypesCourse,
} from '../helpers/question-types';
import { shotPath } from '../helpers/browser';

const env = useTypesCourse('Open questions', ['numeric', 'text', 'ranking', 'list']);

describe('the open question types from the phones to the projector to the spreadsheet', () => {
  it('five trainees answer each type; the projector shows its aggregate; the export holds the answers', async () => {
    const { con, projector, phones, ask, reveal, table, close } = await openTypesClass(
      env,
      'Question types — Open questions (5 slides)',
      5,
    );

    // ---- numeric: a histogram with mean and median; the band once shown. "14,5" is a decimal comma.
    await ask('What is the mandatory minimum term, in years, under §1591(b)(1)?', [
      type('15'),
      type('14,5'),
      type('10'),
      type('15'),
      type('20'),
    ]);
    await noSplit(projector);
    // The console sees the answers arrive (the instructor's own view), with the same drawing.
    await con.locator('.results').getByText('Median').waitFor();
    expect(await rows(con.locator('.results .results-stats-table'))).toEqual([
      ['Mean', '14.9 years'],
      ['Median', '15 years'],
    ]);
    await reveal('numeric');
    await expect
      .poll(() => rows(table('bins-table')))
      .toEqual([
        ['10–12.5', '1'],
        ['12.5–15', '1'],
        ['15–17.5', '2'],
        ['17.5–20', '0'],
        ['20–22.5', '1'],
      ]);
    await expect
      .poll(() => rows(table('results-stats-table')))
      .toEqual([
        ['Mean', '14.9 years'],
        ['Median', '15 years'],
        ['Correct', '15 years ± 1'],
      ]);
    expect(await table('bins-table').locator('tr.in-band th').allTextContents()).toEqual([
      '12.5–15',
      '15–17.5',
    ]);
    await con.screenshot({ path: shotPath('console-results-numeric-1920') });

    // ---- open text as a word cloud: normalised, short answers as phrases, long ones as words
    await ask('In a word or two: what keeps a victim from asking for help?', [
      type('Debt bondage'),
      type('debt bondage!'),
      type('Fear'),
      type('  FEAR of police '),
      type('They took her passport and kept all of her wages'),
    ]);
    await noSplit(projector);
    await reveal('text');
    await expect
      .poll(() => rows(table('cloud-table')))
      .toEqual([
        ['debt bondage', '2'],
        ['fear', '1'],
        ['fear of police', '1'],
        ['kept', '1'],
        ['passport', '1'],
        ['took', '1'],
        ['wages', '1'],
      ]);
    expect((await projector.locator('.cloud-word').allTextContents()).sort()).toEqual([
      'debt bondage',
      'fear',
      'fear of police',
      'kept',
      'passport',
      'took',
      'wages',
    ]);
    await con.screenshot({ path: shotPath('console-results-text-1920') });

    // ---- ranking: average rank per item, best first; each item's right place once shown
    const [danger, separate, screen, notify] = RANK;
    await ask('Put these steps at a scene in priority order.', [
      rank(...RANK),
      rank(separate, danger, screen, notify),
      rank(...RANK),
      rank(danger, separate, notify, screen),
      rank(separate, danger, screen, notify),
    ]);
    await noSplit(projector);
    await reveal('ranking');
    expect(await rows(table('rank-table'))).toEqual([
      ['1', 'Immediate danger', '1.4', '1'],
      ['2', 'Separate', '1.6', '2'],
      ['3', 'Screen privately', '3.2', '3'],
      ['4', 'Notify task force', '3.8', '4'],
    ]);
    await con.screenshot({ path: shotPath('console-results-ranking-1920') });
    // The phones see the whole right order, and whether theirs was it.
    await phones[0].locator('.right-order').waitFor();
    expect(await phones[0].locator('.right-order li').allTextContents()).toEqual(RANK);
    expect(await Promise.all(phones.map((p) => p.locator('.verdict').textContent()))).toEqual([
      '✓ Correct',
      '✗ Not quite',
      '✓ Correct',
      '✗ Not quite',
      '✗ Not quite',
    ]);

    // ---- the export: one row per trainee per question, each answer readable
    const { responses, cell, answers } = await exportResponses(con);
    expect(responses).toHaveLength(15);
    expect(answers('q-numeric')).toEqual([15, 14.5, 10, 15, 20]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-numeric').Score)).toEqual([1, 1, 0, 1, 0]);
    expect(answers('q-text')).toEqual([
      'Debt bondage',
      'debt bondage!',
      'Fear',
      'FEAR of police',
      'They took her passport and kept all of her wages',
    ]);
    expect(answers('q-ranking')).toEqual([
      RANK.join(' > '),
      'Separate > Immediate danger > Screen privately > Notify task force',
      RANK.join(' > '),
      'Immediate danger > Separate > Notify task force > Screen privately',
      'Separate > Immediate danger > Screen privately > Notify task force',
    ]);
    expect(TRAINEES.map((t) => cell(t.officerId, 'q-ranking').Score)).toEqual([1, 0, 1, 0, 0]);

    // ---- open text as a list: newest first, text only, rendered as text
    await ask('One thing you will do differently on your next stop?', [
      type('Separate passengers before asking'),
      type('<img src=x onerror="document.title=1">'),
      type('=1+1'),
      type('Call the task force early'),
      type('Watch who answers for whom'),
    ]);
    await noSplit(projector);
    await reveal('text-list');
    await expect
      .poll(async () => (await projector.locator('.answer-list li').allTextContents()).sort())
      .toEqual(
        [
          '<img src=x onerror="document.title=1">',
          '=1+1',
          'Call the task force early',
          'Separate passengers before asking',
          'Watch who answers for whom',
        ].sort(),
      );
    expect(await projector.locator('.answer-list img').count()).toBe(0);
    expect(await projector.locator('.results-list').textContent()).not.toMatch(/Ana|Ortiz|00417/);

    await close();
  });
});
