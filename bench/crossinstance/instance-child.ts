/**
 * Child process entry for the cross-instance suite: one Takeboard instance over the shared
 * libSQL file in `argv[2]`'s directory, fanning out through the Redis at `argv[3]`
 * (server/scale/redis-bus.ts), sync rate limits raised so the limiter is not what is measured.
 * Says "ready" once its Redis subscriber is up, so no early update is dropped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { serveParent } from '../lib/child.js';
import { startTestServer } from '../../test/helpers/server.js';
import { createLogger } from '../../server/lib/log.js';
import { createRedisBus } from '../../server/scale/redis-bus.js';

export interface InstanceInfo {
  /** The app's own origin (HTTP), for API calls and the Origin header. */
  origin: string;
  /** The sync endpoint on the loopback address. */
  url: string;
}

async function main() {
  const [dataDir, redisUrl] = process.argv.slice(2);
  if (!dataDir || !redisUrl) throw new Error('usage: instance-child.ts <dataDir> <redisUrl>');
  const bus = createRedisBus(redisUrl, createLogger('error'));
  const server = await startTestServer({
    dataDir,
    app: {
      bus,
      sync: { limits: { updatesPerSecond: 1e6, updateBurst: 1e6, maxConnectionsPerUser: 10_000 } },
      generation: { startWorker: false },
      orphans: { everyMs: 0 },
    },
  });
  for (let i = 0; bus.status() !== 'ok'; i++) {
    if (i > 200) throw new Error(`the Redis bus did not come up (status ${bus.status()})`);
    await sleep(25);
  }
  let cpu = process.cpuUsage();
  serveParent(
    {
      info: (): InstanceInfo => ({ origin: server.origin, url: `ws://127.0.0.1:${new URL(server.url).port}/sync` }),
      /** CPU time since the previous "stats". */
      stats: () => {
        const now = process.cpuUsage();
        const cpuMs = (now.user - cpu.user + now.system - cpu.system) / 1000;
        cpu = now;
        return { cpuMs };
      },
    },
    async () => {
      await server.close();
      await bus.close();
    },
  );
  process.send?.({ type: 'ready' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
