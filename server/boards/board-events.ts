/**
 * Membership and lifecycle changes that other capabilities react to (live sync closes or
 * downgrades sockets, for one). In-process; with REDIS_URL it is fanned out between instances.
 */
import type { Role } from '../../shared/api.js';
import type { ChangedBy } from '../../shared/sync.js';
import { CHANNELS, jsonPayload, parsePayload, type Bus } from '../scale/bus.js';

export type BoardEvent =
  | { type: 'board-deleted'; boardId: string }
  /** Someone joined (an accepted invite): open boards refresh their member list. */
  | { type: 'member-added'; boardId: string; userId: string }
  /** `by`: who changed it, named in the notice the member sees. */
  | { type: 'member-role-changed'; boardId: string; userId: string; role: Role; by: ChangedBy }
  /** `by`: who removed them; the member themselves when they left. */
  | { type: 'member-removed'; boardId: string; userId: string; by: ChangedBy }
  /** Archived boards are read-only for every socket (roles unchanged) until it is restored. */
  | { type: 'board-archived'; boardId: string; archived: boolean }
  /** Sessions logged out: every board they had open over sync loses them (ids are token hashes). */
  | { type: 'sessions-ended'; userId: string; sessionIds: string[] };

export interface BoardEvents {
  emit(event: BoardEvent): void;
  on(listener: (event: BoardEvent) => void): () => void;
}

/** With a bus, events also reach (and come from) the other instances. */
export function createBoardEvents(bus?: Bus): BoardEvents {
  const listeners = new Set<(event: BoardEvent) => void>();
  const deliver = (event: BoardEvent) => {
    for (const l of listeners) l(event);
  };
  bus?.subscribe(CHANNELS.boardEvents, (p) => deliver(parsePayload<BoardEvent>(p)));
  return {
    emit(event) {
      deliver(event);
      bus?.publish(CHANNELS.boardEvents, jsonPayload(event));
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
