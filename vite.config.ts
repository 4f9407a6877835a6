import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const here = import.meta.dirname;
const outDir = resolve(here, 'out/renderer');

/**
 * The pages are built in two passes into out/renderer: console, projector and records office
 * (the loopback listener; the office is served by the records server) in the default mode, then the trainee page (the LAN listener)
 * in mode `trainee`, after them (scripts/build.mjs runs both).
 *
 * The trainee page is the same React code, rendered on the phone by Preact through preact/compat:
 * React and ReactDOM are ~58 KB compressed, more than the whole page may weigh on the room's radio
 * (the budget in scripts/page-budget.mjs); Preact is ~5 KB. Only the build aliases differ — the
 * components, hooks, JSX and types are React's, so the team keeps one component model.
 */
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'trainee')
    return {
      root: 'renderer',
      base: '/',
      plugins: [react()],
      resolve: {
        alias: [
          { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
          { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
          { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
          { find: /^react-dom$/, replacement: 'preact/compat' },
          { find: /^react$/, replacement: 'preact/compat' },
        ],
      },
      build: {
        outDir,
        emptyOutDir: false,
        sourcemap: true,
        rollupOptions: { input: { trainee: resolve(here, 'renderer/trainee/index.html') } },
      },
    };
  return {
    root: 'renderer',
    base: '/',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: true,
      rollupOptions: {
        input: {
          console: resolve(here, 'renderer/console/index.html'),
          projector: resolve(here, 'renderer/projector/index.html'),
          // The records office page, served by `muster records-server serve` (not by the classroom server).
          office: resolve(here, 'renderer/office/index.html'),
        },
      },
    },
  };
});
