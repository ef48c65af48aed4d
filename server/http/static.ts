import fs from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Takeboard</title></head>
<body><h1>Takeboard</h1><p>The server is running. The web client has not been built yet.</p></body></html>`;

/**
 * Serves the built client from `dir`, falling back to index.html for client-side routes
 * (/boards/:id, /invite/:token). Without a build, a placeholder page says so.
 */
export function mountClient(app: Hono<any>, dir: string | undefined) {
  const index = dir ? path.join(dir, 'index.html') : undefined;
  if (!dir || !index || !fs.existsSync(index)) {
    app.get('*', (c) => c.html(PLACEHOLDER));
    return;
  }
  const root = path.relative(process.cwd(), dir) || '.';
  app.use('/assets/*', serveStatic({ root }));
  app.use('*', serveStatic({ root }));
  app.get('*', (c) => c.html(fs.readFileSync(index, 'utf8')));
}
