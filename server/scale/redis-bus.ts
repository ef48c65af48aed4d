import { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';
import { newId } from '../lib/ids.js';
import type { Bus, BusStatus } from './bus.js';

// Compare-and-act in one step on the server, so a lease that lapsed and went to another
// instance is never extended or deleted by its previous holder.
const RENEW_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The bus over Redis pub/sub (ioredis, one publisher and one subscriber connection). Frames are
 * `<instanceId>\n<payload>` so an instance skips its own. During an outage publishes are dropped
 * (this instance keeps serving its own clients: "this instance only") and `status()` says 'down';
 * when Redis is back, recovery listeners run so the hub can resync from storage.
 */
export function createRedisBus(url: string, log: Logger): Bus {
  const instanceId = newId();
  const prefix = Buffer.from(`${instanceId}\n`);
  const opts = { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
  const pub = new Redis(url, opts);
  const sub = new Redis(url, { ...opts, enableOfflineQueue: true });
  const listeners = new Map<string, Set<(p: Uint8Array) => void>>();
  const recover = new Set<() => void>();
  let status: BusStatus = 'down';
  let wasDown = false;

  const markDown = (err?: unknown) => {
    if (status !== 'down') log.warn('Redis is unreachable: serving this instance only until it is back', { err: String(err ?? '') });
    status = 'down';
    wasDown = true;
  };
  pub.on('error', markDown);
  sub.on('error', markDown);
  pub.on('close', () => markDown());
  sub.on('ready', () => {
    const channels = [...listeners.keys()];
    const resubscribed = channels.length ? sub.subscribe(...channels) : Promise.resolve();
    void resubscribed.then(() => {
      status = 'ok';
      if (wasDown) {
        wasDown = false;
        log.info('Redis is back: resyncing');
        for (const l of recover) l();
      }
    });
  });
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    if (message.subarray(0, prefix.length).equals(prefix)) return;
    const nl = message.indexOf(10);
    if (nl < 0) return;
    const payload = new Uint8Array(message.buffer, message.byteOffset + nl + 1, message.length - nl - 1);
    for (const l of listeners.get(channel.toString()) ?? []) {
      try {
        l(payload);
      } catch (err) {
        log.error('bus listener failed', { channel: channel.toString(), err });
      }
    }
  });

  return {
    instanceId,
    publish(channel, payload) {
      if (status !== 'ok') return;
      pub.publish(channel, Buffer.concat([prefix, payload])).catch(markDown);
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        if (sub.status === 'ready') void sub.subscribe(channel).catch(markDown);
      }
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0) {
          listeners.delete(channel);
          if (sub.status === 'ready') void sub.unsubscribe(channel).catch(() => {});
        }
      };
    },
    status: () => status,
    async tryLease(key, ms) {
      if (status !== 'ok') return false;
      try {
        return (await pub.set(`tb:lease:${key}`, instanceId, 'PX', ms, 'NX')) === 'OK';
      } catch {
        return false;
      }
    },
    async renewLease(key, ms) {
      if (status !== 'ok') return false;
      try {
        return (await pub.eval(RENEW_IF_MINE, 1, `tb:lease:${key}`, instanceId, ms)) === 1;
      } catch {
        return false;
      }
    },
    async releaseLease(key) {
      if (status !== 'ok') return;
      await pub.eval(RELEASE_IF_MINE, 1, `tb:lease:${key}`, instanceId).catch(() => {});
    },
    onRecover(listener) {
      recover.add(listener);
      return () => recover.delete(listener);
    },
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
