/** The address classifier behind provider egress: every spelling of an inside address is refused. */
import { describe, expect, it } from 'vitest';
import { blockedAddress, blockedName, isIpLiteral, parseIPv4 } from '../../server/http/address-class.js';

describe('blockedAddress', () => {
  const refused: [string, RegExp][] = [
    // IPv4, dotted
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.0.0.7', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /cloud metadata/],
    ['169.254.10.10', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['100.100.100.200', /cloud metadata/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['192.0.2.5', /documentation/],
    ['198.18.0.1', /benchmarking/],
    // IPv4, other spellings a URL parser accepts
    ['2130706433', /loopback/],
    ['0177.0.0.1', /loopback/],
    ['0x7f.0.0.1', /loopback/],
    ['0x7f000001', /loopback/],
    ['127.1', /loopback/],
    ['127.0.1', /loopback/],
    ['017700000001', /loopback/],
    ['0xA9.0xFE.0xA9.0xFE', /cloud metadata/],
    ['2852039166', /cloud metadata/],
    ['012.0.0.1', /private/],
    ['0', /unspecified/],
    ['127.0.0.1.', /loopback/],
    // IPv6
    ['::1', /loopback/],
    ['[::1]', /loopback/],
    ['0:0:0:0:0:0:0:1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['febf::1', /link-local/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['fd00:ec2::254', /cloud metadata/],
    ['ff02::1', /multicast/],
    ['fec0::1', /site-local/],
    ['2001:db8::1', /documentation/],
    // IPv6 forms that carry an IPv4 address
    ['::ffff:127.0.0.1', /loopback.*IPv4-mapped/],
    ['::ffff:7f00:1', /loopback.*IPv4-mapped/],
    ['[::ffff:a9fe:a9fe]', /cloud metadata.*IPv4-mapped/],
    ['::ffff:10.0.0.1', /private.*IPv4-mapped/],
    ['::127.0.0.1', /loopback.*IPv4-compatible/],
    ['::a00:1', /private.*IPv4-compatible/],
    ['::ffff:0:127.0.0.1', /loopback.*IPv4-translated/],
    ['64:ff9b::127.0.0.1', /loopback.*NAT64/],
    ['64:ff9b::a9fe:a9fe', /cloud metadata.*NAT64/],
    ['64:ff9b::c0a8:101', /private.*NAT64/],
    ['64:ff9b:1::1', /local-use NAT64/],
    ['2002:7f00:1::', /loopback.*6to4/],
    ['2002:c0a8:101::1', /private.*6to4/],
    ['2001:0:4136:e378::1', /Teredo/],
    // Not addresses at all
    ['example.com', /not an IP address/],
    ['256.1.1.1', /not an IP address/],
    ['1.2.3.4.5', /not an IP address/],
    ['08.1.1.1', /not an IP address/],
  ];
  it.each(refused)('refuses %s', (ip, why) => {
    expect(blockedAddress(ip)).toMatch(why);
  });

  const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.253.255.255', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2a00:1450:4001::200e', '0x5d.0xb8.0xd8.0x22'];
  it.each(allowed)('lets the public address %s through', (ip) => {
    expect(blockedAddress(ip)).toBeNull();
  });
});

describe('spellings', () => {
  it('reads IPv4 the way URLs do (and agrees with the WHATWG parser)', () => {
    for (const s of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f.0.0.1', '3232235777', '0300.0250.1.1']) {
      const viaUrl = new URL(`http://${s}/`).hostname;
      const n = parseIPv4(s)!;
      expect([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')).toBe(viaUrl);
    }
    expect(parseIPv4('1.2.3.256')).toBeNull();
    expect(parseIPv4('4294967296')).toBeNull();
  });

  it('tells literals from names, and refuses internal names before any lookup', () => {
    expect(isIpLiteral('[::1]')).toBe(true);
    expect(isIpLiteral('0x7f.1')).toBe(true);
    expect(isIpLiteral('cdn.example.com')).toBe(false);
    for (const n of ['localhost', 'LOCALHOST.', 'app.localhost', 'metadata.google.internal', 'metadata']) expect(blockedName(n)).toMatch(/internal/);
    expect(blockedName('storage.googleapis.com')).toBeNull();
  });
});
