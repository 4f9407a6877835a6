// The trainee page's budget, checked at every build: its first load — the HTML and every script,
// module and stylesheet it needs before the join form can be used — may weigh at most
// BUDGET_KB compressed, as a phone on the room's plain-HTTP network receives it (gzip: browsers
// ask for brotli only over HTTPS). Past it the build fails, naming the files, so the page cannot
// grow by accident. Chunks loaded later (the classroom, after joining) do not count.
// `node scripts/page-budget.mjs` checks an existing build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUDGET_KB = 60;

/** The files of a page's first load: what its HTML names, and the static imports of those scripts. */
export function firstLoadFiles(staticDir, page) {
  const html = path.join(staticDir, page, 'index.html');
  const seen = new Set([html]);
  const queue = [];
  const text = fs.readFileSync(html, 'utf8');
  for (const m of text.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="\/(assets\/[^"]+)"/g))
    queue.push(path.join(staticDir, m[1]));
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = fs.readFileSync(file, 'utf8');
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); import("./x.js") loads later.
    for (const m of code.matchAll(
      /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]*?from\s*)?["'](\.\/[^"']+\.js)["']/g,
    ))
      queue.push(path.join(path.dirname(file), m[1]));
  }
  return [...seen];
}

const size = (file, suffix) =>
  fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : fs.statSync(file).size;

/** The page's first load in bytes: raw, gzip and brotli, per file and in total. */
export function measure(staticDir, page) {
  const files = firstLoadFiles(staticDir, page).map((f) => ({
    file: path.relative(staticDir, f),
    raw: fs.statSync(f).size,
    gzip: size(f, '.gz'),
    br: size(f, '.br'),
  }));
  const total = (k) => files.reduce((n, f) => n + f[k], 0);
  return { files, raw: total('raw'), gzip: total('gzip'), br: total('br') };
}

/** Throws when the trainee page's first load is over budget; returns the measure otherwise. */
export function checkBudget(staticDir) {
  const m = measure(staticDir, 'trainee');
  const kb = (b) => (b / 1024).toFixed(1);
  const lines = m.files
    .map((f) => `  ${f.file}: ${kb(f.gzip)} KB gzip, ${kb(f.br)} KB brotli (${kb(f.raw)} KB raw)`)
    .join('\n');
  if (m.gzip > BUDGET_KB * 1024)
    throw new Error(
      `the trainee page's first load is ${kb(m.gzip)} KB compressed, over its budget of ${BUDGET_KB} KB:\n${lines}`,
    );
  return {
    ...m,
    summary: `trainee page first load: ${kb(m.gzip)} KB gzip, ${kb(m.br)} KB brotli (budget ${BUDGET_KB} KB)`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    console.log(checkBudget(process.argv[2] ?? 'out/renderer').summary);
  } catch (e) {
    console.error(`page budget: ${e.message}`);
    process.exit(1);
  }
}
