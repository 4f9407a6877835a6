// `npm run bench [-- --trainees N --procs P --rounds R]`: the classroom load benchmark with the
// given options, then the records-export benchmark at its own sizes (2,000 × 60; 100 sessions),
// then hostile uploads against a running class (the server's memory before and after),
// then the academy records server's (push rate, a synthetic year, answer acks with the pusher).
import { spawnSync } from 'node:child_process';

const run = (script, args) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('tests/bench/classroom.ts', process.argv.slice(2));
run('tests/bench/export.ts', []);
run('tests/bench/uploads.ts', []);
run('tests/bench/records-server.ts', []);
