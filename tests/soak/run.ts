/**
 * `npm run soak [-- --phones 300 --minutes 30 --heartbeat 30 --loopback --seed 1]`: a class day held
 * for real time behind emulated venue Wi-Fi (see soak.ts). Prints a table and one JSON object; exits
 * non-zero when a socket closed that nobody closed, attendance does not add up, or an answer was lost.
 */
import { parseArgs } from 'node:util';
import { SOAK_DEFAULTS, runSoak } from './soak';

const { values } = parseArgs({
  options: {
    phones: { type: 'string', default: '300' },
    minutes: { type: 'string', default: '30' },
    heartbeat: { type: 'string', default: '30' },
    'question-every': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    loopback: { type: 'boolean', default: false },
  },
});
const phones = Number(values.phones);
const minutes = Number(values.minutes);
if (!(phones >= 1 && phones <= 2000)) throw new Error('--phones: 1 to 2000');
if (!(minutes > 0 && minutes <= 8 * 60)) throw new Error('--minutes: up to 480');
const every = Number(values['question-every']) * 1000;

const r = await runSoak({
  phones,
  durationMs: minutes * 60_000,
  heartbeatMs: Number(values.heartbeat) * 1000,
  questionEveryMs: every,
  openMs: Math.round(every * 0.6),
  thinkMs: [1000, Math.round(every * 0.4)],
  seed: Number(values.seed),
  ...(values.loopback ? { wifi: null } : {}),
  sleep: {
    ...SOAK_DEFAULTS.sleep,
    minMs: Math.min(SOAK_DEFAULTS.sleep.minMs, (minutes * 60_000) / 10),
    maxMs: Math.min(SOAK_DEFAULTS.sleep.maxMs, (minutes * 60_000) / 5),
  },
});
const rows: [string, string, string][] = [
  ['network', r.network, ''],
  [
    'phones × minutes',
    `${r.phones} × ${r.minutes} (heartbeat ${r.heartbeatMs / 1000} s, ${r.questions} questions)`,
    '',
  ],
  [
    'sleeps',
    `${r.sleeps.total} by ${r.sleeps.phones} phones (${r.sleeps.clean} page hidden, ${r.sleeps.frozen} frozen)`,
    '',
  ],
  ['socket closes nobody caused', String(r.unexplainedCloses), 'must be 0'],
  [
    'attendance intervals',
    `${r.attendanceIntervals.total} recorded, ${r.attendanceIntervals.expected} expected; ${r.attendanceMismatches.length} phones differ`,
    'must match',
  ],
  [
    'answers',
    `${r.answers.acked} acknowledged, ${r.answers.lost} lost; ${r.answers.refusedAfterClose} refused (closed while asleep); ${r.answers.unacknowledgedAtEnd} unacknowledged at the end`,
    '0 lost',
  ],
  [
    'answer → ack',
    `p50 ${r.ackMs.p50} ms, p99 ${r.ackMs.p99} ms, max ${r.ackMs.max} ms`,
    'p99 ≤ 1 s',
  ],
  [
    'server RSS',
    `${r.rssMb.start} MB after joins → ${r.rssMb.end} MB at the end (peak ${r.rssMb.peak}); trend ${r.rssMb.trendMbPerHour} MB/h over the second half`,
    'no growth trend',
  ],
  ['instructor errors', String(r.instructorErrors.length), ''],
];
for (const [k, v, goal] of rows) console.log(`${k.padEnd(30)} ${v}${goal ? `   [${goal}]` : ''}`);
console.log(JSON.stringify(r));
process.exit(
  r.unexplainedCloses === 0 && r.attendanceMismatches.length === 0 && r.answers.lost === 0 ? 0 : 1,
);
