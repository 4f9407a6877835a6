// A roster in the records: imported before or during a session, adopted, replaced, and corrected,
// each step with its audit row.
import { describe, expect, it } from 'vitest';
import { Records } from '../../main/records/db';

describe('roster records', () => {
  const session = (r: Records, id: string) =>
    r.apply([
      {
        op: 'session',
        id,
        roomCode: '123456',
        course: 'c',
        courseTitle: 'C',
        courseNumber: null,
        creditHours: null,
        passMark: null,
        file: 'd.md',
        title: 'D',
        at: 1,
      },
    ]);
  const entry = (officerId: string, name = `N${officerId}`) => ({
    officerId,
    name,
    agency: 'PD',
    email: '',
    firstName: '',
    lastName: '',
  });

  it('a roster imported with no session running is adopted by the next session; a new import replaces it, audit-logged', () => {
    const r = new Records(':memory:');
    r.apply([
      {
        op: 'roster',
        sessionId: null,
        name: 'Class A',
        entries: [entry('00417'), entry('B1')],
        reason: 'Roster file imported',
        actor: 'instructor',
        at: 10,
      },
    ]);
    expect(r.rosterSummary(null)).toEqual({ name: 'Class A', entries: 2, importedAt: 10 });
    session(r, 's1');
    r.apply([
      { op: 'adoptRoster', sessionId: 's1', entries: [entry('00417'), entry('B1')], at: 15 },
    ]);
    expect(r.rosterSummary(null)).toBeNull();
    expect(r.rosterEntries('s1').map((e) => e.officerId)).toEqual(['00417', 'B1']);
    r.apply([
      {
        op: 'roster',
        sessionId: 's1',
        name: 'Class A v2',
        entries: [entry('C3')],
        reason: 'Roster file imported',
        actor: 'instructor',
        at: 20,
      },
    ]);
    expect(r.rosterEntries('s1')).toEqual([entry('C3')]);
    const audit = r.db
      .prepare(
        `SELECT session_id, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log ORDER BY seq`,
      )
      .all();
    expect(audit).toEqual([
      {
        session_id: null,
        actor: 'instructor',
        action: 'importRoster',
        entity: 'roster',
        entity_id: 'Class A',
        before_json: null,
        after_json: '{"name":"Class A","entries":2}',
        reason: 'Roster file imported',
      },
      {
        session_id: 's1',
        actor: 'instructor',
        action: 'adoptRoster',
        entity: 'roster',
        entity_id: 'Class A',
        before_json: null,
        after_json: '{"name":"Class A","entries":2}',
        reason:
          'Roster imported 1970-01-01T00:00:00.010Z, before the session; adopted when it started',
      },
      {
        session_id: 's1',
        actor: 'instructor',
        action: 'importRoster',
        entity: 'roster',
        entity_id: 'Class A v2',
        before_json: '{"name":"Class A","entries":2,"importedAt":10}',
        after_json: '{"name":"Class A v2","entries":1}',
        reason: 'Roster file imported',
      },
    ]);
    // One officer ID once per roster (case-insensitive), leading zeros significant.
    expect(() =>
      r.apply([
        {
          op: 'roster',
          sessionId: 's1',
          name: 'x',
          entries: [entry('ab1'), entry('AB1')],
          reason: 'r',
          actor: 'instructor',
          at: 30,
        },
      ]),
    ).toThrow(/UNIQUE/);
    expect(r.rosterEntries('s1')).toEqual([entry('C3')]);
    // Last and first name, when the file had them apart, are kept.
    session(r, 's2');
    r.apply([
      {
        op: 'roster',
        sessionId: 's2',
        name: 'Named',
        entries: [{ ...entry('D4'), firstName: 'Dev', lastName: 'Patel' }],
        reason: 'r',
        actor: 'instructor',
        at: 31,
      },
    ]);
    expect(r.rosterEntries('s2')).toEqual([
      { ...entry('D4'), firstName: 'Dev', lastName: 'Patel' },
    ]);
    r.close();
  });

  it('a correction updates the trainee and writes the audit row; a moved phone changes owner', () => {
    const r = new Records(':memory:');
    session(r, 's1');
    r.apply([
      {
        op: 'trainee',
        id: 't1',
        sessionId: 's1',
        name: 'Ana Ortz',
        officerId: '417',
        agency: 'PD',
        at: 2,
      },
      {
        op: 'trainee',
        id: 't2',
        sessionId: 's1',
        name: 'Ben',
        officerId: 'B1',
        agency: 'PD',
        at: 2,
      },
      { op: 'device', traineeId: 't1', tokenHash: 'h1', at: 2 },
    ]);
    const before = { name: 'Ana Ortz', officerId: '417', agency: 'PD' };
    const after = { name: 'Ana Ortiz', officerId: '00417', agency: 'PD' };
    r.apply([
      {
        op: 'correctTrainee',
        sessionId: 's1',
        traineeId: 't1',
        before,
        after,
        reason: 'typo; ID checked against the sign-in sheet',
        actor: 'instructor',
        at: 5,
      },
    ]);
    expect(
      r.db.prepare(`SELECT name, officer_id, agency FROM trainees WHERE id = 't1'`).get(),
    ).toEqual({ name: 'Ana Ortiz', officer_id: '00417', agency: 'PD' });
    r.apply([
      {
        op: 'moveDevice',
        sessionId: 's1',
        fromTraineeId: 't1',
        toTraineeId: 't2',
        before: { phones: 1, trainee: { id: 't1', ...after } },
        after: { phones: 1, trainee: { id: 't2', name: 'Ben', officerId: 'B1', agency: 'PD' } },
        reason: 'Ben used Ana’s phone',
        actor: 'instructor',
        at: 6,
      },
    ]);
    expect(r.db.prepare(`SELECT trainee_id, bound_at FROM devices`).all()).toEqual([
      { trainee_id: 't2', bound_at: 6 },
    ]);
    const audit = r.db
      .prepare(
        `SELECT at, actor, action, entity, entity_id, before_json, after_json, reason FROM audit_log ORDER BY seq`,
      )
      .all() as Record<string, unknown>[];
    expect(audit[0]).toEqual({
      at: 5,
      actor: 'instructor',
      action: 'correctTrainee',
      entity: 'trainee',
      entity_id: 't1',
      before_json: JSON.stringify(before),
      after_json: JSON.stringify(after),
      reason: 'typo; ID checked against the sign-in sheet',
    });
    expect(audit[1]).toMatchObject({
      action: 'moveDevice',
      entity: 'device',
      entity_id: 't1',
      reason: 'Ben used Ana’s phone',
    });
    expect(JSON.parse(audit[1].after_json as string)).toMatchObject({ trainee: { id: 't2' } });
    r.close();
  });
});
