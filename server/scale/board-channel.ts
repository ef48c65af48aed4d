import { jsonPayload, parsePayload, type Bus } from './bus.js';

/** Per-board events (job progress, export progress) for Server-Sent Events streams. */
export interface BoardChannel<T> {
  publish(boardId: string, event: T): void;
  subscribe(boardId: string, listener: (event: T) => void): () => void;
}

/**
 * Delivers to this instance's listeners and, through the bus, to every other instance's: work
 * runs on whichever instance took it, while a teammate's stream may be open on another.
 */
export function createBoardChannel<T>(channel: string, bus?: Bus): BoardChannel<T> {
  const listeners = new Map<string, Set<(event: T) => void>>();
  const deliver = (boardId: string, event: T) => {
    for (const l of listeners.get(boardId) ?? []) l(event);
  };
  bus?.subscribe(channel, (p) => {
    const { boardId, event } = parsePayload<{ boardId: string; event: T }>(p);
    deliver(boardId, event);
  });
  return {
    publish(boardId, event) {
      deliver(boardId, event);
      bus?.publish(channel, jsonPayload({ boardId, event }));
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
