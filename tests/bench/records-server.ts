/**
 * The academy records server benchmark (`npm run bench`, or alone:
 * `node --import tsx tests/bench/records-server.ts [--answers 24000000] [--trainees 300]`), on a
 * throwaway PostgreSQL with fsync on. Prints one JSON object:
 *
 * - push: a class day (300 trainees × 40 questions) pushed by the real pusher thread, rows/s
 *   including the server's apply, beside the floor: the same batches inserted into a bare table
 *   (no trigger, no row-level security);
 * - year: a synthetic year of a 10-room academy (2,000 class days of 60 officers × 200 questions:
 *   24 million answers in the monthly partitions, and the derived tables a deriver would have
 *   written for them; about 6,000 officers), then the
 *   month's certification roster, one officer's history and the year's weak spots, each timed
 *   (best and worst of 3), beside the target of 1 s;
 * - ackP99: the same class (answer acknowledgements, p50/p99) without and with the pusher
 *   running against the server, side by side, with a backlog for the pusher to send.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { initSchema } from '../../main/records-server/schema';
import { enrolConsole } from '../../main/records-server/roles';
import { startPostgres } from '../helpers/postgres';
import { round, step } from './records-server-measure';
import { pushRate } from './records-server-push';
import { syntheticYear } from './records-server-year';
import { classAcks } from './records-server-acks';

const { values } = parseArgs({
  options: {
    answers: { type: 'string', default: '24000000' },
    trainees: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
/** `--only push|acks|year`: one part alone. */
const part = (name: string) => !values.only || values.only === name;
const ANSWERS = Number(values.answers);
const CLASS = Number(values.trainees);
const ROUNDS = Number(values.rounds);

async function main() {
  // BENCH_PG_FAST=1: the records server without fsync (to tell the disk it shares here from the rest).
  const server = await startPostgres({ fast: process.env.BENCH_PG_FAST === '1' });
  const admin = new pg.Client(server.url);
  try {
    await admin.connect();
    await initSchema(admin);
    step('push rate');
    const push = part('push') ? await pushRate(server.url, admin) : null;
    step('answer acks without the pusher');
    const without = part('acks')
      ? await classAcks(null, { trainees: CLASS, rounds: ROUNDS })
      : null;
    step('answer acks with the pusher');
    const e = await enrolConsole(admin, 'Bench class', server.url);
    const withPusher = part('acks')
      ? await classAcks(e.url, { trainees: CLASS, rounds: ROUNDS })
      : null;
    step('a synthetic year');
    const year = part('year') ? await syntheticYear(admin, ANSWERS) : null;
    console.log(
      JSON.stringify(
        {
          recordsServer: {
            push,
            answerAckMs: {
              trainees: CLASS,
              rounds: ROUNDS,
              withoutPusher: without,
              withPusher,
              p99Ratio:
                withPusher && without ? round((withPusher.p99 / without.p99) * 100) / 100 : null,
              target: 'with ≤ 1.2 × without',
            },
            year,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await admin.end().catch(() => undefined);
    await server.stop();
  }
}

await main();
