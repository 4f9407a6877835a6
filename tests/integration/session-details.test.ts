/**
 * Session details: instructors and location go into the session record, and each change is
 * audit-logged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, startTestApp } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { msgId, openConsole } from '../helpers/clients';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.stop();
});

const readDb = (sql: string, ...params: unknown[]) => readRecords(app.dataDir, sql, ...params);

describe('session details', () => {
  it('instructors and location go into the session record, and each change is audit-logged', async () => {
    const con = await openConsole(app.consoleBase, app.token);
    await con.cmd({ type: 'startSession', deck: { course: 'demo', file: '01-welcome.md' } });
    const id = app.classroom.engine.session!.id;
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true); // no change, no row
    expect(
      (
        await con.cmd({
          type: 'sessionDetails',
          instructors: 'Sgt. R. Diaz; Det. K. Ames',
          location: 'Academy room 2',
        })
      ).ok,
    ).toBe(true);
    expect(readDb('SELECT instructors, location FROM sessions WHERE id = ?', id)).toEqual([
      { instructors: 'Sgt. R. Diaz; Det. K. Ames', location: 'Academy room 2' },
    ]);
    const audit = readDb(
      "SELECT before_json, after_json, reason FROM audit_log WHERE action = 'sessionDetails' ORDER BY seq",
    );
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1].before_json as string)).toEqual({
      instructors: 'Sgt. R. Diaz',
      location: 'Academy room 2',
    });
    expect(audit[1].reason).toMatch(/changed/);
    const badId = msgId();
    con.send({
      t: 'cmd',
      id: badId,
      cmd: { type: 'sessionDetails', instructors: 'x'.repeat(301), location: '' },
    });
    const bad = await con.next<{ t: 'error'; message: string }>(
      (m) => m.t === 'error' && m.id === badId,
    );
    expect(bad.message).toMatch(/instructors/);
    expect(readDb("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sessionDetails'")).toEqual([
      { n: 2 },
    ]);
    // A restart keeps them.
    await con.close();
    await app.stop();
    app = await startTestApp({ dataDir: app.dataDir });
    expect(app.classroom.consoleView().session!.details).toEqual({
      instructors: 'Sgt. R. Diaz; Det. K. Ames',
      location: 'Academy room 2',
    });
  });
});
