import { describe, expect, it } from 'vitest';
import type { ShotChain } from '../../../shared/doc';
import { chainWhy } from './chain';

const who = (id: string) => (id === 'user_k' ? 'Kenji' : 'someone');
const when = (iso: string) => iso.slice(11, 16);
const up = { shotId: 's1', position: 1 };

describe('chainWhy', () => {
  it.each<[string, ShotChain, string]>([
    ['unchained', { state: 'unchained' }, ''],
    ['no take, upstream has one', { state: 'no-take', upstream: { ...up, takeId: 't2', takeNumber: 2 } }, 'No take yet: the next one continues take #2 of shot 1.'],
    ['no take, upstream has none', { state: 'no-take', upstream: up }, 'No take yet, and shot 1 has no selected take to continue.'],
    ['fresh', { state: 'fresh', upstream: { ...up, takeId: 't2', takeNumber: 2 }, takeId: 'b1', madeFrom: { takeId: 't2', takeNumber: 2 } }, 'Up to date: made from take #2 of shot 1, which shot 1 still uses.'],
    ['stale, another take', { state: 'stale', upstream: { ...up, takeId: 't3', takeNumber: 3 }, takeId: 'b1', madeFrom: { takeId: 't2', takeNumber: 2 } },
      'Stale: this take was made from take #2 of shot 1, but shot 1 now uses take #3. Generate again to continue it, or keep it anyway.'],
    ['stale, made without a tail', { state: 'stale', upstream: { ...up, takeId: 't3' }, takeId: 'b1', madeFrom: {} },
      "Stale: this take was made without shot 1's tail, but shot 1 now uses a take. Generate again to continue it, or keep it anyway."],
    ['stale, upstream has no take now', { state: 'stale', upstream: up, takeId: 'b1', madeFrom: { takeId: 't2', takeNumber: 2 } },
      'Stale: this take was made from take #2 of shot 1, but shot 1 has no selected take now. Generate again to continue it, or keep it anyway.'],
    ['kept anyway', { state: 'accepted', upstream: { ...up, takeId: 't3', takeNumber: 3 }, takeId: 'b1', madeFrom: { takeId: 't2', takeNumber: 2 }, accepted: { take: 'b1', tail: 'x', by: 'user_k', at: '2026-12-06T21:05:00Z' } },
      'Kept anyway by Kenji, 21:05: this take was made from take #2 of shot 1, and shot 1 now uses take #3.'],
    ['upstream stale', { state: 'upstream-stale', upstream: { ...up, position: 2 }, staleAt: 2 },
      'Upstream stale: shot 2 further up this chain no longer continues the shot before it. This shot follows it as it is.'],
  ])('%s', (_name, chain, words) => {
    expect(chainWhy(chain, who, when)).toBe(words);
  });
});
