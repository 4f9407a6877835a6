/**
 * Muster's one error type (shared/errors.ts): a MusterError carries a code from a closed list and
 * the HTTP status that answers it; the helpers read any thrown value without casts. The builders
 * that throw one are checked here too, and that no file grows an ad-hoc Error subclass again.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERROR_STATUS,
  MusterError,
  errorCode,
  errorDetail,
  errorMessage,
  isMusterError,
} from '../../shared/errors';
import type { MusterErrorCode } from '../../shared/errors';
import { parseRange, pickProfile } from '../../main/records/export';
import { ROOT } from '../helpers/app';

/** What a function threw (fails the test when it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected it to throw');
}

describe('MusterError', () => {
  it('carries its code, its message, the status of its code, and a cause', () => {
    const cause = new Error('the disk');
    const e = new MusterError('export-failed', 'session-csv: the thread stopped', { cause });
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message, e.status, e.cause]).toEqual([
      'MusterError',
      'export-failed',
      'session-csv: the thread stopped',
      500,
      cause,
    ]);
    expect(String(e)).toBe('MusterError: session-csv: the thread stopped');
    expect(e.stack).toContain('session-csv: the thread stopped');
  });

  it('answers every code with an error status', () => {
    expect(ERROR_STATUS).toEqual({
      'body-too-large': 413,
      'date-range': 400,
      'unknown-profile': 404,
      'export-busy': 503,
      'export-failed': 500,
      usage: 400,
    });
    expect(new MusterError('usage', '--csv needs --sheet', { hint: 'see --help' }).hint).toBe(
      'see --help',
    );
    for (const code of Object.keys(ERROR_STATUS) as MusterErrorCode[])
      expect(new MusterError(code, 'x').status).toBe(ERROR_STATUS[code]);
  });

  it('is told apart by isMusterError, by code when one is given', () => {
    const e = new MusterError('date-range', 'from: not a date');
    expect(isMusterError(e)).toBe(true);
    expect(isMusterError(e, 'date-range')).toBe(true);
    expect(isMusterError(e, 'unknown-profile')).toBe(false);
    // Something that only looks like one is not one: a Node error with the same code, a plain object.
    expect(isMusterError(Object.assign(new Error('x'), { code: 'date-range' }), 'date-range')).toBe(
      false,
    );
    expect(isMusterError({ name: 'MusterError', code: 'date-range', message: 'x' })).toBe(false);
    for (const v of [undefined, null, 'date-range', 400]) expect(isMusterError(v)).toBe(false);
  });
});

describe('reading whatever was thrown', () => {
  it('errorMessage: the message of an Error, a string as it is, anything else as text', () => {
    expect(errorMessage(new TypeError('bad'))).toBe('bad');
    expect(
      errorMessage(new MusterError('export-busy', '5 exports are already running or waiting')),
    ).toBe('5 exports are already running or waiting');
    expect(errorMessage('plain words')).toBe('plain words');
    expect(errorMessage({ message: 'from a worker' })).toBe('from a worker');
    expect(errorMessage({ message: 42 })).toBe('[object Object]');
    expect([errorMessage(undefined), errorMessage(null), errorMessage(7)]).toEqual([
      'undefined',
      'null',
      '7',
    ]);
  });

  it('errorDetail: the stack for the log when there is one, else the message', () => {
    const e = new Error('it broke');
    expect(errorDetail(e)).toBe(e.stack);
    expect(errorDetail(e)).toMatch(/^Error: it broke\n\s+at /);
    const bare = new Error('no stack');
    bare.stack = undefined;
    expect(errorDetail(bare)).toBe('no stack');
    expect(errorDetail('just text')).toBe('just text');
  });

  it('errorCode: the code of a real Node, SQLite or Muster error; nothing for anything else', () => {
    expect(
      errorCode(
        thrown(() =>
          fs.readFileSync(path.join(os.tmpdir(), `muster-missing-${process.pid}-${Date.now()}`)),
        ),
      ),
    ).toBe('ENOENT');
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      db.prepare('INSERT INTO t VALUES (1)').run();
      expect(errorCode(thrown(() => db.prepare('INSERT INTO t VALUES (1)').run()))).toBe(
        'SQLITE_CONSTRAINT_PRIMARYKEY',
      );
    } finally {
      db.close();
    }
    expect(errorCode(new MusterError('body-too-large', 'x'))).toBe('body-too-large');
    for (const v of [new Error('x'), { code: 28 }, 'ENOENT', null, undefined])
      expect(errorCode(v)).toBeUndefined();
  });
});

describe('the records throw coded errors', () => {
  it('a bad range is a date-range error (400) that says which end and why', () => {
    const bad = thrown(() => parseRange({ from: '2026-13-01' }));
    expect(isMusterError(bad, 'date-range')).toBe(true);
    expect(errorMessage(bad)).toBe('from: not a date (YYYY-MM-DD): "2026-13-01"');
    const reversed = thrown(() => parseRange({ from: '2026-05-02', to: '2026-05-01' }));
    expect([
      isMusterError(reversed, 'date-range') && reversed.status,
      errorMessage(reversed),
    ]).toEqual([400, 'from: 2026-05-02 is after to: 2026-05-01']);
    expect(() => parseRange({ from: '2026-05-01', to: '2026-05-01' })).not.toThrow();
  });

  it('an unknown export profile is an unknown-profile error (404) that lists the ones there are', () => {
    const e = thrown(() => pickProfile(undefined, 'nobody-has-this'));
    expect(isMusterError(e, 'unknown-profile') && e.status).toBe(404);
    expect(errorMessage(e)).toMatch(
      /^no export profile "nobody-has-this" \(there are: [a-z0-9-]+(, [a-z0-9-]+)*\)$/,
    );
  });
});

describe('one error type', () => {
  it('no source file declares its own Error subclass (a new failure is a new code in shared/errors.ts)', () => {
    const sources = ['main', 'shared', 'renderer'].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter((f) => f.isFile() && /\.(ts|tsx|mts|mjs|js)$/.test(f.name))
        .map((f) => path.relative(ROOT, path.join(f.parentPath, f.name)).split(path.sep).join('/')),
    );
    expect(sources.length).toBeGreaterThan(50);
    const subclassing = sources.filter((f) =>
      /\bclass\s+\w+(<[^>]*>)?\s+extends\s+(\w+\.)?\w*Error\b/.test(
        fs.readFileSync(path.join(ROOT, f), 'utf8'),
      ),
    );
    expect(subclassing).toEqual(['shared/errors.ts']);
  });
});
