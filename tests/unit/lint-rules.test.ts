// The boundaries of docs/ARCHITECTURE.md rule 1 have teeth: each rule is shown firing on a
// deliberate violation (and staying quiet on what is allowed), with the project's own ESLint
// configuration and its per-layer TypeScript projects.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app';

const eslint = new ESLint({ cwd: ROOT });
async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return r.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint boundaries', () => {
  it('shared/ imports only zod and itself, and uses no Node or DOM globals', async () => {
    for (const code of [
      `import fs from 'node:fs';\nexport const x = fs;`,
      `import WebSocket from 'ws';\nexport const x = WebSocket;`,
      `import crypto from 'crypto';\nexport const x = crypto;`,
      `import { Records } from '../main/records/db';\nexport const x = Records;`,
    ])
      expect(await problems('shared/violation.ts', code), code).toContain('no-restricted-imports');
    for (const code of [
      'export const x = Buffer.from("a");',
      'export const x = process.env;',
      'export const x = window.location;',
    ])
      expect(await problems('shared/violation.ts', code), code).toContain('no-restricted-globals');
    expect(
      await problems(
        'shared/fine.ts',
        `import { z } from 'zod';\nimport { cleanText } from './identity';\nexport const x = z.string().transform(cleanText);\n`,
      ),
    ).toEqual([]);
  });

  it('main/session/ is pure: no Node modules, records or server, no timers, clock or randomness', async () => {
    for (const code of [
      `import fs from 'node:fs';\nexport const x = fs;`,
      `import type { Records } from '../records/db';\nexport type X = Records;`,
      `import { send } from '../server/fanout';\nexport const x = send;`,
    ])
      expect(await problems('main/session/violation.ts', code), code).toContain(
        'no-restricted-imports',
      );
    expect(await problems('main/session/violation.ts', 'export const t = Date.now();')).toContain(
      'no-restricted-properties',
    );
    expect(
      await problems('main/session/violation.ts', 'export const r = Math.random();'),
    ).toContain('no-restricted-properties');
    expect(await problems('main/session/violation.ts', 'export const d = new Date();')).toContain(
      'no-restricted-syntax',
    );
    expect(
      await problems('main/session/violation.ts', 'setTimeout(() => undefined, 1);'),
    ).toContain('no-restricted-globals');
    expect(
      await problems(
        'main/session/fine.ts',
        `import type { Deck } from '../../shared/course';\nimport { live } from './state';\nexport const f = (d: Deck) => [d, live];\nexport const at = new Date(0);\n`,
      ),
    ).toEqual([]);
  });

  it('main/records/ knows the engine only by its operation types; never the server', async () => {
    expect(
      await problems(
        'main/records/violation.ts',
        `import { SessionEngine } from '../session/engine';\nexport const x = SessionEngine;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await problems(
        'main/records/violation.ts',
        `import { recordOps } from '../session/ops';\nexport const x = recordOps;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await problems(
        'main/records/violation.ts',
        `import type { Classroom } from '../server/classroom';\nexport type X = Classroom;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await problems(
        'main/records/fine.ts',
        `import type { RecordOp } from '../session/ops';\nexport type X = RecordOp;\n`,
      ),
    ).toEqual([]);
  });

  it('only main/electron/ imports electron; renderer/ never imports main/; hooks follow their rules', async () => {
    expect(
      await problems(
        'main/server/violation.ts',
        `import { app } from 'electron';\nexport const x = app;`,
      ),
    ).toContain('no-restricted-imports');
    expect(
      await problems(
        'renderer/violation.ts',
        `import { Records } from '../main/records/db';\nexport const x = Records;`,
      ),
    ).toContain('no-restricted-imports');
    const hook = `import { useState } from 'react';\nexport function C({ on }: { on: boolean }) {\n  if (on) useState(1);\n  return null;\n}\n`;
    expect(await problems('renderer/Violation.tsx', hook)).toContain('react-hooks/rules-of-hooks');
  });
});

describe('per-layer TypeScript projects', () => {
  it('shared/ compiles without Node or DOM types; renderer/ without Node types', () => {
    fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, 'test-output', 'tsc-'));
    try {
      const check = (project: string, code: string) => {
        const file = path.join(dir, 'violation.ts');
        fs.writeFileSync(file, code);
        fs.writeFileSync(
          path.join(dir, 'tsconfig.json'),
          JSON.stringify({ extends: path.join(ROOT, project), include: [file] }),
        );
        try {
          execFileSync(
            process.execPath,
            [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir],
            { stdio: 'pipe' },
          );
          return '';
        } catch (e) {
          return String((e as { stdout?: Buffer }).stdout);
        }
      };
      expect(
        check(
          'tsconfig.shared.json',
          'export const a = Buffer.from("x");\nexport const b = document.title;\n',
        ),
      ).toMatch(/Cannot find name 'Buffer'[\s\S]*Cannot find name 'document'/);
      expect(check('tsconfig.renderer.json', 'export const a = process.env;\n')).toMatch(
        /Cannot find name 'process'/,
      );
      expect(check('tsconfig.shared.json', 'export const ok = [1, 2].at(-1);\n')).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
