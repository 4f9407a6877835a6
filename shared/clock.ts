/**
 * Wall-clock time in a named time zone (IANA, e.g. "America/Chicago"), for everything a person
 * reads: records keep UTC instants (milliseconds), and the exports and the console show them in
 * the department's time zone, to the minute. Only `Intl` (ECMAScript), so Node and the console
 * page share it.
 */

/** The time zone this computer (or browser) is set to. */
export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether `tz` is a time zone this runtime knows ("America/Chicago", "UTC"); not an offset or an abbreviation. */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A wall-clock reading: the calendar date and the time to the minute. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface Clock {
  readonly timeZone: string;
  /** YYYY-MM-DD ('' for none). */
  date(ms: number | null | undefined): string;
  /** HH:MM, 24-hour ('' for none). */
  time(ms: number | null | undefined): string;
  /** YYYY-MM-DD HH:MM ('' for none): no seconds, no "Z", no offset (the zone is stated once, elsewhere). */
  dateTime(ms: number | null | undefined): string;
  /** The wall-clock reading of an instant. */
  wall(ms: number): WallTime;
  /**
   * The instant a wall-clock time names here. In the hour a daylight-saving change repeats, the
   * first of the two; a time the change skips is read with the offset from before it (02:30 on
   * the spring-forward night is 03:30).
   */
  instant(w: WallTime): number;
  /** The zone with its offset at an instant: "America/Chicago (UTC−06:00)". */
  label(ms: number): string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MINUTE = 60_000;
const CACHE_MAX = 100_000;

/** A clock for `timeZone` (checked: an unknown zone throws a RangeError that names it). */
export function makeClock(timeZone: string): Clock {
  if (!isTimeZone(timeZone))
    throw new RangeError(
      `not a time zone: ${JSON.stringify(timeZone)} (use a name such as America/Chicago)`,
    );
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  // A big session has a quarter of a million answer times, mostly in a few hundred minutes.
  const byMinute = new Map<number, WallTime>();
  const wall = (ms: number): WallTime => {
    const minute = Math.floor(ms / MINUTE);
    let w = byMinute.get(minute);
    if (w === undefined) {
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(minute * MINUTE))
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      w = {
        year: p.year,
        month: p.month,
        day: p.day,
        hour: p.hour === 24 ? 0 : p.hour,
        minute: p.minute,
      };
      if (byMinute.size >= CACHE_MAX) byMinute.clear();
      byMinute.set(minute, w);
    }
    return w;
  };
  /** Wall clock minus UTC at an instant, in milliseconds (to the minute, as every zone in use is). */
  const offset = (ms: number) => {
    const w = wall(ms);
    return (
      Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / MINUTE) * MINUTE
    );
  };
  const valid = (ms: number | null | undefined): ms is number =>
    typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
  const date = (ms: number | null | undefined) => {
    if (!valid(ms)) return '';
    const w = wall(ms);
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  };
  const time = (ms: number | null | undefined) => {
    if (!valid(ms)) return '';
    const w = wall(ms);
    return `${pad(w.hour)}:${pad(w.minute)}`;
  };
  return {
    timeZone,
    date,
    time,
    dateTime: (ms) => (valid(ms) ? `${date(ms)} ${time(ms)}` : ''),
    wall,
    instant(w) {
      const utc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
      // The offset a few hours either side decides: the earlier reading wins in a repeated hour.
      const before = offset(utc - 12 * 3_600_000);
      const after = offset(utc + 12 * 3_600_000);
      const first = utc - before;
      if (before === after) return first;
      const second = utc - after;
      const is = (t: number) => {
        const x = wall(t);
        return x.day === w.day && x.hour === w.hour && x.minute === w.minute;
      };
      return is(first) || !is(second) ? first : second;
    },
    label(ms) {
      const o = Math.round(offset(ms) / MINUTE);
      const sign = o < 0 ? '−' : '+';
      const a = Math.abs(o);
      return `${timeZone} (UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)})`;
    },
  };
}

const clocks = new Map<string, Clock>();
/** One clock per zone, kept (its minute cache is what makes big exports fast). */
export function clockFor(timeZone: string): Clock {
  let c = clocks.get(timeZone);
  if (!c) {
    c = makeClock(timeZone);
    if (clocks.size > 20) clocks.clear();
    clocks.set(timeZone, c);
  }
  return c;
}

/** "YYYY-MM-DD" → its parts, or null when it is not a real calendar date ("2025-02-30" is not). */
export function parseDate(s: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

/** "YYYY-MM-DDTHH:MM" (a datetime-local input's value) → its parts, or null. */
export function parseWallTime(s: string): WallTime | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(s);
  const d = m && parseDate(m[1]);
  if (!m || !d) return null;
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  return hour < 24 && minute < 60 ? { ...d, hour, minute } : null;
}

/** The instant a day starts and the next one does, in the clock's zone. */
export function dayBounds(
  clock: Clock,
  d: { year: number; month: number; day: number },
): { start: number; end: number } {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return {
    start: clock.instant({ ...d, hour: 0, minute: 0 }),
    end: clock.instant({
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
    }),
  };
}
