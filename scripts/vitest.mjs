// `npm test`'s last step: the soak (90 s that mostly wait on real time: phones asleep, heartbeat
// periods, questions left open) runs in a vitest process of its own, beside the rest of the suite
// two files at a time, instead of holding one of those two places for its whole 90 s. Its output is
// printed when the rest is done, so the two logs do not interleave. Arguments (`npm test --
// tests/unit`) run vitest on just those, in one process.
import { spawn } from 'node:child_process';

const VITEST = 'node_modules/vitest/vitest.mjs';
const SOAK = 'tests/integration/soak.test.ts';
const args = process.argv.slice(2);

const run = (argv, buffered) =>
  new Promise((resolve) => {
    const p = spawn(process.execPath, [VITEST, 'run', ...argv], {
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let out = '';
    if (buffered) {
      p.stdout.on('data', (b) => (out += b));
      p.stderr.on('data', (b) => (out += b));
    }
    p.on('error', (e) => resolve({ code: 1, out: String(e) }));
    p.on('close', (code) => resolve({ code: code ?? 1, out }));
  });

if (args.length) process.exit((await run(args, false)).code);
const soak = run([SOAK], true);
const rest = await run(['--exclude', SOAK], false);
const s = await soak;
console.log(`\n--- the soak, run beside the rest ---\n${s.out.trimEnd()}`);
process.exit(rest.code === 0 && s.code === 0 ? 0 : 1);
