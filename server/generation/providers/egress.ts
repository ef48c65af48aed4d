/**
 * The one door every outbound provider request goes through. Provider answers carry URLs (status,
 * result, output, download) that we then fetch; without this door a hostile or compromised
 * provider could make us reach our own network or cloud metadata, or collect our API key by
 * redirecting. So, for every hop (redirects are followed here, by hand, up to `maxRedirects`):
 *
 * - the scheme is https, or the scheme of the provider's configured base URL (http for tests);
 * - the host is resolved once, every address it resolves to must be public (`address-class.ts`),
 *   and the connection goes to exactly that checked address (`lookup` pinned), so DNS cannot
 *   change its answer between the check and the connect;
 * - the provider's credentials ride only on the adapter's own request to the provider's API
 *   origin, never on a redirect hop (a redirect may hand the request to storage or anyone).
 *
 * Hosts listed in `allowHosts` (EGRESS_ALLOW_HOSTS: `name` or `name:port`) skip the address check,
 * so a base URL on loopback (the tests' fake providers) works only when configured explicitly.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { blockedAddress, blockedName, isIpLiteral } from '../../http/address-class.js';
import { ProviderError } from './provider-error.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** What the operator (or a test) decides about egress; the same for every provider. */
export interface EgressOptions {
  /** `host` or `host:port` entries exempt from the address check (EGRESS_ALLOW_HOSTS). */
  allowHosts?: readonly string[];
  /** Every address a name resolves to (default: the system resolver). Tests inject names. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM), for tests' self-signed https fakes only. */
  ca?: string;
  /** false: a redirect is answered as it came, never followed (outgoing webhooks). Default true. */
  followRedirects?: boolean;
  /** The setting a refusal's hint names (default EGRESS_ALLOW_HOSTS). */
  allowSetting?: string;
}

export interface EgressRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Ask for the provider's credentials; they are added only on the provider's own API origin. */
  credentials?: boolean;
}

/**
 * Sends one request on an already checked address. The default one pins the connection; a
 * `fetch` given in the provider deps (tests that rewrite answers) replaces it, checks still run.
 */
export type Transport = (url: URL, req: EgressRequest & { method: string; headers: Record<string, string> }, pinned: ResolvedAddress | null) => Promise<Response>;

export interface Egress {
  fetch(url: string, req?: EgressRequest): Promise<Response>;
}

export const DEFAULT_MAX_REDIRECTS = 5;

/** Builds the door for one provider whose API lives at `apiBase`. */
export function createEgress(o: {
  provider: string;
  apiBase: string;
  credentials: () => Record<string, string>;
  options?: EgressOptions;
  fetch?: typeof fetch;
}): Egress {
  const base = new URL(o.apiBase);
  const allow = new Set((o.options?.allowHosts ?? []).map((h) => h.toLowerCase()));
  const resolve = o.options?.resolve ?? systemResolve;
  const maxRedirects = o.options?.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const transport: Transport = o.fetch ? viaFetch(o.fetch) : pinnedTransport(o.options?.ca);
  // A refusal on the first hop means nothing was sent; on a redirect hop the first request was.
  const refuse = (url: URL, why: string, hop: number) =>
    new ProviderError({
      kind: 'permanent',
      provider: o.provider,
      code: hop === 0 ? 'egress_refused' : 'egress_redirect_refused',
      providerMessage: `refused to connect to ${describe(url)}${hop === 0 ? '' : ' (where it was redirected)'}: ${why}`,
    });

  /** The checked address to connect to, a refusal, or null for an allowed host (trusted as configured). */
  const check = async (url: URL, hop: number, signal?: AbortSignal): Promise<ResolvedAddress | null> => {
    if (url.protocol !== 'https:' && url.protocol !== base.protocol) {
      throw refuse(url, `provider URLs must use https${base.protocol === 'https:' ? '' : ` or ${base.protocol.slice(0, -1)} like the configured base URL`}`, hop);
    }
    if (url.username || url.password) throw refuse(url, 'URLs with embedded credentials are not followed', hop);
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (allow.has(url.host) || allow.has(url.hostname)) return null;
    // The operator's own base URL on an inside address is a configuration question: say how to allow it.
    const hint = url.origin === base.origin ? ` (to use it anyway, list ${url.host} in ${o.options?.allowSetting ?? 'EGRESS_ALLOW_HOSTS'})` : '';
    if (isIpLiteral(hostname)) {
      const why = blockedAddress(hostname);
      if (why) throw refuse(url, `${hostname} is ${why}, not a public address${hint}`, hop);
      return { address: hostname, family: hostname.includes(':') ? 6 : 4 };
    }
    const nameWhy = blockedName(hostname);
    if (nameWhy) throw refuse(url, `${hostname} is ${nameWhy}${hint}`, hop);
    const addresses = await abortable(resolve(hostname), signal);
    if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    // Every answer must be public: a name that also resolves inside is refused, not filtered.
    for (const a of addresses) {
      const why = blockedAddress(a.address);
      if (why) throw refuse(url, `${hostname} resolves to ${a.address}, ${why}, not a public address${hint}`, hop);
    }
    return addresses[0]!;
  };

  return {
    async fetch(start, req = {}) {
      let url = new URL(start);
      let method = (req.method ?? 'GET').toUpperCase();
      let body = req.body;
      for (let hop = 0; ; hop++) {
        const pinned = await check(url, hop, req.signal);
        // Keys go on the adapter's own request to the API origin only, never on a redirect hop.
        const own = hop === 0 && url.origin === base.origin;
        const headers = { ...req.headers, ...(req.credentials && own ? o.credentials() : {}) };
        const res = await transport(url, { ...(req.signal ? { signal: req.signal } : {}), method, headers, ...(body !== undefined ? { body } : {}) }, pinned);
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || res.status === 304 || !location || o.options?.followRedirects === false) return res;
        await res.body?.cancel().catch(() => {});
        if (hop >= maxRedirects) throw refuse(url, `more than ${maxRedirects} redirects`, hop);
        const next = URL.parse(location, url);
        if (!next) throw refuse(url, 'it redirected to something that is not a URL', hop);
        url = next;
        // As browsers do: 303 (and 301/302 after a POST) turn into a GET without a body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
      }
    },
  };
}

/** `https://host:port` only: paths and queries of provider URLs often hold signed tokens. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * node:http(s) with `lookup` answering the checked address, so the socket connects to what was
 * checked. No keep-alive: a pooled socket would outlive the check it was made under.
 */
export function pinnedTransport(ca?: string): Transport {
  return (url, req, pinned) =>
    new Promise<Response>((resolve, reject) => {
      const lookup: LookupFunction | undefined = pinned
        ? (_host, opts, cb) => {
            if (opts.all) (cb as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
            else cb(null, pinned.address, pinned.family);
          }
        : undefined;
      const mod = url.protocol === 'https:' ? https : http;
      // identity: without Accept-Encoding a server may compress, and node:http would not undo it.
      const headers = { 'accept-encoding': 'identity', ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) };
      const request = mod.request(url, {
        method: req.method,
        headers,
        agent: false,
        ...(lookup ? { lookup } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(ca && url.protocol === 'https:' ? { ca } : {}),
      });
      request.once('error', reject);
      request.once('response', (res) => {
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 502;
        const empty = NULL_BODY.has(status) || req.method === 'HEAD';
        if (empty) res.resume();
        const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status: status < 200 || status > 599 ? 502 : status, headers }));
      });
      request.end(req.body);
    });
}

/** A test's fetch as the transport: same checks, manual redirects, no pinning. */
function viaFetch(f: typeof fetch): Transport {
  return (url, req) =>
    f(url.href, {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
}
