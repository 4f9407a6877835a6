// docs/ARCHITECTURE.md rule 1, checked by reading every import: only main/electron/ imports electron,
// shared/ imports neither Node, DOM/React, main nor renderer, and renderer/ never imports main/.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app';

function files(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|js|mjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

function importsOf(file: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [
    ...src.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g),
  ].map((m) => m[1]);
}

const violations = (dirs: string[], bad: (spec: string, file: string) => boolean) =>
  dirs.flatMap(files).flatMap((f) =>
    importsOf(f)
      .filter((s) => bad(s, f))
      .map((s) => `${f} imports ${s}`),
  );

describe('architecture boundaries', () => {
  it('only main/electron/ imports electron or electron-store', () => {
    const v = violations(
      ['main', 'renderer', 'shared'],
      (s, f) => /^electron(-store)?(\/|$)/.test(s) && !f.startsWith('main/electron/'),
    );
    expect(v).toEqual([]);
  });

  it('shared/ imports neither Node, DOM/React, Electron, main nor renderer', () => {
    const v = violations(
      ['shared'],
      (s) => /^(node:|fs$|path$|os$|react|electron)/.test(s) || /(^|\/)(main|renderer)\//.test(s),
    );
    expect(v).toEqual([]);
  });

  it('renderer/ never imports main/', () => {
    const v = violations(['renderer'], (s) => /(^|\.\.\/)main\//.test(s) || /^node:/.test(s));
    expect(v).toEqual([]);
  });

  it('HTML is injected in one place only, for author content (docs/ARCHITECTURE.md, rule 6)', () => {
    const users = files('renderer').filter((f) =>
      fs.readFileSync(path.join(ROOT, f), 'utf8').includes('dangerouslySetInnerHTML'),
    );
    expect(users).toEqual(['renderer/ui/AuthorHtml.tsx']);
  });

  it('the repository explains itself: nothing sends a reader to a file outside it', () => {
    const all = (dir: string) =>
      fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js|md|yaml|yml|css|html)$/.test(e.name))
        .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
    const docs = [
      ...[
        'main',
        'renderer',
        'shared',
        'tests',
        'docs',
        'content',
        'scripts',
        'bin',
        'build',
        '.ci',
      ]
        .filter((d) => fs.existsSync(path.join(ROOT, d)))
        .flatMap(all),
      'README.md',
      'eslint.config.js',
    ];
    expect(docs.length).toBeGreaterThan(100);
    const outside = docs.filter((f) =>
      /\.\.\/shared\/[A-Za-z-]+\.md|\b(DESIGN|STYLE|peers|field-notes|domain-facts)\.md\b/.test(
        fs.readFileSync(path.join(ROOT, f), 'utf8'),
      ),
    );
    expect(outside).toEqual([]);
  });

  it('the check itself sees imports (it would catch a violation)', () => {
    expect(importsOf('main/electron/preload.ts')).toContain('electron');
    expect(importsOf('renderer/console/Console.tsx')).toContain('../../shared/protocol');
  });
});
