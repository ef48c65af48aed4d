import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_MESSAGE } from '../api/api-client';
import { createLoad } from './load';

/** A request the test answers by hand, in any order. */
function requests<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const fetch = () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  return { fetch, pending };
}
const settled = () => new Promise((r) => setTimeout(r, 0));

describe('a feature list with its own load state', () => {
  it('is loading until answered, then ready with the value', async () => {
    const r = requests<string[]>();
    const load = createLoad(r.fetch);
    expect([load.status(), load.value(), load.error()]).toEqual(['loading', undefined, null]);
    r.pending[0]!.resolve(['a']);
    await settled();
    expect([load.status(), load.value(), load.error()]).toEqual(['ready', ['a'], null]);
  });

  it('says why it failed in words, and a retry loads it', async () => {
    const r = requests<string[]>();
    const load = createLoad(r.fetch);
    r.pending[0]!.reject(new ApiError(0, 'network', NETWORK_MESSAGE));
    await settled();
    expect([load.status(), load.error()]).toEqual(['failed', NETWORK_MESSAGE]);
    const retried = load.reload();
    expect(load.status()).toBe('loading');
    r.pending[1]!.resolve(['b']);
    await retried;
    expect([load.status(), load.value(), load.error()]).toEqual(['ready', ['b'], null]);
  });

  it('keeps the last list when a later reload fails, and says it failed', async () => {
    const r = requests<string[]>();
    const load = createLoad(r.fetch);
    r.pending[0]!.resolve(['a']);
    await settled();
    const again = load.reload();
    r.pending[1]!.reject(new ApiError(502, 'internal', 'The server is down for a moment'));
    await again;
    expect([load.status(), load.value(), load.error()]).toEqual(['failed', ['a'], 'The server is down for a moment']);
  });

  it('takes the newest answer: an older request finishing late is dropped', async () => {
    const r = requests<string>();
    const seen: string[] = [];
    const load = createLoad(r.fetch, (v) => seen.push(v));
    void load.reload();
    r.pending[1]!.resolve('new');
    await settled();
    r.pending[0]!.resolve('old');
    await settled();
    expect([load.value(), seen]).toEqual(['new', ['new']]);
  });

  it('takes a value given another way, and nothing after it is disposed', async () => {
    const r = requests<string[]>();
    const load = createLoad(r.fetch);
    load.set((list = []) => [...list, 'uploaded']);
    expect(load.value()).toEqual(['uploaded']);
    load.dispose();
    r.pending[0]!.resolve(['late']);
    await settled();
    expect(load.value()).toEqual(['uploaded']);
  });
});
