import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The Solid client. Built files go to client/dist (served by the Hono server); bundles live under
 * /static so nothing in the build shares a path prefix with the API (/api/assets/...).
 * `TAKEBOARD_CLIENT_OUT` lets tests build into a temporary folder.
 */
export default defineConfig({
  root,
  plugins: [solid()],
  build: {
    outDir: process.env.TAKEBOARD_CLIENT_OUT ?? 'dist',
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
