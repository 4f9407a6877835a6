/**
 * Export profiles on a real server: the shipped ones until the department saves its own; a profile
 * edited through the API changes the next roster export; a bad one is refused and saves nothing;
 * the shipped ones can be put back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../main/app';
import type { MusterApp } from '../../main/app';
import { memorySettings } from '../../main/settings';
import type { Settings } from '../../main/settings';
import { ROOT } from '../helpers/app';
import { storeClassDay } from '../helpers/class-day';
import type { ExportProfilesReply } from '../../shared/export-profiles';

let app: MusterApp;
let settings: Settings;
let base: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-profiles-'));

beforeAll(async () => {
  settings = memorySettings({ department: { timeZone: 'America/Chicago' } });
  app = await createApp(
    { dataDir, contentDir: path.join(ROOT, 'content'), settings },
    { port: 0, lanHost: '127.0.0.1' },
  );
  base = `http://127.0.0.1:${app.consolePort}`;
  storeClassDay(app.records, Date.parse('2026-12-05T00:30:00Z'), { trainees: 6 });
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (p: string) => fetch(`${base}${p}`, { headers: { 'X-Muster-Token': app.token } });
const put = (body: unknown) =>
  fetch(`${base}/api/export-profiles`, {
    method: 'PUT',
    headers: { 'X-Muster-Token': app.token, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const rosterHeader = async (profile: string) =>
  XLSX.utils.sheet_to_json<unknown[]>(
    XLSX.read(
      Buffer.from(
        await (
          await get(`/api/roster.xlsx?from=2026-12-01&to=2026-12-31&profile=${profile}`)
        ).arrayBuffer(),
      ),
      { type: 'buffer' },
    ).Sheets.Roster,
    { header: 1 },
  );

describe('export profiles', () => {
  it('are the shipped starting points until the department saves its own', async () => {
    const reply = (await (await get('/api/export-profiles')).json()) as ExportProfilesReply;
    expect(reply.shipped).toBe(true);
    expect(reply.profiles.map((p) => [p.id, p.name])).toEqual([
      ['post-roster', 'POST roster (generic)'],
      ['tcole', 'TCOLE (Texas)'],
      ['fl-cjstc', 'Florida CJSTC'],
    ]);
  });

  it('one edited and saved changes the next roster export', async () => {
    const { profiles } = (await (await get('/api/export-profiles')).json()) as ExportProfilesReply;
    const post = profiles[0];
    const edited = {
      ...post,
      dateFormat: 'MM/DD/YYYY',
      columns: [
        { field: 'officerId', header: 'POST ID' },
        { ...post.columns[0], header: 'Surname' },
        ...post.columns.slice(1).filter((c) => c.field !== 'location' && c.field !== 'officerId'),
        { field: 'fixed', header: 'Provider', value: 'TP-0042' },
      ],
    };
    const before = await rosterHeader('post-roster');
    expect(before[0]).toContain('Location');
    const res = await put({ profiles: [edited, ...profiles.slice(1)] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ExportProfilesReply).shipped).toBe(false);
    expect(settings.get('exportProfiles')?.[0].columns[1].header).toBe('Surname');

    const after = await rosterHeader('post-roster');
    expect(after[0]).toEqual([
      'POST ID',
      'Surname',
      'First name',
      'Agency',
      'Course number',
      'Course title',
      'Date(s)',
      'Start',
      'End',
      'Credit hours',
      'Score',
      'Pass/Fail',
      'Instructor(s)',
      'Certificate number',
      'Provider',
    ]);
    const ana = after.find((r) => r[0] === '00417')!;
    expect([ana[1], ana[6], ana.at(-1)]).toEqual(['Ortiz', '12/04/2026 – 12/05/2026', 'TP-0042']);
  });

  it('a bad profile is refused with a message that says what, and nothing is saved', async () => {
    const saved = structuredClone(settings.get('exportProfiles'));
    const good = saved![0];
    const cases: [unknown, RegExp][] = [
      [{ profiles: [good, good] }, /two profiles have the same id/],
      [
        { profiles: [{ ...good, columns: [] }] },
        /profiles.0.columns: a profile needs at least one column/,
      ],
      [
        { profiles: [{ ...good, columns: [{ field: 'ssn', header: 'SSN' }] }] },
        /profiles.0.columns.0.field: not a roster column/,
      ],
      [{ profiles: [{ ...good, dateFormat: 'DD.MM.YY' }] }, /the date format is one of/],
      [{ profiles: [{ ...good, id: 'Has Spaces' }] }, /a profile id is 1 to 40 lower-case letters/],
      [
        { profiles: [{ ...good, columns: [{ field: 'lastName', header: 'x'.repeat(61) }] }] },
        /a header has at most 60 characters/,
      ],
      [{ profiles: [{ ...good, colour: 'red' }] }, /Unrecognized key/],
      [{ profiles: [] }, /keep at least one profile/],
      ['{"profiles": [', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      const reply = (await res.json()) as { message: string };
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(reply.message).toMatch(message);
      expect(reply.message).toMatch(/Nothing was (saved|changed)\.$/);
    }
    expect(
      (
        await fetch(`${base}/api/export-profiles`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{"profiles":null}',
        })
      ).status,
    ).toBe(401);
    expect(settings.get('exportProfiles')).toEqual(saved);
  });

  it('the shipped profiles can be put back', async () => {
    const res = await put({ profiles: null });
    expect(((await res.json()) as ExportProfilesReply).shipped).toBe(true);
    expect(settings.get('exportProfiles')).toBeUndefined();
    expect((await rosterHeader('post-roster'))[0]).toContain('Location');
  });
});
