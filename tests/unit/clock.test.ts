/**
 * Wall-clock time in a named zone (shared/clock.ts), what every time a person reads goes through:
 * the minute shown, the day an evening class belongs to, daylight-saving changes, and the instant
 * a datetime-local value names.
 */
import { describe, expect, it } from 'vitest';
import {
  clockFor,
  dayBounds,
  isTimeZone,
  makeClock,
  parseDate,
  parseWallTime,
} from '../../shared/clock';

const chicago = makeClock('America/Chicago');

describe('a clock in a time zone', () => {
  it('shows an evening class on its own day, to the minute, with no Z', () => {
    const t = Date.parse('2026-12-05T01:53:50.503Z');
    expect([chicago.date(t), chicago.time(t), chicago.dateTime(t)]).toEqual([
      '2026-12-04',
      '19:53',
      '2026-12-04 19:53',
    ]);
    expect(chicago.label(t)).toBe('America/Chicago (UTC−06:00)');
    expect(chicago.label(Date.parse('2026-07-01T12:00:00Z'))).toBe('America/Chicago (UTC−05:00)');
    expect(makeClock('Asia/Kolkata').label(0)).toBe('Asia/Kolkata (UTC+05:30)');
    expect([chicago.dateTime(null), chicago.dateTime(undefined), chicago.date(Number.NaN)]).toEqual(
      ['', '', ''],
    );
  });

  it('reads a wall-clock time back as the instant it names, across daylight-saving changes', () => {
    const at = (s: string) => new Date(chicago.instant(parseWallTime(s)!)).toISOString();
    expect(at('2026-12-04T19:53')).toBe('2026-12-05T01:53:00.000Z');
    expect(at('2026-07-04T09:00')).toBe('2026-07-04T14:00:00.000Z');
    // Spring forward: 02:30 does not exist that night and is read as 03:30; the minute before the change is still standard time.
    expect(at('2026-03-08T01:59')).toBe('2026-03-08T07:59:00.000Z');
    expect(at('2026-03-08T02:30')).toBe('2026-03-08T08:30:00.000Z');
    expect(at('2026-03-08T03:00')).toBe('2026-03-08T08:00:00.000Z');
    // Fall back: 01:30 happens twice; the first one.
    expect(at('2026-11-01T01:30')).toBe('2026-11-01T06:30:00.000Z');
    expect(at('2026-11-01T03:00')).toBe('2026-11-01T09:00:00.000Z');
    // Every minute of the fall-back day reads back as itself, except the second 01:xx, which reads as the first.
    const secondOneOClock = [
      Date.parse('2026-11-01T07:00:00Z'),
      Date.parse('2026-11-01T08:00:00Z'),
    ];
    for (let m = 0; m < 25 * 60; m += 7) {
      const t = Date.parse('2026-11-01T05:00:00Z') + m * 60_000;
      const repeated = t >= secondOneOClock[0] && t < secondOneOClock[1];
      expect(chicago.instant(chicago.wall(t)), chicago.dateTime(t)).toBe(
        repeated ? t - 3_600_000 : t,
      );
    }
  });

  it('gives the day a date names in the zone, 23 or 25 hours long on change days', () => {
    const day = (s: string) => dayBounds(chicago, parseDate(s)!);
    expect(day('2026-12-04')).toEqual({
      start: Date.parse('2026-12-04T06:00:00Z'),
      end: Date.parse('2026-12-05T06:00:00Z'),
    });
    const spring = day('2026-03-08');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    const fall = day('2026-11-01');
    expect((fall.end - fall.start) / 3_600_000).toBe(25);
  });

  it('knows real zones and real dates only', () => {
    expect(['America/Chicago', 'UTC', 'Europe/Berlin'].map(isTimeZone)).toEqual([true, true, true]);
    expect(['Central Time', 'UTC-6', '', '../etc/passwd', 'Mars/Olympus'].map(isTimeZone)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => makeClock('CST6CDT; rm')).toThrow(/not a time zone/);
    expect(clockFor('America/Chicago')).toBe(clockFor('America/Chicago'));
    expect([
      parseDate('2025-02-30'),
      parseDate('2025-2-3'),
      parseWallTime('2025-05-06T24:00'),
    ]).toEqual([null, null, null]);
    expect(parseWallTime('2025-05-06T09:05')).toEqual({
      year: 2025,
      month: 5,
      day: 6,
      hour: 9,
      minute: 5,
    });
  });
});
