// What trainees answered, in the session workbook read back: every response, the item analysis,
// the Q&A board and the evaluation.
import { afterAll, describe, expect, it } from 'vitest';
import { HYPER, rowsOf, removeRecordsDirs } from '../helpers/records-fixture';
import { sessionWorkbook } from '../helpers/session-workbook';

afterAll(removeRecordsDirs);

describe('the session workbook, read back', () => {
  const { wb } = sessionWorkbook();

  it('Responses: every final answer, as stored', () => {
    const rows = rowsOf(wb, 'Responses');
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Correct',
      'Score',
      'First answered',
      'Final answer at',
      'Changes',
    ]);
    const got = rows.slice(1).map((x) => [x[1], x[2], x[5], x[6], x[7], x[10]]);
    expect(got).toEqual([
      ['00417', 'ind-1', 'B', 'Yes', 1, 0],
      ['TX-2231', 'ind-1', 'B', 'Yes', 1, 0],
      ['88120', 'ind-1', 'B', 'Yes', 1, 0],
      ['00902', 'ind-1', 'A', 'No', 0, 1],
      ['00123', 'ind-1', 'B', 'Yes', 1, 0],
      ['00417', 'def-1', 'Force | Fraud | Coercion', 'Yes', 1, 0],
      ['TX-2231', 'def-1', 'Force | Fraud', 'No', 0.6667, 0],
      ['88120', 'def-1', 'Force | Fraud | Coercion', 'Yes', 1, 0],
      ['00902', 'def-1', 'Movement', 'No', 0, 0],
      ['00417', 'minor-1', 'True', 'Yes', 1, 0],
      ['TX-2231', 'minor-1', 'True', 'Yes', 1, 0],
      ['88120', 'minor-1', 'True', 'Yes', 1, 0],
      ['00902', 'minor-1', 'False', 'No', 0, 0],
      ['00417', 'hours-1', 2, 'Yes', 1, 0],
      ['TX-2231', 'hours-1', 2, 'Yes', 1, 0],
      ['88120', 'hours-1', 2, 'Yes', 1, 0],
      ['00902', 'hours-1', 2, 'Yes', 1, 0],
      ['00417', 'poll-1', 4, '', '', 0],
      ['TX-2231', 'poll-1', 5, '', '', 0],
      ['00417', 'eval-useful', 5, '', '', 0],
      ['88120', 'eval-useful', 3, '', '', 0],
      ['00417', 'comments', 'Clear and practical', '', '', 0],
      ['00123', 'comments', "'=1+2", '', '', 0],
    ]);
    const dev = rows.find((x) => x[1] === '00902' && x[2] === 'ind-1')!;
    expect([dev[8], dev[9]]).toEqual(['2025-05-06 09:20', '2025-05-06 09:20']);
    expect(wb.Sheets.Responses.H3.z).toBe('0%');
  });

  it('Item analysis: share correct and the count of each choice, per question run', () => {
    const rows = rowsOf(wb, 'Item analysis');
    expect(rows[0].slice(0, 11)).toEqual([
      '#',
      'Slide',
      'Question ID',
      'Question',
      'Type',
      'Tags',
      'Opened',
      'Answered',
      'Correct answer',
      'Correct',
      'Share correct',
    ]);
    expect(rows[0].slice(11)).toEqual([
      'Asked in',
      'Choice 1',
      'Count 1',
      'Choice 2',
      'Count 2',
      'Choice 3',
      'Count 3',
      'Choice 4',
      'Count 4',
      'Choice 5',
      'Count 5',
    ]);
    const pad = (xs: unknown[]) => [
      ...xs.slice(0, 6),
      'Live',
      ...xs.slice(6),
      ...Array(16 - xs.length).fill(null),
    ];
    expect(rows.slice(1).map((x) => [x[2], x[5], ...x.slice(7)])).toEqual([
      pad(['ind-1', 'indicators', 5, 'B', 4, 0.8, 'A', 1, 'B', 4, 'C', 0]),
      pad([
        'def-1',
        'definitions',
        4,
        'Force | Fraud | Coercion',
        2,
        0.5,
        'Force',
        3,
        'Fraud',
        3,
        'Coercion',
        2,
        'Movement',
        1,
      ]),
      pad(['minor-1', 'minors, definitions', 4, 'True', 3, 0.75, 'True', 3, 'False', 1]),
      pad(['hours-1', 'mandates', 4, '2', 4, 1, '2', 4]),
      pad(['poll-1', '', 2, '', '', '', '1', 0, '2', 0, '3', 0, '4', 1, '5', 1]),
      pad(['eval-useful', '', 2, '', '', '', '1', 0, '2', 0, '3', 1, '4', 0, '5', 1]),
      pad(['comments', 'evaluation', 2, '', '', '', '1 2', 1, 'clear and practical', 1]),
    ]);
    expect(rows[1].slice(0, 2)).toEqual([1, 3]);
    expect(rows[1][6]).toBe('2025-05-06 09:20');
    expect(wb.Sheets['Item analysis'].K2.z).toBe('0%');
  });

  it('Q&A: an anonymous question has no name and no ID', () => {
    expect(rowsOf(wb, 'Q&A')).toEqual([
      ['Asked at', 'Name', 'TCOLE PID', 'Anonymous', 'Question', 'Status', 'Pinned', 'Votes'],
      [
        '2025-05-06 09:30',
        'Ana M. Ortiz',
        '00417',
        'No',
        'Is a T visa the same as a U visa?',
        'approved',
        'Yes',
        2,
      ],
      [
        '2025-05-06 09:31',
        '',
        '',
        'Yes',
        "'@SUM(A1) what if the victim is a minor?",
        'pending',
        'No',
        0,
      ],
    ]);
  });

  it('Evaluation: the answers to evaluation questions (id eval…, or tagged evaluation)', () => {
    const rows = rowsOf(wb, 'Evaluation');
    expect(rows[0]).toEqual([
      'Name',
      'TCOLE PID',
      'Agency',
      'Question ID',
      'Question',
      'Type',
      'Answer',
      'Answered at',
    ]);
    expect(rows.slice(1).map((x) => x.slice(0, 7))).toEqual([
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        'eval-useful',
        'How useful for your duties?',
        'rating',
        5,
      ],
      [
        'Cara Diaz',
        '88120',
        'County Sheriff',
        'eval-useful',
        'How useful for your duties?',
        'rating',
        3,
      ],
      [
        'Ana M. Ortiz',
        '00417',
        'Riverside PD',
        'comments',
        'Comments on the instructor',
        'text',
        'Clear and practical',
      ],
      [`'${HYPER}`, '00123', "'+SUM(1)", 'comments', 'Comments on the instructor', 'text', "'=1+2"],
    ]);
  });
});
