/**
 * What every fake provider shares: a scriptable job state machine, recorded submissions, a video file
 * it serves itself, a "hang" switch for timeouts, and a real HTTP server on 127.0.0.1, port 0.
 */
import { serve } from '@hono/node-server';
import type { Hono, MiddlewareHandler } from 'hono';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type Outcome = 'succeed' | 'failure' | 'safety';

export interface FakeScript {
  /** Status reads that answer queued, then running, before the final state (default 2). */
  pollsBeforeDone?: number;
  failWith?: 'failure' | 'safety';
  /** The next N submissions answer 429 with the provider's body. */
  rateLimitFirst?: number;
  /** The next N submissions answer 5xx. */
  serverErrorFirst?: number;
  /** API requests never answer (until the fake closes). */
  hang?: boolean;
  /** Submissions answer 200 with a body that is not JSON. */
  garbage?: boolean;
  /** Runway: queued tasks answer THROTTLED instead of PENDING. */
  throttled?: boolean;
  /** A hostile provider: the output URL it reports for `job` instead of its own `/files/` one. */
  videoUrl?: (job: FakeJob) => string | undefined;
  /** A hostile provider: answers any request (redirects, HTML, endless bodies) before the fake does. */
  intercept?: (req: Request) => Response | undefined;
}

export interface Submission {
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeJob {
  id: string;
  path: string;
  input: unknown;
  outcome: Outcome;
  reads: number;
  pollsBeforeDone: number;
  canceled: boolean;
  webhookUrl?: string;
}

export type Phase = 'queued' | 'running' | 'canceled' | Outcome;

/** Mutable state behind one fake server. */
export class FakeState {
  readonly submissions: Submission[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** Every request as `METHOD /path?query`, to check which URLs an adapter used. */
  readonly log: string[] = [];
  /** Every credential the fake was shown, valid or not, to check none leaks into errors. */
  readonly credentials = new Set<string>();
  attempts = 0;
  script: FakeScript = {};
  private seq = 0;
  private hung: (() => void)[] = [];

  constructor(readonly prefix: string) {}

  /** What the next submission should get instead of a job, if anything; consumes counters. */
  gate(): 'rate_limit' | 'server_error' | 'garbage' | undefined {
    this.attempts += 1;
    if (this.script.rateLimitFirst) {
      this.script.rateLimitFirst -= 1;
      return 'rate_limit';
    }
    if (this.script.serverErrorFirst) {
      this.script.serverErrorFirst -= 1;
      return 'server_error';
    }
    return this.script.garbage ? 'garbage' : undefined;
  }

  /** Records an accepted submission and its job. */
  create(path: string, body: unknown, headers: Headers, webhookUrl?: string): FakeJob {
    this.submissions.push({ path, body, headers: Object.fromEntries(headers.entries()) });
    this.seq += 1;
    const job: FakeJob = {
      id: `${this.prefix}${this.seq}${Math.random().toString(36).slice(2, 8)}`,
      path,
      input: body,
      outcome: this.script.failWith ?? 'succeed',
      reads: 0,
      pollsBeforeDone: this.script.pollsBeforeDone ?? 2,
      canceled: false,
      ...(webhookUrl ? { webhookUrl } : {}),
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** One status read: queued, running, then the outcome. */
  advance(job: FakeJob): Phase {
    if (job.canceled) return 'canceled';
    job.reads += 1;
    return this.peek(job);
  }

  /** The phase without counting a read. */
  peek(job: FakeJob): Phase {
    if (job.canceled) return 'canceled';
    if (job.reads === 0) return 'queued';
    if (job.reads <= job.pollsBeforeDone) return job.reads === 1 && job.pollsBeforeDone > 1 ? 'queued' : 'running';
    return job.outcome;
  }

  /** Where the finished clip of `job` is, as the fake reports it (`own` unless scripted otherwise). */
  outputUrl(job: FakeJob, own: string): string {
    return this.script.videoUrl?.(job) ?? own;
  }

  /** Middleware that logs each request, lets `intercept` answer, and never answers while `hang` is scripted (downloads excepted). */
  hangMiddleware(): MiddlewareHandler {
    return async (c, next) => {
      const url = new URL(c.req.url);
      this.log.push(`${c.req.method} ${url.pathname}${url.search}`);
      const intercepted = this.script.intercept?.(c.req.raw);
      if (intercepted) return intercepted;
      if (this.script.hang && !c.req.path.includes('/files/')) {
        await new Promise<void>((resolve) => this.hung.push(resolve));
        return c.body(null, 503);
      }
      await next();
    };
  }

  release(): void {
    for (const resolve of this.hung.splice(0)) resolve();
  }

  reset(): void {
    this.release();
    this.submissions.length = 0;
    this.log.length = 0;
    this.credentials.clear();
    this.jobs.clear();
    this.attempts = 0;
    this.script = {};
  }
}

/** The bytes every fake serves as its finished clip. */
export const VIDEO_BYTES = new Uint8Array(Buffer.from('\u0000\u0000\u0000\u0018ftypmp42fake-video-bytes'));

export interface FakeHandle {
  /** Server origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** `127.0.0.1:41234`: what a test puts in the egress allow-list to reach this fake on loopback. */
  host: string;
  /** What to pass as the adapter's base URL. */
  baseUrl: string;
  key: string;
  state: FakeState;
  readonly submissions: Submission[];
  videoBytes: Uint8Array;
  script(s: FakeScript): void;
  reset(): void;
  close(): Promise<void>;
}

/** A certificate and key for an https fake (see test/helpers/tls.ts). */
export interface FakeTls {
  key: string;
  cert: string;
}

/** Serves `app` on 127.0.0.1:0 (https with `tls`) and returns the handle pieces. */
export async function listen(app: Hono, state: FakeState, tls?: FakeTls): Promise<{ origin: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const base = { fetch: app.fetch, hostname: '127.0.0.1', port: 0 };
    const s = tls ? serve({ ...base, createServer: createHttpsServer, serverOptions: tls }, () => resolve(s)) : serve(base, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        state.release();
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds the common handle around a listening fake. */
export function handle(
  state: FakeState,
  server: { origin: string; close(): Promise<void> },
  extra: { baseUrl: string; key: string },
): FakeHandle {
  return {
    ...server,
    ...extra,
    host: new URL(server.origin).host,
    state,
    submissions: state.submissions,
    videoBytes: VIDEO_BYTES,
    script: (s) => {
      state.script = { ...state.script, ...s };
    },
    reset: () => state.reset(),
  };
}

/**
 * Provider deps that let adapters reach these fakes on loopback: egress refuses non-public
 * addresses unless a host is allowed explicitly (EGRESS_ALLOW_HOSTS in production).
 */
export function allowFakes(...hosts: ({ host: string } | string)[]): { egress: { allowHosts: string[] } } {
  return { egress: { allowHosts: hosts.map((h) => (typeof h === 'string' ? h : h.host)) } };
}

/** Sends the clip from `/files/:name`. */
let servedVideo: Uint8Array<ArrayBuffer> = VIDEO_BYTES as Uint8Array<ArrayBuffer>;

/** What every fake serves as the finished clip; a queue test sets a real MP4 so it can be probed. */
export function setServedVideo(bytes: Uint8Array | null): void {
  servedVideo = (bytes ?? VIDEO_BYTES) as Uint8Array<ArrayBuffer>;
}

export function videoResponse(): Response {
  return new Response(servedVideo, { headers: { 'content-type': 'video/mp4' } });
}

/** A body that is not JSON, as a broken proxy would send. */
export function garbageResponse(): Response {
  return new Response('<html><body>502 Bad Gateway</body></html>{', {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}

/** Records a presented credential (the part after `scheme`, '' for a bare header) and says whether it matches. */
export function checkCredential(state: FakeState, header: string | undefined, scheme: string, key: string): boolean {
  if (!header) return false;
  const prefix = scheme ? `${scheme} ` : '';
  const value = header.startsWith(prefix) ? header.slice(prefix.length) : header;
  state.credentials.add(value);
  return header === `${prefix}${key}`;
}
