// Roster import over HTTP and matching trainees at join, on a real server.
import * as XLSX from 'xlsx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { joinTrainee, openConsole } from '../helpers/clients';
import { XLSX_MIME } from '../../shared/roster';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);
import { ROSTER, latest, rosterPoster } from '../helpers/roster-http';

const post = rosterPoster(() => app);
const rosterRows = () =>
  readDb(
    'SELECT session_id, roster_name, officer_id, name, agency FROM roster_entries ORDER BY id',
  );

describe('roster import over HTTP', () => {
  it('previews, imports for the next class, matches trainees at join, and flags walk-ins', async () => {
    const p = await post('preview', ROSTER);
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({
      ok: true,
      preview: { columns: ['Last Name', 'First Name', 'Officer ID', 'Agency'], errors: [] },
    });
    expect(p.json.ok && p.json.preview.rows.map((r) => [r.name, r.officerId])).toEqual([
      ['Ana Ortiz', '00417'],
      ['Ben Lee', 'B-22'],
    ]);
    expect(rosterRows()).toEqual([]);

    const i = await post('import', ROSTER);
    expect(i.status).toBe(200);
    expect(i.json).toMatchObject({
      ok: true,
      imported: 2,
      skipped: 0,
      roster: { name: 'Class 24-03', entries: 2 },
    });
    expect(rosterRows()).toEqual([
      {
        session_id: null,
        roster_name: 'Class 24-03',
        officer_id: '00417',
        name: 'Ana Ortiz',
        agency: 'Austin PD',
      },
      {
        session_id: null,
        roster_name: 'Class 24-03',
        officer_id: 'B-22',
        name: 'Ben Lee',
        agency: 'Travis SO',
      },
    ]);

    const con = await openConsole(app.consoleBase, app.token);
    expect((await latest(con, (v) => v.roster !== null)).roster).toMatchObject({
      name: 'Class 24-03',
      entries: 2,
    });
    expect(
      (await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } })).ok,
    ).toBe(true);
    const sessionId = app.classroom.engine.session!.id;
    expect(rosterRows().map((r) => r.session_id)).toEqual([sessionId, sessionId]);
    const room = app.classroom.engine.session!.roomCode;
    const ana = await joinTrainee(app.lanUrl, room, { name: 'Ana Ortiz', officerId: '00417' });
    const walkIn = await joinTrainee(app.lanUrl, room, { name: 'Cy Walker', officerId: '417' });
    const v = await latest(con, (x) => (x.session?.trainees.length ?? 0) === 2);
    expect(v.session!.trainees.map((t) => [t.name, t.onRoster, t.walkIn])).toEqual([
      ['Ana Ortiz', true, false],
      ['Cy Walker', false, true],
    ]);
    expect(v.roster).toMatchObject({ name: 'Class 24-03', entries: 2 });

    // A roster imported during the class replaces the class's roster: Cy is on this one.
    const mark = con.messages.length;
    const again = await post('import', 'Name,PID\nCy Walker,417\n', { query: 'name=Late%20list' });
    expect(again.json).toMatchObject({ ok: true, imported: 1 });
    const v2 = await latest(con, (x) => x.roster?.name === 'Late list', mark);
    expect(v2.session!.trainees.map((t) => [t.name, t.onRoster, t.walkIn])).toEqual([
      ['Ana Ortiz', false, true],
      ['Cy Walker', true, false],
    ]);
    expect(
      readDb(
        `SELECT action, entity_id, reason FROM audit_log WHERE action = 'importRoster' ORDER BY seq`,
      ),
    ).toEqual([
      { action: 'importRoster', entity_id: 'Class 24-03', reason: 'Roster file imported' },
      { action: 'importRoster', entity_id: 'Late list', reason: 'Roster file imported' },
    ]);
    await Promise.all([ana.close(), walkIn.close(), con.close()]);
  });

  it('an XLSX roster keeps officer IDs as text', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Name', 'Badge #', 'Agency'],
      ['Ana Ortiz', '00417', 'Austin PD'],
      ['Ben Lee', 42, 'Travis SO'],
    ]);
    ws.B3.z = '00000';
    delete ws.B3.w;
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Roster');
    const i = await post('import', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, {
      type: XLSX_MIME,
    });
    expect(i.json).toMatchObject({ ok: true, imported: 2 });
    expect(rosterRows().map((r) => r.officer_id)).toEqual(['00417', '00042']);
  });

  it('row errors block the import unless skipErrors=1, which imports the valid rows and logs which were left out', async () => {
    const csv = 'Name,Officer ID\nAna,1\nBen,\nCy,1\nDee,4\n';
    const i = await post('import', csv);
    expect(i.status).toBe(422);
    expect(i.json).toMatchObject({
      ok: false,
      message:
        '2 rows have errors; fix the file, or import the 2 valid rows only. Nothing was imported.',
    });
    expect(i.json.preview?.errors).toEqual([
      { line: 3, message: 'no officer ID' },
      { line: 4, message: 'officer ID 1 is already on line 2' },
    ]);
    expect(rosterRows()).toEqual([]);
    const s = await post('import', csv, { query: 'name=R&skipErrors=1' });
    expect(s.json).toMatchObject({ ok: true, imported: 2, skipped: 2 });
    expect(rosterRows().map((r) => r.name)).toEqual(['Ana', 'Dee']);
    expect(readDb(`SELECT reason FROM audit_log`)).toEqual([
      { reason: 'Roster file imported; 2 rows with errors left out (line 3, 4)' },
    ]);
  });

  it('a column mapping in the query or a header overrides the detected columns', async () => {
    const csv = 'Who,Number,Where\nAna,00417,Austin PD\n';
    expect((await post('preview', csv)).json.ok && (await post('preview', csv)).json).toMatchObject(
      { preview: { rows: [] } },
    );
    const q = await post('import', csv, {
      query: `name=M&mapping=${encodeURIComponent(JSON.stringify({ name: 0, officerId: 1, agency: 2 }))}`,
    });
    expect(q.json).toMatchObject({ ok: true, imported: 1 });
    const h = await post('preview', csv, {
      headers: { 'X-Roster-Mapping': '{"name":0,"officerId":1}' },
    });
    expect(h.json.ok && h.json.preview.rows).toEqual([
      {
        line: 2,
        name: 'Ana',
        officerId: '00417',
        agency: '',
        email: '',
        firstName: '',
        lastName: '',
      },
    ]);
    const bad = await post('preview', csv, { headers: { 'X-Roster-Mapping': '{"name":"A"}' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Column mapping: name/),
    });
  });

  it('bad files get a clear message and import nothing: wrong columns, 10 MB, a crafted XLSX; no token, wrong type', async () => {
    const protoBefore = Reflect.ownKeys(Object.prototype).map(String).sort();

    const wrong = await post('import', 'Foo,Bar\n1,2\n');
    expect(wrong.status).toBe(422);
    expect(wrong.json.ok).toBe(false);
    expect(!wrong.json.ok && wrong.json.message).toMatch(
      /^Nothing to import: no officer ID column in the header row \(“Foo”, “Bar”\).*Nothing was imported\.$/,
    );

    const big = await post('import', Buffer.alloc(10 * 1024 * 1024, 'a,b\n'));
    expect(big.status).toBe(413);
    expect(big.json).toEqual({
      ok: false,
      message: 'The file is 10 MB; a roster file can be at most 5 MB. Nothing was imported.',
    });

    // CVE-2023-30533: a comment whose ref is __proto__ makes SheetJS 0.18.5 write to Object.prototype.
    const ws = XLSX.utils.aoa_to_sheet([
      ['Name', 'Officer ID', '__proto__'],
      ['Ana', '1', 'x'],
    ]);
    ws.A1.c = [{ a: 'm', t: 'hi' }];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Roster');
    const cfb = XLSX.CFB.read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, {
      type: 'buffer',
    });
    const entry =
      cfb.FileIndex[cfb.FullPaths.findIndex((p: string) => /comments\d*\.xml$/.test(p))];
    entry.content = Buffer.from(
      Buffer.from(entry.content as Uint8Array)
        .toString('utf8')
        .replace('ref="A1"', 'ref="__proto__"'),
    );
    const crafted = await post(
      'import',
      XLSX.CFB.write(cfb, { fileType: 'zip', type: 'buffer' }) as Buffer,
      { type: XLSX_MIME },
    );
    expect(crafted.status).toBe(400);
    expect(crafted.json).toEqual({
      ok: false,
      message:
        "The file is damaged or crafted: reading it tried to change the program's built-in objects (Object.prototype.c), which a real roster never does. Nothing was imported.",
    });

    const noToken = await post('import', 'Name,Officer ID\nA,1\n', { token: null });
    expect(noToken.status).toBe(401);
    const json = await post('import', '{}', { type: 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Send a \.csv or \.xlsx file/),
    });

    expect(rosterRows()).toEqual([]);
    expect(readDb('SELECT COUNT(*) AS n FROM audit_log')).toEqual([{ n: 0 }]);
    expect(Reflect.ownKeys(Object.prototype).map(String).sort()).toEqual(protoBefore);
    // The server still works.
    expect((await post('preview', ROSTER)).status).toBe(200);
  });
});
