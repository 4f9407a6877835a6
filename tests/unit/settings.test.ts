// Browser mode's settings file: read as plain JSON at start (conf is not loaded for that), written
// through conf at the first change — the same file, so a change survives a restart, and a value a
// hand edit broke reads as the default. And a setting's value is read through its schema (the
// department profile the records exports lay out by).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSettings, settingValue } from '../../main/settings';

describe('file settings', () => {
  it('reads the file conf writes, writes through conf, and survives a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-settings-'));
    const a = fileSettings(dir);
    expect(a.get('projectorTheme')).toBeUndefined();
    a.set('projectorTheme', 'light');
    a.set('lanPort', 4321);
    expect(a.get('projectorTheme')).toBe('light');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
      projectorTheme: 'light',
      lanPort: 4321,
    });
    const b = fileSettings(dir);
    expect([b.get('projectorTheme'), b.get('lanPort')]).toEqual(['light', 4321]);
    b.set('lanPort', undefined);
    expect(fileSettings(dir).get('lanPort')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a broken file or a broken value reads as the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-settings-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ not json');
    expect(fileSettings(dir).get('projectorTheme')).toBeUndefined();
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({ projectorTheme: 'neon', lanPort: 'x', joinHost: '10.0.0.2' }),
    );
    const s = fileSettings(dir);
    expect([s.get('projectorTheme'), s.get('lanPort'), s.get('joinHost')]).toEqual([
      undefined,
      undefined,
      '10.0.0.2',
    ]);
    fs.writeFileSync(path.join(dir, 'settings.json'), '[1, 2]');
    expect(fileSettings(dir).get('joinHost')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the department profile setting', () => {
  it('is read through its schema', () => {
    expect(
      settingValue('department', {
        officerIdLabel: 'TCOLE PID',
        attendanceRule: { minPresentPercent: 90, requirePass: true },
        lateGraceMinutes: 5,
      }),
    ).toEqual({
      officerIdLabel: 'TCOLE PID',
      attendanceRule: { minPresentPercent: 90, requirePass: true },
      lateGraceMinutes: 5,
    });
    expect(settingValue('department', { defaultPassMark: 170 })).toBeUndefined();
    expect(settingValue('department', 'TX')).toBeUndefined();
  });
});
