import { AppError } from '../errors.js';

/**
 * Open event streams (SSE) per user on this instance. Each holds a socket, a subscription and a
 * timer for as long as the browser keeps it, so one account opening hundreds (a script, or a tab
 * left reloading) would hold memory and file descriptors every other user needs. Past the cap a
 * new stream is refused with 429 before it starts (an EventSource does not retry a refusal);
 * the streams already open keep working.
 */
export interface StreamCaps {
  /** Takes one of `userId`'s slots, or throws the 429; call the returned function when the stream ends. */
  acquire(userId: string): () => void;
}

export const DEFAULT_STREAMS_PER_USER = 16;

export function createStreamCaps(maxPerUser = DEFAULT_STREAMS_PER_USER): StreamCaps {
  const open = new Map<string, number>();
  return {
    acquire(userId) {
      const n = open.get(userId) ?? 0;
      if (n >= maxPerUser) {
        throw new AppError('rate_limited', `You already have ${n} live event streams open, the most one account may hold at once; close some board tabs and reload this one`);
      }
      open.set(userId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      };
    },
  };
}
