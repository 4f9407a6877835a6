#!/usr/bin/env node
// The `muster` command. The TypeScript sources are bundled into out/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('Muster is not built yet: run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
const { main, isUsageError } = await import(cli.href);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // What went wrong, without a stack trace; options that do not go together exit with 2, like
    // every other usage error (main/cli.ts).
    console.error(`muster: ${e instanceof Error ? e.message : String(e)}`);
    if (isUsageError(e)) {
      if (e.hint) console.error(e.hint);
      process.exit(2);
    }
    process.exit(1);
  },
);
