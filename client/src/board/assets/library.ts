/**
 * The board's asset library (GET /api/boards/:boardId/assets): what frame pickers offer and what
 * tells a clip from a still in a send plan. Images and clips themselves load by URL and do not
 * wait for this list.
 */
import type { Asset } from '../../../../shared/api';
import type { ApiClient } from '../../api/api-client';
import { createLoad } from '../load';

export function createLibrary(api: ApiClient, boardId: string) {
  const load = createLoad(() => api.assets(boardId));
  return {
    ...load,
    /** The assets loaded so far (none while loading or after a first failure). */
    list: (): Asset[] => load.value() ?? [],
    /** Adds an uploaded asset to the list without refetching. */
    add: (a: Asset) => load.set((list = []) => (list.some((x) => x.id === a.id) ? list : [...list, a])),
  };
}

export type Library = ReturnType<typeof createLibrary>;
