/**
 * Membership and lifecycle changes that other capabilities react to (live sync closes or
 * downgrades sockets, for one). In-process; with REDIS_URL it is fanned out between instances.
 */
import type { Role } from '../../shared/api.js';

export type BoardEvent =
  | { type: 'board-deleted'; boardId: string }
  | { type: 'member-role-changed'; boardId: string; userId: string; role: Role }
  | { type: 'member-removed'; boardId: string; userId: string };

export interface BoardEvents {
  emit(event: BoardEvent): void;
  on(listener: (event: BoardEvent) => void): () => void;
}

export function createBoardEvents(): BoardEvents {
  const listeners = new Set<(event: BoardEvent) => void>();
  return {
    emit(event) {
      for (const l of listeners) l(event);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
