// `npm test`'s first step: the four TypeScript projects, ESLint and Prettier's check, all at once. Each is one
// single-threaded process, so on two cores they finish in about the time of the longest instead
// of the sum (the tests then run in vitest's own workers). Prints each check's output as it
// finished and fails if any check failed.
import { spawn } from 'node:child_process';

const node = process.execPath;
const checks = [
  ['typecheck shared/', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.shared.json']],
  ['typecheck renderer/', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.renderer.json']],
  ['typecheck main/', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.main.json']],
  [
    'typecheck everything with the tests',
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'],
  ],
  ['lint', ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings', '0']],
  // Formatting is Prettier's (width 100; .prettierrc.json): `npm run format` fixes what this finds.
  ['format', ['node_modules/prettier/bin/prettier.cjs', '--check', '.', '--log-level', 'warn']],
];

const started = Date.now();
const results = await Promise.all(
  checks.map(
    ([name, args]) =>
      new Promise((resolve) => {
        const p = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (b) => (out += b));
        p.stderr.on('data', (b) => (out += b));
        p.on('error', (e) => resolve({ name, code: 1, out: String(e) }));
        p.on('close', (code) => resolve({ name, code: code ?? 1, out }));
      }),
  ),
);
for (const r of results) {
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name}`);
  if (r.out.trim()) console.log(r.out.trimEnd());
}
console.log(`checks: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
