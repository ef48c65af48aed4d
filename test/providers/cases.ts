/** One contract case per hosted adapter: how to start its fake, build the adapter and what to expect. */
import { createArkProvider } from '../../server/generation/providers/ark.js';
import { createFalProvider } from '../../server/generation/providers/fal.js';
import { createKlingProvider } from '../../server/generation/providers/kling.js';
import { createReplicateProvider } from '../../server/generation/providers/replicate.js';
import { createRunwayProvider } from '../../server/generation/providers/runway.js';
import { createVeoProvider } from '../../server/generation/providers/veo.js';
import type { ContractCase } from './contract.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { startArkFake } from './fakes/ark.js';
import { startFalFake } from './fakes/fal.js';
import { startKlingFake, type KlingFake } from './fakes/kling.js';
import { startReplicateFake } from './fakes/replicate.js';
import { startRunwayFake } from './fakes/runway.js';
import { startVeoFake } from './fakes/veo.js';

const frame = { assetId: 'asset-start-frame' };
const image = { mode: 'image', prompt: 'A lighthouse keeper climbs the stairs', firstFrame: frame, aspectRatio: '16:9' } as const;
/** The fake's own host is allowed explicitly (egress refuses loopback otherwise), and nothing else. */
const deps = (f: FakeHandle, timeoutMs?: number) => ({ ...allowFakes(new URL(f.baseUrl).host), ...(timeoutMs ? { requestTimeoutMs: timeoutMs } : {}) });
const key = (real: string, bad?: boolean) => (bad ? `wrong-${real}-zz` : real);

export const CASES: ContractCase[] = [
  {
    name: 'ark',
    start: () => startArkFake(),
    adapter: (f, o = {}) => createArkProvider({ apiKey: key(f.key, o.badKey), baseUrl: f.baseUrl }, deps(f, o.timeoutMs)),
    request: { ...image, model: 'ark:seedance-1-0-pro-250528', durationSec: 5, seed: 7 },
    secrets: (f) => [f.key],
    failureReason: /renderer stopped unexpectedly/,
    cancel: { outcome: 'canceled', thenPolls: 'canceled' },
  },
  {
    name: 'fal',
    start: () => startFalFake(),
    adapter: (f, o = {}) => createFalProvider({ apiKey: key(f.key, o.badKey), baseUrl: f.baseUrl }, deps(f, o.timeoutMs)),
    // An endpoint with a subpath (`/image-to-video`): status URLs drop it.
    request: { ...image, model: 'fal:seedance-2.0', durationSec: 5 },
    secrets: (f) => [f.key],
    failureReason: /ran out of memory/,
    retryAfterMs: 2000,
    cancel: { outcome: 'canceled', thenPolls: 'canceled' },
  },
  {
    name: 'replicate',
    start: () => startReplicateFake(),
    adapter: (f, o = {}) =>
      createReplicateProvider({ apiToken: key(f.key, o.badKey), baseUrl: f.baseUrl }, deps(f, o.timeoutMs)),
    request: { model: 'replicate:bytedance/seedance-2.0', mode: 'text', prompt: 'Rain on a neon street', durationSec: 5, aspectRatio: '16:9' },
    secrets: (f) => [f.key],
    failureReason: /out of memory/,
    retryAfterMs: 30_000,
    cancel: { outcome: 'canceled', thenPolls: 'canceled' },
  },
  {
    name: 'runway',
    start: () => startRunwayFake(),
    adapter: (f, o = {}) => createRunwayProvider({ apiSecret: key(f.key, o.badKey), baseUrl: f.baseUrl }, deps(f, o.timeoutMs)),
    request: { ...image, model: 'runway:gen4_turbo', durationSec: 5, seed: 3 },
    secrets: (f) => [f.key],
    failureReason: /unexpected error occurred while rendering/,
    cancel: { outcome: 'canceled', thenPolls: 'canceled' },
  },
  {
    name: 'veo',
    start: () => startVeoFake(),
    adapter: (f, o = {}) => createVeoProvider({ apiKey: key(f.key, o.badKey), baseUrl: f.baseUrl }, deps(f, o.timeoutMs)),
    request: { ...image, model: 'veo:veo-3.1-generate-preview', durationSec: 8 },
    secrets: (f) => [f.key],
    failureReason: /internal error/,
    retryAfterMs: 17_000,
    cancel: { outcome: 'unsupported' },
  },
  {
    name: 'kling',
    start: () => startKlingFake(),
    adapter: (f, o = {}) => {
      const k = f as KlingFake;
      return createKlingProvider(
        { accessKey: k.accessKey, secretKey: key(k.secretKey, o.badKey), baseUrl: f.baseUrl },
        deps(f, o.timeoutMs),
      );
    },
    request: { ...image, model: 'kling:kling-v2-6', durationSec: 5 },
    secrets: (f) => [(f as KlingFake).accessKey, (f as KlingFake).secretKey],
    failureReason: /internal rendering error/,
    cancel: { outcome: 'unsupported' },
  },
];
