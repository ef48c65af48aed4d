import { createLocalBus, type Bus } from '../scale/bus.js';
import { createSyncCore, type Cluster, type SyncCoreOptions } from './core.js';
import { decodeFanout, encodeFanout, FANOUT_CHANNEL } from './fanout.js';

export { DEFAULT_COMPACTION, type HubConnection, type SyncPeer } from './core.js';

export interface DocHubOptions extends Omit<SyncCoreOptions, 'cluster'> {
  /**
   * Other instances serving the same boards (Redis). Stored updates and presence are fanned
   * out through it; compaction takes a lease on it. The local bus makes this a single instance.
   */
  bus?: Bus;
}

/**
 * The live-sync hub: the transport-free room core (core.ts) with the bus as its cluster
 * adapter. What the core stores or hears from its clients is published on the bus (fanout.ts
 * encodes it); what other instances publish is handed to the core; after a bus outage every
 * loaded board catches up with storage. The WebSocket adapter is sync.routes.ts.
 */
export function createDocHub(opts: DocHubOptions) {
  const { bus = createLocalBus(), ...coreOpts } = opts;
  const cluster: Cluster = {
    // Alone (the local bus), nobody hears it: not even encoded.
    publish: (m) => void (bus.status() !== 'local' && bus.publish(FANOUT_CHANNEL, encodeFanout(m))),
    tryLease: (key, ms) => bus.tryLease(key, ms),
    shared: () => bus.status() !== 'local',
  };
  const core = createSyncCore({ ...coreOpts, cluster });
  const unsubscribe = bus.subscribe(FANOUT_CHANNEL, (payload) => {
    let m;
    try {
      m = decodeFanout(payload);
    } catch (err) {
      return opts.log.warn('ignored an unreadable fan-out message', { err: String(err) });
    }
    core.remote(m);
  });
  // Messages may have been missed while Redis was away: take what storage holds now.
  const stopRecover = bus.onRecover(() => core.resync());
  const { remote: _remote, resync: _resync, ...api } = core;
  return {
    ...api,
    /** Closes the core (every socket told to reconnect soon, writes stored), then leaves the bus. */
    async close() {
      const closed = core.close();
      unsubscribe();
      stopRecover();
      await closed;
    },
  };
}

export type DocHub = ReturnType<typeof createDocHub>;
