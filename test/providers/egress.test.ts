/** The egress door on its own: credentials, schemes, redirects, resolution once per hop, pinning. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgress, pinnedTransport, type ResolvedAddress } from '../../server/generation/providers/egress.js';
import { providerError } from './helpers.js';

const PUBLIC: ResolvedAddress = { address: '93.184.216.34', family: 4 };

/** A door whose transport is a recorder: every request it would have sent, answered by `answer`. */
function door(opts: { base?: string; answer?: (url: string) => Response; resolve?: (h: string) => Promise<ResolvedAddress[]>; allowHosts?: string[] } = {}) {
  const sent: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
  const resolved: string[] = [];
  const egress = createEgress({
    provider: 'test',
    apiBase: opts.base ?? 'https://api.provider.example/v1',
    credentials: () => ({ authorization: 'Bearer sk-secret' }),
    options: {
      allowHosts: opts.allowHosts ?? [],
      resolve: async (h) => {
        resolved.push(h);
        return opts.resolve ? opts.resolve(h) : [PUBLIC];
      },
    },
    fetch: async (input, init) => {
      const url = String(input);
      sent.push({ url, method: init?.method ?? 'GET', headers: { ...(init?.headers as Record<string, string>) }, ...(init?.body ? { body: String(init.body) } : {}) });
      return opts.answer?.(url) ?? new Response('ok');
    },
  });
  return { egress, sent, resolved };
}

const redirect = (to: string, status = 302) => new Response(null, { status, headers: { location: to } });

describe('egress', () => {
  it('adds credentials only on the first hop to the API origin', async () => {
    const d = door({
      answer: (u) => (u.endsWith('/start') ? redirect('https://api.provider.example/v1/again') : u.endsWith('/again') ? redirect('https://cdn.example/clip.mp4') : new Response('clip')),
    });
    await d.egress.fetch('https://api.provider.example/v1/start', { credentials: true });
    await d.egress.fetch('https://cdn.example/clip.mp4', { credentials: true });
    await d.egress.fetch('https://api.provider.example:8443/v1/x', { credentials: true });
    expect(d.sent.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['https://api.provider.example/v1/start', 'Bearer sk-secret'],
      ['https://api.provider.example/v1/again', undefined],
      ['https://cdn.example/clip.mp4', undefined],
      ['https://cdn.example/clip.mp4', undefined],
      ['https://api.provider.example:8443/v1/x', undefined],
    ]);
  });

  it('resolves each hop once and refuses a name with any inside answer (rebinding)', async () => {
    const answers = new Map<string, ResolvedAddress[]>([
      ['a.example', [PUBLIC]],
      ['b.example', [PUBLIC, { address: '10.1.2.3', family: 4 }]],
      ['c.example', [{ address: '::ffff:169.254.169.254', family: 6 }]],
    ]);
    const d = door({ resolve: async (h) => answers.get(h) ?? [], answer: (u) => (u.includes('a.example/1') ? redirect('https://a.example/2') : new Response('x')) });
    await d.egress.fetch('https://a.example/1');
    expect(d.resolved).toEqual(['a.example', 'a.example']);
    const mixed = await providerError(d.egress.fetch('https://b.example/x'));
    expect(mixed).toMatchObject({ kind: 'permanent', code: 'egress_refused' });
    expect(mixed.providerMessage).toBe('refused to connect to https://b.example: b.example resolves to 10.1.2.3, a private address, not a public address');
    expect((await providerError(d.egress.fetch('https://c.example/x'))).providerMessage).toMatch(/cloud metadata address \(IPv4-mapped IPv6\)/);
    await expect(d.egress.fetch('https://nowhere.example/x')).rejects.toThrow(/ENOTFOUND nowhere\.example/);
    expect(d.sent.map((s) => s.url)).toEqual(['https://a.example/1', 'https://a.example/2']);
  });

  it('never resolves IP literals, and allows only the exact allowed host:port', async () => {
    const d = door({ allowHosts: ['127.0.0.1:9000', 'fake.test'] });
    await d.egress.fetch('https://127.0.0.1:9000/x');
    await d.egress.fetch('https://fake.test:1234/x');
    const other = await providerError(d.egress.fetch('https://127.0.0.1:9001/x'));
    expect(other.providerMessage).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(d.resolved).toEqual([]);
    expect(d.sent).toHaveLength(2);
  });

  it('takes https, or the base URL scheme, and nothing else; no URLs with credentials', async () => {
    const secure = door();
    for (const url of ['http://cdn.example/x', 'ftp://cdn.example/x', 'file:///etc/passwd', 'https://user:pw@cdn.example/x']) {
      expect((await providerError(secure.egress.fetch(url))).code, url).toBe('egress_refused');
    }
    expect(secure.sent).toEqual([]);
    const plain = door({ base: 'http://proxy.example' });
    await plain.egress.fetch('http://cdn.example/x');
    expect(plain.sent).toHaveLength(1);
  });

  it('follows at most 5 redirects, each checked; 303 turns a POST into a GET without its body', async () => {
    let n = 0;
    const loop = door({ answer: () => redirect(`https://cdn.example/${++n}`) });
    const err = await providerError(loop.egress.fetch('https://cdn.example/0'));
    expect(err).toMatchObject({ code: 'egress_redirect_refused' });
    expect(err.providerMessage).toMatch(/more than 5 redirects/);
    expect(loop.sent).toHaveLength(6);
    const post = door({ answer: (u) => (u.endsWith('/submit') ? redirect('https://api.provider.example/v1/result', 303) : new Response('{}')) });
    await post.egress.fetch('https://api.provider.example/v1/submit', { method: 'POST', body: '{"a":1}' });
    expect(post.sent.map((s) => [s.method, s.body])).toEqual([['POST', '{"a":1}'], ['GET', undefined]]);
    const inside = door({ answer: () => redirect('http://[::1]/admin') });
    expect((await providerError(inside.egress.fetch('https://cdn.example/x'))).providerMessage).toMatch(/where it was redirected/);
  });
});

describe('pinned transport', () => {
  let server: http.Server;
  let port = 0;
  const hosts: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.end('pinned');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to the checked address, not to whatever the name resolves to now', async () => {
    // `pinned.invalid` resolves nowhere: the request only arrives because the checked address is used.
    const res = await pinnedTransport()(new URL(`http://pinned.invalid:${port}/x`), { method: 'GET', headers: {} }, { address: '127.0.0.1', family: 4 });
    expect(await res.text()).toBe('pinned');
    expect(hosts).toEqual([`pinned.invalid:${port}`]);
    const unpinned = pinnedTransport()(new URL(`http://pinned.invalid:${port}/x`), { method: 'GET', headers: {} }, null);
    await expect(unpinned).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
  });

});
