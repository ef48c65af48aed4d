/**
 * Sequence builds in flight, one per board and content key: a second request for the same
 * sequence joins the running build instead of starting another. Finished builds live on as
 * stored assets (see sequence-build.ts); a failed one is remembered until someone asks again,
 * so a polling client learns why, and the next request retries.
 */
import type { AssetsTable } from '../db/schema.js';
import type { GenerationDeps } from '../generation/deps.js';
import type { ExportEvents, ExportStatus } from './export-events.js';
import { buildSequence } from './sequence-build.js';
import type { Timeline } from './timeline.js';

interface Build {
  status: ExportStatus;
  done: Promise<AssetsTable>;
}

export interface SequenceBuilds {
  /** The running (or just failed) build for this key, or a new one started now. */
  start(input: { boardId: string; userId: string; timeline: Timeline; key: string; url: string }): Build;
  /** Forgets a failed build so the next request retries it. */
  forget(boardId: string, key: string): void;
  /** Resolves once every build in flight has settled (for shutdown and tests). */
  idle(): Promise<void>;
}

export function createSequenceBuilds(deps: GenerationDeps, events: ExportEvents): SequenceBuilds {
  const builds = new Map<string, Build>();
  const id = (boardId: string, key: string) => `${boardId}:${key}`;
  return {
    start(input) {
      const existing = builds.get(id(input.boardId, input.key));
      if (existing) return existing;
      const status: ExportStatus = { id: input.key, kind: 'sequence.mp4', status: 'running', progress: 0, url: input.url };
      let lastSent = 0;
      const publish = () => events.publish(input.boardId, { ...status });
      const done = buildSequence(deps, input, (fraction) => {
        status.progress = Math.round(fraction * 1000) / 1000;
        // Enough to draw a progress bar; not one event per ffmpeg report.
        if (status.progress - lastSent >= 0.05 && status.progress < 1) {
          lastSent = status.progress;
          publish();
        }
      }).then(
        ({ asset, recipe }) => {
          builds.delete(id(input.boardId, input.key));
          Object.assign(status, { status: 'succeeded', progress: 1 });
          deps.log.info('sequence built', { boardId: input.boardId, key: input.key, recipe: recipe.kind, clips: input.timeline.cuts.length });
          publish();
          return asset;
        },
        (err: unknown) => {
          Object.assign(status, { status: 'failed', error: 'The sequence could not be built; it has been logged' });
          deps.log.error('sequence build failed', { boardId: input.boardId, key: input.key, err });
          publish();
          throw err;
        },
      );
      done.catch(() => {}); // a background build nobody awaits must not be an unhandled rejection
      const build = { status, done };
      builds.set(id(input.boardId, input.key), build);
      publish();
      return build;
    },
    forget(boardId, key) {
      builds.delete(id(boardId, key));
    },
    async idle() {
      await Promise.allSettled([...builds.values()].map((b) => b.done));
    },
  };
}
