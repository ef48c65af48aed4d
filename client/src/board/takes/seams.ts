/**
 * The seam scores of the board's chained cuts (GET …/seams), read again whenever the selected
 * takes pair differently (a new take selected either side of a cut) and, while a seam is still
 * being scored on the server, every few seconds until it is done.
 */
import { createEffect, on, onCleanup, type Accessor } from 'solid-js';
import type { SeamList, SeamView } from '../../../../shared/seams';
import type { ApiClient } from '../../api/api-client';
import type { Chains } from '../chain';
import { createLoad, type Load } from '../load';

/** How long to wait before asking again while a seam is pending (ms): doubled each time, up to the most. */
const PENDING_POLL_MS = 2000;
const PENDING_POLL_MAX_MS = 30_000;

export interface Seams {
  load: Load<SeamList>;
  /** The seam of the chained cut into this shot, if it has one. */
  of(shotId: string): SeamView | undefined;
}

export function createSeams(api: ApiClient, boardId: string, chains: Chains): Seams {
  const load = createLoad(() => api.seams(boardId));
  // One string per cut, so only a different pairing asks again (typing in a prompt does not).
  const pairs: Accessor<string> = () =>
    [...chains()].flatMap(([shotId, c]) => (c.upstream?.takeId && c.takeId ? [`${shotId}:${c.upstream.takeId}>${c.takeId}`] : [])).join(',');
  // A seam stays pending while one of its takes still renders, which may take minutes: ask less often.
  let wait = PENDING_POLL_MS;
  createEffect(
    on(pairs, () => {
      wait = PENDING_POLL_MS;
      void load.reload();
    }, { defer: true }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    clearTimeout(timer);
    if (!load.value()?.seams.some((s) => s.status === 'pending')) return;
    timer = setTimeout(() => void load.reload(), wait);
    wait = Math.min(wait * 2, PENDING_POLL_MAX_MS);
  });
  onCleanup(() => {
    clearTimeout(timer);
    load.dispose();
  });
  return { load, of: (shotId) => load.value()?.seams.find((s) => s.downstreamShotId === shotId) };
}
