import type { JobEvent } from '../../shared/generation/index.js';
import { CHANNELS, jsonPayload, parsePayload, type Bus } from '../scale/bus.js';

/**
 * Job progress per board, for Server-Sent Events. Progress never goes into the document: it
 * changes every few seconds and would bloat every teammate's copy of the board.
 */
export interface JobEvents {
  publish(boardId: string, event: JobEvent): void;
  subscribe(boardId: string, listener: (event: JobEvent) => void): () => void;
}

export function createJobEvents(bus?: Bus): JobEvents {
  const listeners = new Map<string, Set<(event: JobEvent) => void>>();
  const deliver = (boardId: string, event: JobEvent) => {
    for (const l of listeners.get(boardId) ?? []) l(event);
  };
  // Jobs run on whichever instance claimed them; a teammate's SSE stream may be on another.
  bus?.subscribe(CHANNELS.jobEvents, (p) => {
    const { boardId, event } = parsePayload<{ boardId: string; event: JobEvent }>(p);
    deliver(boardId, event);
  });
  return {
    publish(boardId, event) {
      deliver(boardId, event);
      bus?.publish(CHANNELS.jobEvents, jsonPayload({ boardId, event }));
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
