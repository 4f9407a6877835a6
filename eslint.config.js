// Lint rules, including the import boundaries of docs/ARCHITECTURE.md ("The rules, and what
// enforces them", rule 1). tests/unit/boundaries.test.ts checks the same rules by scanning imports,
// so a broken boundary fails both `npm run lint` and `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronOnly = {
  paths: [
    { name: 'electron', message: 'Only main/electron/ may import electron (docs/ARCHITECTURE.md, rule 1).' },
    { name: 'electron-store', message: 'Only main/electron/ may import electron-store.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-output/', 'content/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
        { ...electronOnly, patterns: [{ group: ['**/main/*', '**/main'], message: 'renderer/ never imports main/.' }] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'react', 'react-dom', '**/main/*', '**/renderer/*'], message: 'shared/ imports neither Node, DOM/React, main nor renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
