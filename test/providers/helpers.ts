/** Test helpers shared by the provider suites. */
import { expect } from 'vitest';
import type { MediaRef } from '../../shared/generation/types.js';
import { ProviderError } from '../../server/generation/providers/provider-error.js';
import type { MediaAccess, ProviderAdapter, ProviderStatus } from '../../server/generation/providers/provider.js';
import type { FakeHandle } from './fakes/core.js';

/** A 1x1 PNG. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Media access that never touches storage; `publicBase` adds public URLs. */
export function testMedia(publicBase?: string): MediaAccess {
  return {
    toDataUrl: async () => `data:image/png;base64,${PNG_BASE64}`,
    toBase64: async () => ({ base64: PNG_BASE64, mimeType: 'image/png' }),
    ...(publicBase ? { publicUrl: async (ref: MediaRef) => `${publicBase}/${ref.assetId}.png` } : {}),
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

/** Polls until a terminal status (the fakes advance per read, so no waiting is needed). */
export async function pollToEnd(adapter: ProviderAdapter, providerJobId: string, maxPolls = 12) {
  const seen: ProviderStatus[] = [];
  for (let i = 0; i < maxPolls; i += 1) {
    const status = await adapter.poll(providerJobId);
    seen.push(status);
    if (TERMINAL.has(status.state)) return { seen, final: status };
  }
  throw new Error(`no terminal status after ${maxPolls} polls: ${JSON.stringify(seen)}`);
}

/** The ProviderError a promise rejects with (fails the test if it resolves or throws something else). */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a ProviderError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ProviderError);
  return outcome.error as ProviderError;
}

/** Asserts no secret, and nothing the fake was shown as a credential, appears anywhere in `err`. */
export function expectNoSecrets(err: ProviderError, fake: FakeHandle, secrets: readonly string[]): void {
  const text = [err.message, err.providerMessage, JSON.stringify(err), String(err.stack)].join('\n');
  for (const secret of [...secrets, ...fake.state.credentials]) {
    expect(secret.length).toBeGreaterThan(3);
    expect(text).not.toContain(secret);
  }
}

/** A readable sentence: words, not a JSON dump. */
export function expectReadable(reason: string): void {
  expect(reason).toMatch(/[a-z]{3,}/i);
  expect(reason.trim().startsWith('{')).toBe(false);
  expect(reason).not.toContain('[object Object]');
}
