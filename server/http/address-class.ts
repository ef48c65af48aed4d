/**
 * Which network addresses the server may be sent to by someone else's URL. Provider answers carry
 * URLs we fetch; a URL naming a loopback, private, link-local, CGNAT, unique-local or metadata
 * address would make us reach inside our own network for them (SSRF). Every spelling counts:
 * IPv4 in decimal, octal, hex or short form, and IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry.
 */
import { isIPv6 } from 'node:net';

/** Host names that are internal whatever they resolve to. */
const INTERNAL_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

type V4Range = readonly [base: number, bits: number, reason: string];

/** First match wins: the metadata address is named before the link-local block that holds it. */
const V4_BLOCKED: readonly V4Range[] = [
  [v4(169, 254, 169, 254), 32, 'a cloud metadata address'],
  [v4(100, 100, 100, 200), 32, 'a cloud metadata address'],
  [v4(255, 255, 255, 255), 32, 'the broadcast address'],
  [v4(0, 0, 0, 0), 8, 'an unspecified address'],
  [v4(10, 0, 0, 0), 8, 'a private address'],
  [v4(100, 64, 0, 0), 10, 'a carrier-grade NAT address'],
  [v4(127, 0, 0, 0), 8, 'a loopback address'],
  [v4(169, 254, 0, 0), 16, 'a link-local address'],
  [v4(172, 16, 0, 0), 12, 'a private address'],
  [v4(192, 0, 0, 0), 24, 'a reserved address'],
  [v4(192, 0, 2, 0), 24, 'a documentation address'],
  [v4(192, 88, 99, 0), 24, 'a reserved address'],
  [v4(192, 168, 0, 0), 16, 'a private address'],
  [v4(198, 18, 0, 0), 15, 'a benchmarking address'],
  [v4(198, 51, 100, 0), 24, 'a documentation address'],
  [v4(203, 0, 113, 0), 24, 'a documentation address'],
  [v4(224, 0, 0, 0), 4, 'a multicast address'],
  [v4(240, 0, 0, 0), 4, 'a reserved address'],
];

/**
 * Why connecting to `ip` is refused, or null for a public address. `ip` may be any IPv4 spelling
 * a URL parser accepts ("2130706433", "0177.0.0.1", "0x7f.1") or an IPv6 literal, with or without
 * brackets and zone. Anything that is not an IP address at all is refused too (say so, don't guess).
 */
export function blockedAddress(ip: string): string | null {
  const v4addr = parseIPv4(ip);
  if (v4addr !== null) return blockedV4(v4addr);
  const v6addr = parseIPv6(ip);
  if (v6addr !== null) return blockedV6(v6addr);
  return 'not an IP address';
}

/** Why a host name is refused before it is even resolved, or null. */
export function blockedName(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (INTERNAL_NAMES.has(name) || name.endsWith('.localhost')) return 'an internal host name';
  return null;
}

/** True when `host` is written as an IP address (any spelling) rather than a name. */
export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}

function blockedV4(addr: number): string | null {
  for (const [base, bits, reason] of V4_BLOCKED) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((addr & mask) >>> 0) === base) return reason;
  }
  return null;
}

function blockedV6(b: Uint8Array): string | null {
  const word = (i: number) => (b[i * 2]! << 8) | b[i * 2 + 1]!;
  const zero = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  const tail4 = (at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  const embedded = (at: number, how: string) => {
    const reason = blockedV4(tail4(at));
    return reason ? `${reason} (${how})` : null;
  };
  if (zero(0, 16)) return 'an unspecified address';
  if (zero(0, 15) && b[15] === 1) return 'a loopback address';
  // ::a.b.c.d (compatible), ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated) all reach IPv4.
  if (zero(0, 12)) return embedded(12, 'IPv4-compatible IPv6');
  if (zero(0, 10) && word(5) === 0xffff) return embedded(12, 'IPv4-mapped IPv6');
  if (zero(0, 8) && word(4) === 0xffff && word(5) === 0) return embedded(12, 'IPv4-translated IPv6');
  if (word(0) === 0x64 && word(1) === 0xff9b && zero(4, 12)) return embedded(12, 'NAT64');
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 1) return 'a local-use NAT64 address';
  if (word(0) === 0x2002) return embedded(2, '6to4');
  if (word(0) === 0x2001 && word(1) === 0) return 'a Teredo tunnel address';
  if (word(0) === 0x2001 && word(1) === 0x0db8) return 'a documentation address';
  if (word(0) === 0x0100 && zero(2, 8)) return 'a discard-only address';
  if (word(0) === 0xfd00 && word(1) === 0x0ec2 && zero(4, 14) && word(7) === 0x254) return 'a cloud metadata address';
  if ((b[0]! & 0xfe) === 0xfc) return 'a unique-local address';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'a link-local address';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'a site-local address';
  if (b[0] === 0xff) return 'a multicast address';
  return null;
}

/**
 * IPv4 as the WHATWG URL parser reads it: one to four parts, each decimal, octal (leading 0) or
 * hex (0x); the last part fills the remaining bytes ("127.1" is 127.0.0.1). Null when not IPv4.
 */
export function parseIPv4(text: string): number | null {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isSafeInteger(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), last) >>> 0;
}

/** An IPv6 literal (brackets and zone allowed) as 16 bytes, or null. */
export function parseIPv6(text: string): Uint8Array | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!isIPv6(bare)) return null;
  let head = bare;
  const out = new Uint8Array(16);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted) {
    const four = parseIPv4(dotted[1]!);
    if (four === null) return null;
    out.set([four >>> 24, (four >>> 16) & 255, (four >>> 8) & 255, four & 255], 12);
    head = `${bare.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const words = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const l = words(left);
  const r = words(right);
  const all = right === undefined ? l : [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  const keep = dotted ? 6 : 8;
  for (let i = 0; i < keep; i++) {
    out[i * 2] = all[i]! >> 8;
    out[i * 2 + 1] = all[i]! & 255;
  }
  return out;
}

function v4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}
