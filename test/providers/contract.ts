/**
 * The one contract every hosted adapter passes against its fake server: success with download, failure,
 * an output URL on an inside address, safety refusal, 429 then success, 5xx, cancel, timeouts, garbage JSON, and no secret in any error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { ProviderError } from '../../server/generation/providers/provider-error.js';
import type { CancelOutcome, ProviderAdapter, ProviderStatus } from '../../server/generation/providers/provider.js';
import type { FakeHandle } from './fakes/core.js';
import { expectNoSecrets, expectReadable, pollToEnd, providerError, testMedia } from './helpers.js';

export interface ContractCase {
  name: string;
  start(): Promise<FakeHandle>;
  /** The adapter pointed at the fake; `badKey` swaps in a wrong key, `timeoutMs` sets the request timeout. */
  adapter(fake: FakeHandle, opts?: { badKey?: boolean; timeoutMs?: number }): ProviderAdapter;
  request: VideoJobRequest;
  /** Every secret the adapter holds (keys), for the leak checks. */
  secrets(fake: FakeHandle): string[];
  failureReason: RegExp;
  /** The wait the service states on its 429, when it states one. */
  retryAfterMs?: number;
  cancel: { outcome: CancelOutcome; thenPolls?: 'canceled' };
}

export function providerContract(c: ContractCase): void {
  let fake: FakeHandle;
  let adapter: ProviderAdapter;
  const ctx = () => ({ media: testMedia() });
  const clean = (err: Parameters<typeof expectNoSecrets>[0]) => expectNoSecrets(err, fake, c.secrets(fake));

  beforeAll(async () => {
    fake = await c.start();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    adapter = c.adapter(fake);
  });

  it('lists its models, including the one under test, with capabilities and prices', () => {
    const ids = adapter.models().map((m) => m.id);
    expect(ids).toContain(c.request.model);
    for (const m of adapter.models()) {
      expect(m.id.startsWith(`${adapter.id}:`)).toBe(true);
      expect(m.provider).toBe(adapter.id);
      expect(m.modes.length).toBeGreaterThan(0);
    }
    expect(adapter.validate(c.request)).toEqual([]);
  });

  it('submits once, polls to succeeded and downloads the clip', async () => {
    const { providerJobId, requestId } = await adapter.submit(c.request, ctx());
    expect(adapter.requestIdOf(providerJobId)).toBe(requestId);
    const { seen, final } = await pollToEnd(adapter, providerJobId);
    expect(seen.slice(0, -1).every((s) => s.state === 'queued' || s.state === 'running')).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    if (final.state !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(final)}`);
    const res = await adapter.download(final.videoUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(fake.videoBytes);
    expect(fake.submissions).toHaveLength(1);
  });

  it('refuses to download a finished clip the service places on an inside address, before connecting', async () => {
    const inside = ['http://10.0.0.7/clip.mp4', 'http://[::ffff:169.254.169.254]/latest/meta-data/', 'http://0x7f.1:80/clip.mp4'];
    for (const url of inside) {
      fake.script({ videoUrl: () => url });
      const { providerJobId } = await adapter.submit(c.request, ctx());
      const { final } = await pollToEnd(adapter, providerJobId);
      if (final.state !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(final)}`);
      expect(final.videoUrl).toBe(url);
      const err = await providerError(adapter.download(final.videoUrl));
      expect(err).toMatchObject({ kind: 'permanent', code: 'egress_refused' });
      expect(err.providerMessage).toMatch(/is a (private|cloud metadata|loopback) address/);
      clean(err);
    }
  });

  it("reports a failed generation with the provider's reason", async () => {
    fake.script({ failWith: 'failure' });
    const { providerJobId } = await adapter.submit(c.request, ctx());
    const { final } = await pollToEnd(adapter, providerJobId);
    if (final.state !== 'failed') throw new Error(`expected failure, got ${JSON.stringify(final)}`);
    expect(final.reason).toMatch(c.failureReason);
    expectReadable(final.reason);
  });

  it('turns a safety refusal into a permanent outcome with a readable reason', async () => {
    fake.script({ failWith: 'safety' });
    const outcome: ProviderStatus | ProviderError = await adapter.submit(c.request, ctx()).then(
      async ({ providerJobId }) => (await pollToEnd(adapter, providerJobId)).final,
      (err: unknown) => providerError(Promise.reject(err)),
    );
    if (outcome instanceof ProviderError) {
      expect(outcome.kind).toBe('safety');
      expect(outcome.retryable).toBe(false);
      expectReadable(outcome.providerMessage);
      clean(outcome);
    } else {
      if (outcome.state !== 'failed') throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
      expect(outcome.permanent).toBe(true);
      expect(outcome.safety).toBe(true);
      expectReadable(outcome.reason);
    }
  });

  it('answers 429 with rate_limited (and the stated wait), then succeeds with one accepted submission', async () => {
    fake.script({ rateLimitFirst: 1 });
    const err = await providerError(adapter.submit(c.request, ctx()));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(c.retryAfterMs);
    clean(err);
    const { providerJobId } = await adapter.submit(c.request, ctx());
    expect((await pollToEnd(adapter, providerJobId)).final.state).toBe('succeeded');
    expect(fake.submissions).toHaveLength(1);
    expect(fake.state.attempts).toBe(2);
  });

  it('answers a server error with transient', async () => {
    fake.script({ serverErrorFirst: 1 });
    const err = await providerError(adapter.submit(c.request, ctx()));
    expect(err.kind).toBe('transient');
    expect(err.status).toBeGreaterThanOrEqual(500);
    clean(err);
  });

  it('cancels a queued job', async () => {
    const { providerJobId } = await adapter.submit(c.request, ctx());
    expect(await adapter.cancel(providerJobId)).toBe(c.cancel.outcome);
    if (c.cancel.thenPolls) expect((await adapter.poll(providerJobId)).state).toBe(c.cancel.thenPolls);
  });

  it('does not cancel a finished job', async () => {
    const { providerJobId } = await adapter.submit(c.request, ctx());
    await pollToEnd(adapter, providerJobId);
    const outcome = await adapter.cancel(providerJobId);
    expect(['too_late', 'unsupported']).toContain(outcome);
    expect((await adapter.poll(providerJobId)).state).toBe('succeeded');
  });

  describe('timeouts', () => {
    it("turns the caller's abort into a transient error", async () => {
      fake.script({ hang: true });
      const err = await providerError(adapter.submit(c.request, { ...ctx(), signal: AbortSignal.timeout(100) }));
      expect(err.kind).toBe('transient');
      expect(err.providerMessage).toMatch(/timed out|aborted/);
      clean(err);
    });

    it('gives up after its own request timeout, as transient', async () => {
      const slow = c.adapter(fake, { timeoutMs: 100 });
      const { providerJobId } = await slow.submit(c.request, ctx());
      fake.script({ hang: true });
      const err = await providerError(slow.poll(providerJobId));
      expect(err.kind).toBe('transient');
      expect(err.providerMessage).toMatch(/timed out after 100 ms/);
    });
  });

  it('answers an unreachable service with transient', async () => {
    const nowhere = c.adapter({ ...fake, baseUrl: 'http://127.0.0.1:9/nowhere' });
    const err = await providerError(nowhere.submit(c.request, ctx()));
    expect(err).toMatchObject({ kind: 'transient', code: 'network' });
    clean(err);
  });

  it('answers garbage JSON with a clear transient error', async () => {
    fake.script({ garbage: true });
    const err = await providerError(adapter.submit(c.request, ctx()));
    expect(err.kind).toBe('transient');
    expect(err.providerMessage).toMatch(/not valid JSON/);
    clean(err);
  });

  it('never lets a key into an error, even when the service echoes it', async () => {
    const wrong = c.adapter(fake, { badKey: true });
    const err = await providerError(wrong.submit(c.request, ctx()));
    expect(err.kind).toBe('auth');
    expect(fake.state.credentials.size).toBeGreaterThan(0);
    clean(err);
    expect(err.message).toContain('[redacted]');
  });

  it('refuses a request that does not fit the model without calling the service', async () => {
    const bad = { ...c.request, durationSec: 999, aspectRatio: '7:5' };
    expect(adapter.validate(bad)).toHaveLength(2);
    const err = await providerError(adapter.submit(bad, ctx()));
    expect(err.kind).toBe('permanent');
    expect(err.providerMessage).toMatch(/999 s/);
    expect(fake.state.log).toEqual([]);
  });
}
