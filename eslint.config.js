// Lint rules, including the import boundaries of docs/ARCHITECTURE.md ("The rules, and what
// enforces them", rule 1). tests/unit/boundaries.test.ts checks the same rules by scanning imports,
// so a broken boundary fails both `npm run lint` and `npm test`.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const electronOnly = {
  paths: [
    {
      name: 'electron',
      message: 'Only main/electron/ may import electron (docs/ARCHITECTURE.md, rule 1).',
    },
    { name: 'electron-store', message: 'Only main/electron/ may import electron-store.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-output/', 'content/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['main/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', electronOnly] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            { group: ['**/main/*', '**/main'], message: 'renderer/ never imports main/.' },
          ],
        },
      ],
    },
  },
  {
    // shared/ is the contract both sides compile: zod and itself, nothing of Node or the browser.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            // Itself (./x, or ../x from shared/protocol/), and zod: nothing else.
            {
              regex: '^(?!zod$|\\./|\\.\\./(?!\\.\\.))',
              message:
                'shared/ imports only zod and other files of shared/ (docs/ARCHITECTURE.md, rule 1).',
            },
            {
              regex: '(^|/)(main|renderer)(/|$)',
              message: 'shared/ never imports main/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'Buffer',
          'process',
          'require',
          '__dirname',
          '__filename',
          'global',
          'window',
          'document',
          'localStorage',
          'navigator',
        ].map((name) => ({
          name,
          message: 'shared/ runs in Node and in the browser alike: no Node or DOM globals.',
        })),
      ],
    },
  },
  {
    // The engine is pure: no I/O, no timers, no clock, no randomness — time and ids are passed in,
    // so a session can be decided, applied and replayed deterministically (docs/ARCHITECTURE.md, rule 1).
    files: ['main/session/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            {
              regex: '^(?![./])(?!obscenity$)',
              message:
                'main/session/ is pure: no Node or other modules (obscenity, for the profanity filter, aside).',
            },
            {
              regex: '(^|/)(records|server|electron|renderer)(/|$)',
              message:
                'main/session/ is pure: it never imports the records, the server, Electron or the pages.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'queueMicrotask',
          'process',
          'Buffer',
          'require',
          'fetch',
          'performance',
          'crypto',
        ].map((name) => ({
          name,
          message:
            'main/session/ is pure: timers, I/O and the clock belong to the classroom, which passes time in.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'main/session/ is pure: time is passed in (now).',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'main/session/ is pure: ids are passed in.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'main/session/ is pure: time is passed in (now).',
        },
      ],
    },
  },
  {
    // The records store what the engine decided: they may know its operation types, nothing more.
    files: ['main/records/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            {
              regex: '(^|/)session/(?!ops$|state$)',
              message:
                'main/records/ may import only the engine’s operation and snapshot types (session/ops, session/state).',
            },
            {
              regex: '(^|/)session/(ops|state)$',
              allowTypeImports: true,
              message: 'main/records/ imports the engine’s types only (import type).',
            },
            { regex: '(^|/)server/', message: 'main/records/ never imports the server.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bin/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
