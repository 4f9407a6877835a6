// The soak, two minutes of it (`npm run soak` runs the full class day): phones held connected well
// past many heartbeat periods behind emulated venue Wi-Fi, questions every 20 s, phones sleeping
// and waking. Nothing here is timed: what must hold is that no socket closes that nobody closed,
// attendance adds up to what each phone did, and no acknowledged answer is missing from the records.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak/soak';

describe('soak (two minutes)', () => {
  it('120 phones for two minutes: no unexplained closes, attendance adds up, nothing lost', async () => {
    const lines: string[] = [];
    const r = await runSoak({
      phones: 120,
      durationMs: 120_000,
      heartbeatMs: 5000,
      questionEveryMs: 20_000,
      openMs: 13_000,
      thinkMs: [500, 8000],
      sleep: { share: 0.25, max: 1, minMs: 16_000, maxMs: 30_000 },
      log: (l) => lines.push(l),
    });
    console.log(`soak (2 min): ${JSON.stringify(r)}`);
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
