// Builds everything `npm start`, `npm run serve` and the tests need:
// - the three pages (console, projector, trainee) with Vite into out/renderer, precompressed
//   (brotli and gzip copies beside each text file), the trainee page held to its budget;
// - the Node side with esbuild: the CLI (ESM) and the Electron main and preload (CommonJS).
// Dependencies stay external: they are installed in node_modules (and packed by electron-builder);
// the CLI's ES modules bundle the few that `muster serve` loads at start (IN_CLI_BUNDLE below).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { precompress } from './compress.mjs';
import { checkBudget } from './page-budget.mjs';

rmSync('out', { recursive: true, force: true });
const quiet = process.argv.includes('--quiet');

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'warn' : 'info' });
await viteBuild({
  configFile: 'vite.config.ts',
  mode: 'trainee',
  logLevel: quiet ? 'warn' : 'info',
});
await precompress('out/renderer');
// The trainee page's weight on the room's radio: the build fails past its budget.
try {
  const budget = checkBudget('out/renderer');
  if (!quiet) console.log(budget.summary);
} catch (e) {
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};
// The pure-JavaScript packages `muster serve` loads before anyone joins, bundled into the CLI's ES
// modules. Left in node_modules, Node loads a CommonJS package imported from an ES module (ws,
// commander, obscenity, qrcode) through its ES module loader, which lexes each file for its
// exports, and zod as some 95 files, each resolved; that much loader work at every start got
// the loader's own functions optimised by V8, and the optimising compiler's scratch memory stayed
// with the server: ~5 MB of its RSS before anyone joined. In the bundle they are code read once.
// The Electron bundle is CommonJS (require() has no such loader) and keeps every package external;
// so does everything loaded later or elsewhere (pg, the parser, the workbook and PDF writers) and
// better-sqlite3, which is native.
const IN_CLI_BUNDLE = ['zod', 'ws', 'commander', 'obscenity', 'qrcode'];
const dependencies = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies);
for (const p of IN_CLI_BUNDLE)
  if (!dependencies.includes(p)) throw new Error(`build: ${p} is not a dependency any more`);
const cliExternal = dependencies
  .filter((p) => !IN_CLI_BUNDLE.includes(p))
  .flatMap((p) => [p, `${p}/*`]);

// The records export worker (main/records/export-worker.ts), the content loader
// (main/content/content-worker.ts) and the records server pusher (main/records/push/push-worker.ts)
// are ES module bundles of their own next to the CLI and Electron bundles, where export-runner.ts,
// content-thread.ts and push-runner.ts look for them (from CommonJS too).
await esbuild({
  ...common,
  entryPoints: {
    cli: 'main/cli.ts',
    'export-worker': 'main/records/export-worker.ts',
    'content-worker': 'main/content/content-worker.ts',
    'push-worker': 'main/records/push/push-worker.ts',
  },
  outdir: 'out/main',
  format: 'esm',
  packages: undefined,
  external: cliExternal,
  // The bundled CommonJS packages require() Node's modules: an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);",
  },
  outExtension: { '.js': '.mjs' },
  // What a command loads on demand (`import()`: the export and check commands, the content parser)
  // is a chunk of its own, so `muster serve` does not load it.
  splitting: true,
  // In out/main itself: the workers are found next to the file that starts them.
  chunkNames: 'chunk-[name]-[hash]',
});
await esbuild({
  ...common,
  entryPoints: { electron: 'main/electron/main.ts', preload: 'main/electron/preload.ts' },
  outdir: 'out/main',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: ['electron'],
  // main/app.ts reads __filename in this CommonJS bundle and import.meta only in the ESM one.
  logOverride: { 'empty-import-meta': 'silent' },
});
// Node keeps each module's source text in memory for as long as the server runs (V8 compiles a
// function when it is first called), and a text with a single character beyond ASCII is held at
// two bytes a character: the CLI's three largest chunks, whose only such characters were a dash or
// an ellipsis in a comment and a quote in a regular expression, took 2.7 MB instead of 1.35.
// esbuild escapes what is beyond ASCII in strings and names but leaves comments as they are; the
// rest is escaped here (\uXXXX for each UTF-16 unit means the same in a comment, a string, a
// template or a regular expression).
for (const f of readdirSync('out/main')) {
  if (!/\.(mjs|cjs)$/.test(f)) continue;
  const file = `out/main/${f}`;
  const text = readFileSync(file, 'utf8');
  if (/[\u0080-\uffff]/.test(text))
    writeFileSync(
      file,
      text.replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    );
}

// The roster file reader runs in a worker thread from its own file (main/records/roster-file.ts finds it
// next to the bundle); plain JavaScript, so it is copied as it is.
copyFileSync('main/records/roster-worker.mjs', 'out/main/roster-worker.mjs');
// The records' writer thread (main/records/writer.ts finds it next to the bundle), plain JavaScript too.
copyFileSync('main/records/writer-worker.mjs', 'out/main/writer-worker.mjs');
console.log('built out/renderer and out/main');
