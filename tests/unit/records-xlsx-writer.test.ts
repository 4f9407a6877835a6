// The xlsx writer the exports share: a frozen header row on any sheet, and any text kept as it was.
import { describe, expect, it } from 'vitest';
import { freezeHeaderRow, writeXlsx } from '../../main/records/export';
import { read, rowsOf } from '../helpers/records-fixture';

describe('the xlsx writer', () => {
  it('freezes the header row of any worksheet XML, once', () => {
    const selfClosing =
      '<worksheet><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData/></worksheet>';
    const frozen = freezeHeaderRow(selfClosing);
    expect(frozen).toContain(
      '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
    );
    expect(freezeHeaderRow(frozen)).toBe(frozen);
    const none = freezeHeaderRow(
      '<worksheet><dimension ref="A1"/><cols><col min="1" max="1" width="9"/></cols><sheetData/></worksheet>',
    );
    expect(none).toMatch(
      /<dimension ref="A1"\/><sheetViews><sheetView workbookViewId="0"><pane [^>]*state="frozen"\/>.*<\/sheetViews><cols>/,
    );
  });

  it('keeps any text as it was: entities, control characters, _xHHHH_, spaces at the edges, long text', () => {
    const texts = [
      'a & b <c> "d" \'e\'',
      'tab\there',
      'bell\u0007',
      'line\nbreak',
      '_x0041_ stays',
      '  padded  ',
      'x'.repeat(40000),
      'emoji 👮‍♀️',
      '',
    ];
    const wb = read(
      writeXlsx([{ name: 'T', widths: [20], rows: [['Text'], ...texts.map((t) => [t])] }]),
    );
    const back = rowsOf(wb, 'T')
      .slice(1)
      .map((x) => x[0]);
    expect(back).toEqual(texts.map((t) => t.slice(0, 32767)));
  });
});
