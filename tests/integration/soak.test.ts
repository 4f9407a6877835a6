// The soak, ninety seconds of it (`npm run soak` runs the full class day): phones held connected well
// past 22 heartbeat periods behind emulated venue Wi-Fi, a question every 14 s, phones sleeping
// and waking. Nothing here is timed: what must hold is that no socket closes that nobody closed,
// attendance adds up to what each phone did, and no acknowledged answer is missing from the records.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak/soak';

describe('soak (ninety seconds)', () => {
  it('120 phones for ninety seconds: no unexplained closes, attendance adds up, nothing lost', async () => {
    const lines: string[] = [];
    const r = await runSoak({
      phones: 120,
      durationMs: 90_000,
      heartbeatMs: 4000,
      questionEveryMs: 14_000,
      openMs: 9_000,
      thinkMs: [500, 6000],
      // Sleeps of three to five heartbeat periods: a frozen phone must be noticed by the heartbeat.
      sleep: { share: 0.25, max: 1, minMs: 12_000, maxMs: 20_000 },
      log: (l) => lines.push(l),
    });
    console.log(`soak (90 s): ${JSON.stringify(r)}`);
    expect(r.unexplained).toEqual([]);
    expect(r.attendanceMismatches).toEqual([]);
    expect(r.attendanceIntervals.total).toBe(r.attendanceIntervals.expected);
    expect(r.answers.lost).toBe(0);
    expect(r.instructorErrors).toEqual([]);
    // The run did what it claims: questions were asked and answered, phones slept and woke.
    expect(r.questions).toBeGreaterThanOrEqual(5);
    expect(r.answers.acked).toBeGreaterThan(r.phones * 3);
    expect(r.sleeps.total).toBeGreaterThan(0);
  }, 360_000);
});
