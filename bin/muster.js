#!/usr/bin/env node
// The `muster` command. The TypeScript sources are bundled into out/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('Muster is not built yet: run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
const { main } = await import(cli.href);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`muster: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
