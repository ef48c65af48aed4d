import type { JobEvent } from '../../shared/generation/index.js';

/**
 * Job progress per board, for Server-Sent Events. Progress never goes into the document: it
 * changes every few seconds and would bloat every teammate's copy of the board.
 */
export interface JobEvents {
  publish(boardId: string, event: JobEvent): void;
  subscribe(boardId: string, listener: (event: JobEvent) => void): () => void;
}

export function createJobEvents(): JobEvents {
  const listeners = new Map<string, Set<(event: JobEvent) => void>>();
  return {
    publish(boardId, event) {
      for (const l of listeners.get(boardId) ?? []) l(event);
    },
    subscribe(boardId, listener) {
      let set = listeners.get(boardId);
      if (!set) listeners.set(boardId, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0) listeners.delete(boardId);
      };
    },
  };
}
