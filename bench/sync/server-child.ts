/**
 * Child process entry: runs one sync server under test on 127.0.0.1 so it has an event loop and
 * a core of its own, apart from the clients. `argv[2]` names the target, `argv[3]` is a JSON
 * object of options. Replies to "stats" with its CPU time, event-loop utilisation and the
 * longest event-loop stall since the previous "stats".
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { serveParent } from '../lib/child.js';
import { startHocuspocus } from './hocuspocus-server.js';
import { startPlainRelay } from './plain-relay.js';
import { startTakeboard } from './takeboard-server.js';

export interface ServerInfo {
  url: string;
  room: string;
  origin?: string;
  cookies?: string[];
}

async function main() {
  const target = process.argv[2];
  const opts = JSON.parse(process.argv[3] ?? '{}') as { users?: number; room?: string };
  let info: ServerInfo;
  let close: () => Promise<unknown>;
  if (target === 'takeboard' || target === 'takeboard-memory') {
    const s = await startTakeboard(opts.users ?? 4, target === 'takeboard-memory');
    info = { url: s.url, room: s.room, origin: s.origin, cookies: s.cookies };
    close = s.close;
  } else if (target === 'hocuspocus') {
    const s = await startHocuspocus();
    info = { url: s.url, room: opts.room ?? 'bench-board' };
    close = s.close;
  } else if (target === 'floor') {
    const s = await startPlainRelay();
    info = { url: s.url, room: opts.room ?? 'bench-board' };
    close = s.close;
  } else {
    throw new Error(`unknown sync target "${target}"`);
  }
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  // How long the loop was held up at a stretch: the delay every message in the queue then waits.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  serveParent(
    {
      info: () => info,
      /** CPU and event-loop use since the previous "stats" (or start). */
      stats: () => {
        const nowElu = performance.eventLoopUtilization();
        const nowCpu = process.cpuUsage();
        const d = performance.eventLoopUtilization(nowElu, elu);
        const cpuMs = (nowCpu.user - cpu.user + nowCpu.system - cpu.system) / 1000;
        elu = nowElu;
        cpu = nowCpu;
        const loopDelayMaxMs = delay.max / 1e6;
        const loopDelayP99Ms = delay.percentile(99) / 1e6;
        delay.reset();
        return { cpuMs, elu: d.utilization, rssMb: process.memoryUsage().rss / 2 ** 20, loopDelayMaxMs, loopDelayP99Ms };
      },
    },
    async () => {
      await close();
    },
  );
  process.send?.({ type: 'ready' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
