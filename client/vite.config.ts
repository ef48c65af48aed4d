import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The Solid client. `npm run build` writes it to dist/client, beside the compiled server, which
 * serves it; bundles live under /static so nothing in the build shares a path prefix with the API
 * (/api/assets/...). Tests build into temporary folders (test/e2e/client-build.ts).
 */
export default defineConfig({
  root,
  plugins: [solid()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    assetsDir: 'static',
    target: 'es2022',
    sourcemap: false,
    // The Solid transform is the slow part of a build and that is expected: no timing report.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8787',
      '/sync': { target: 'ws://localhost:8787', ws: true },
    },
  },
});
