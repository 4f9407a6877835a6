import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Three pages, one build. The server serves them from out/renderer: console and projector on the
// loopback listener, the trainee page on the LAN listener.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'renderer/console/index.html'),
        projector: resolve(import.meta.dirname, 'renderer/projector/index.html'),
        trainee: resolve(import.meta.dirname, 'renderer/trainee/index.html'),
        // The records office page, served by `muster records-server serve` (not by the classroom server).
        office: resolve(import.meta.dirname, 'renderer/office/index.html'),
      },
    },
  },
});
