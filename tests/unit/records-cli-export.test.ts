// `muster export` on the command line, against a records file on disk: the certification roster,
// one sheet as CSV, a trainee's history, and its refusals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';
import { main } from '../../main/cli';
import { storeClass, rowsOf, removeRecordsDirs, trackDir } from '../helpers/records-fixture';

afterAll(removeRecordsDirs);

describe('muster export on the command line', () => {
  it('writes the roster, one sheet as CSV, a history; refuses bad dates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cli-export-'));
    trackDir(dir);
    const r = new Records(path.join(dir, 'muster.sqlite'));
    storeClass(r);
    r.close();
    const log = console.log;
    console.log = () => {};
    try {
      const out = (name: string) => path.join(dir, name);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--from',
          '2025-05-01',
          '--to',
          '2025-05-31',
          '--out',
          out('roster.xlsx'),
        ]),
      ).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('roster.xlsx'))), 'Roster')).toHaveLength(6);
      expect(
        await main([
          'export',
          '--data',
          dir,
          '--session',
          's1',
          '--sheet',
          'Scores',
          '--csv',
          '--out',
          out('scores.csv'),
        ]),
      ).toBe(0);
      expect(fs.readFileSync(out('scores.csv'), 'utf8')).toContain('3270-20250506-001');
      expect(
        await main(['export', '--data', dir, '--trainee', '00417', '--out', out('h.xlsx')]),
      ).toBe(0);
      expect(rowsOf(XLSX.read(fs.readFileSync(out('h.xlsx'))), 'History')).toHaveLength(2);
      await expect(
        main(['export', '--data', dir, '--from', '2025-5-1', '--to', '2025-05-31']),
      ).rejects.toThrow('--from: not a date (YYYY-MM-DD): "2025-5-1"');
      await expect(main(['export', '--data', dir, '--session', 's1', '--csv'])).rejects.toThrow(
        '--csv needs --sheet NAME',
      );
    } finally {
      console.log = log;
    }
  });
});
