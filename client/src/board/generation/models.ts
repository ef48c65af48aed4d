/** The models this server lists (GET /api/models): capabilities, prices, and whether each can run here. */
import type { ModelListEntry } from '../../../../shared/api';
import type { ApiClient } from '../../api/api-client';
import { createLoad } from '../load';

export function createModels(api: ApiClient) {
  const load = createLoad(() => api.models());
  return {
    ...load,
    /** null until the list is answered. */
    list: (): ModelListEntry[] | null => load.value() ?? null,
    find: (id: string | undefined): ModelListEntry | undefined => load.value()?.find((m) => m.id === id),
  };
}

export type Models = ReturnType<typeof createModels>;
