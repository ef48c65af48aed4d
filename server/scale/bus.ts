/**
 * How instances of Takeboard tell each other what happened: membership changes, job events,
 * queue wake-ups and (through the hub) live document updates. One instance alone uses the local
 * bus, which delivers nothing anywhere (everything already happens in-process); with REDIS_URL
 * it is Redis pub/sub. Messages an instance published itself are not delivered back to it.
 */
export type BusStatus = 'local' | 'ok' | 'down';

export interface Bus {
  readonly instanceId: string;
  publish(channel: string, payload: Uint8Array): void;
  subscribe(channel: string, listener: (payload: Uint8Array) => void): () => void;
  status(): BusStatus;
  /**
   * Takes a named lease for `ms` if nobody holds it (one compaction of a board at a time across
   * instances). The local bus always grants it. During an outage nobody gets it.
   */
  tryLease(key: string, ms: number): Promise<boolean>;
  /** Extends a lease this instance holds to `ms` from now; false when it no longer holds it. */
  renewLease(key: string, ms: number): Promise<boolean>;
  /** Gives up a lease this instance holds (someone else's is left alone). */
  releaseLease(key: string): Promise<void>;
  /** Called after the connection comes back from an outage: resync what may have been missed. */
  onRecover(listener: () => void): () => void;
  close(): Promise<void>;
}

export function createLocalBus(instanceId = 'local'): Bus {
  return {
    instanceId,
    publish() {},
    subscribe: () => () => {},
    status: () => 'local',
    tryLease: async () => true,
    renewLease: async () => true,
    releaseLease: async () => {},
    onRecover: () => () => {},
    async close() {},
  };
}

/** Pub/sub channels between instances; live sync fans out on its own (server/sync/fanout.ts). */
export const CHANNELS = {
  boardEvents: 'tb:board-events',
  jobEvents: 'tb:job-events',
  exportEvents: 'tb:export-events',
  /** Inbox unread counts, keyed by user id. */
  notifications: 'tb:notifications',
  queueWake: 'tb:queue-wake',
} as const;

const enc = new TextEncoder();
const dec = new TextDecoder();
export const jsonPayload = (v: unknown) => enc.encode(JSON.stringify(v));
export const parsePayload = <T>(p: Uint8Array): T => JSON.parse(dec.decode(p)) as T;
