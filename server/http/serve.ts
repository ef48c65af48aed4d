import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { TakeboardApp } from '../app.js';
import { dropStalledBodies } from './slow-bodies.js';

export const HEADERS_TIMEOUT_MS = 10_000;
export const BODY_STALL_MS = 10_000;

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens first and builds the app second, so that with PORT=0 the app can be told the origin
 * it is actually reached on.
 */
export async function serve(
  build: (origin: string) => TakeboardApp,
  opts: { port: number; host: string; publicOrigin?: string; headersTimeoutMs?: number; bodyStallMs?: number },
): Promise<Listening & { takeboard: TakeboardApp }> {
  let takeboard: TakeboardApp | undefined;
  const server = createAdaptorServer({
    fetch: (req, env) => takeboard!.app.fetch(req, env),
    // A connection that never finishes its request head (or never sends one) is dropped after
    // 10 s, checked every second: a flood of them is bounded in time, not only by memory. No
    // total request deadline (Node's 300 s would cut off a long upload): a body is held to
    // keeping on flowing instead (slow-bodies.ts).
    serverOptions: { headersTimeout: opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, requestTimeout: 0, connectionsCheckingInterval: 1000 },
  }) as Server;
  const stopWatchingBodies = dropStalledBodies(server, { stallMs: opts.bodyStallMs ?? BODY_STALL_MS });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = opts.host === '0.0.0.0' || opts.host === '127.0.0.1' ? 'localhost' : opts.host;
  const url = `http://${hostForUrl}:${port}`;
  takeboard = build(opts.publicOrigin ?? url);
  takeboard.attach(server);
  return {
    server,
    url,
    port,
    takeboard,
    async close() {
      // Stop accepting first, then let the app store and hand back its work, then drop the rest.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await takeboard!.close();
      stopWatchingBodies();
      server.closeAllConnections?.();
      await closed;
    },
  };
}
