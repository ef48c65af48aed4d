import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The address a request came from, for throttling per client. X-Forwarded-For is read only when
 * the peer is one of the configured proxies (TRUSTED_PROXIES): anyone can send the header, so
 * believing it from everyone would let each guess claim a fresh address. Behind trusted proxies
 * the answer is the rightmost address that is not a proxy of ours, the one our nearest proxy saw.
 */
export type ClientAddress = (c: Context) => string;

const plain = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

export function clientAddressOf(trustedProxies: readonly string[] = []): ClientAddress {
  const trusted = new Set(trustedProxies.map(plain));
  return (c) => {
    const peer = plain(peerAddress(c));
    if (!trusted.has(peer)) return peer;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => plain(h.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (!isIP(hop)) break; // a garbled chain: what our own proxy is known to be is all we trust
      if (!trusted.has(hop)) return hop;
    }
    return peer;
  };
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
