/**
 * Sequence builds in flight, one per board and content key across all instances: a second
 * request for the same sequence joins the running build instead of starting another, on this
 * instance directly and on others through a Redis lease (the builder renews it while ffmpeg
 * runs; waiters follow its progress events and take over if its lease lapses). Finished builds
 * live on as stored assets (see sequence-build.ts); a failed one is remembered until someone
 * asks again, so a polling client learns why, and the next request retries.
 */
import type { AssetsTable } from '../db/schema.js';
import { isStorageFull, storageFull } from '../errors.js';
import type { ExportDeps } from './deps.js';
import { findSequenceAsset } from './export.queries.js';
import type { ExportEvents, ExportStatus } from './export-events.js';
import { buildSequence } from './sequence-build.js';
import type { Timeline } from './timeline.js';

interface Build {
  status: ExportStatus;
  done: Promise<AssetsTable>;
}

type BuildInput = { boardId: string; userId: string; timeline: Timeline; key: string; url: string };

export interface SequenceBuilds {
  /** The running (or just failed) build for this key, here or on another instance, or a new one started now. */
  start(input: BuildInput): Promise<Build>;
  /** Forgets a failed build so the next request retries it. */
  forget(boardId: string, key: string): void;
  /** Resolves once every build this instance runs has settled (for shutdown and tests). */
  idle(): Promise<void>;
}

/** A builder holds its lease this long and renews it three times as often. */
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;
/** How often a waiter checks whether the builder finished unseen or died. */
const CHECK_MS = 2_000;

const FAILED = 'The sequence could not be built; it has been logged';
const storageFullHere = () => storageFull('the sequence');

export function createSequenceBuilds(deps: ExportDeps, events: ExportEvents): SequenceBuilds {
  const builds = new Map<string, Promise<Build>>();
  const local = new Set<Promise<unknown>>();
  const id = (boardId: string, key: string) => `${boardId}:${key}`;
  const leaseOf = (input: BuildInput) => `export:${input.boardId}:${input.key}`;

  /** Builds here, holding the lease (when there is one) until the build settles. */
  function buildHere(input: BuildInput, status: ExportStatus): Promise<AssetsTable> {
    let lastSent = 0;
    const publish = () => events.publish(input.boardId, { ...status });
    const renew = setInterval(() => void deps.bus.renewLease(leaseOf(input), LEASE_MS), RENEW_MS);
    renew.unref?.();
    const done = buildSequence(deps, input, (fraction) => {
      status.progress = Math.round(fraction * 1000) / 1000;
      // Enough to draw a progress bar; not one event per ffmpeg report.
      if (status.progress - lastSent >= 0.05 && status.progress < 1) {
        lastSent = status.progress;
        publish();
      }
    })
      .then(
        ({ asset, recipe }) => {
          Object.assign(status, { status: 'succeeded', progress: 1 });
          deps.log.info('sequence built', { boardId: input.boardId, key: input.key, recipe: recipe.kind, clips: input.timeline.cuts.length });
          publish();
          deps.webhooks?.exportReady(input.boardId, { format: 'sequence.mp4', key: input.key, assetId: asset.id, download: `/api/assets/${asset.id}` });
          return asset;
        },
        (err: unknown) => {
          Object.assign(status, { status: 'failed', error: isStorageFull(err) ? storageFullHere().message : FAILED });
          deps.log.error('sequence build failed', { boardId: input.boardId, key: input.key, err });
          publish();
          throw err;
        },
      )
      .finally(() => {
        clearInterval(renew);
        void deps.bus.releaseLease(leaseOf(input));
      });
    local.add(done);
    done.catch(() => {}).finally(() => local.delete(done));
    publish();
    return done;
  }

  /**
   * Another instance holds the lease: follow its events. Every CHECK_MS, look for the finished
   * file (an event may be missed during a Redis blip) and try the lease: if the builder died,
   * its lease lapses and this instance builds instead.
   */
  function followRemote(input: BuildInput, status: ExportStatus): Promise<AssetsTable> {
    return new Promise<AssetsTable>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(check);
        fn();
      };
      const found = async () => {
        const asset = await findSequenceAsset(deps.db, input.boardId, input.key);
        if (asset) {
          finish(() => {
            Object.assign(status, { status: 'succeeded', progress: 1 });
            resolve(asset);
          });
        }
        return asset;
      };
      const unsubscribe = events.subscribe(input.boardId, (e) => {
        if (e.id !== input.key || settled) return;
        if (e.status === 'running') status.progress = Math.max(status.progress, e.progress);
        else if (e.status === 'succeeded') void found().catch(reject);
        else {
          finish(() => {
            Object.assign(status, { status: 'failed', error: e.error ?? FAILED });
            // The builder's disk was full: the same 507 here as there.
            reject(e.error === storageFullHere().message ? storageFullHere() : new Error(e.error ?? FAILED));
          });
        }
      });
      const check = setInterval(async () => {
        try {
          if (settled || (await found())) return;
          if (!(await deps.bus.tryLease(leaseOf(input), LEASE_MS))) return;
          deps.log.warn('took over a sequence build whose instance stopped renewing it', { boardId: input.boardId, key: input.key });
          finish(() => buildHere(input, status).then(resolve, reject));
        } catch (err) {
          finish(() => reject(err));
        }
      }, CHECK_MS);
      check.unref?.();
    });
  }

  /** Decides where this key is built: here (lease taken, or no Redis), or followed from elsewhere. */
  async function begin(input: BuildInput): Promise<Build> {
    const status: ExportStatus = { id: input.key, kind: 'sequence.mp4', status: 'running', progress: 0, url: input.url };
    // Without Redis (or during an outage) every instance builds for itself.
    const mine = deps.bus.status() !== 'ok' || (await deps.bus.tryLease(leaseOf(input), LEASE_MS));
    if (!mine) return { status, done: followRemote(input, status) };
    // Built elsewhere just before that instance released its lease: nothing to do.
    const cached = await findSequenceAsset(deps.db, input.boardId, input.key);
    if (!cached) return { status, done: buildHere(input, status) };
    void deps.bus.releaseLease(leaseOf(input));
    Object.assign(status, { status: 'succeeded', progress: 1 });
    return { status, done: Promise.resolve(cached) };
  }

  return {
    start(input) {
      const k = id(input.boardId, input.key);
      const existing = builds.get(k);
      if (existing) return existing;
      const started = begin(input);
      builds.set(k, started);
      // Succeeded builds are found as assets from now on; failed ones stay until forgotten.
      started.then(
        (b) => b.done.then(() => builds.get(k) === started && builds.delete(k), () => {}),
        () => builds.get(k) === started && builds.delete(k),
      );
      return started;
    },
    forget(boardId, key) {
      builds.delete(id(boardId, key));
    },
    async idle() {
      await Promise.allSettled([...local]);
    },
  };
}
