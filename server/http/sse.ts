import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { BoardChannel } from '../scale/board-channel.js';

export interface StreamAccess {
  /** Asked at each keep-alive: membership can end while the stream is open. */
  stillMember(): Promise<boolean>;
  /** Calls `end` the moment access is lost (logout, removal, board deleted); returns an unsubscribe. */
  watch?(end: () => void): () => void;
  /** Called once when the stream ends: gives back the user's stream slot (see stream-caps.ts). */
  release(): void;
}

/**
 * Streams one board's events as SSE (`event: <name>`) until the client goes away or loses
 * access, with a keep-alive comment every 15 s so proxies keep the stream open.
 */
export function streamBoardEvents<T>(c: Context, channel: BoardChannel<T>, boardId: string, name: string, access: StreamAccess) {
  return streamSSE(c, async (stream) => {
    try {
      await pump(stream);
    } finally {
      access.release();
    }
  });

  async function pump(stream: SSEStreamingApi) {
    const queue: T[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const off = channel.subscribe(boardId, (e) => {
      queue.push(e);
      wake?.();
    });
    const offAccess = access.watch?.(() => {
      ended = true;
      wake?.();
    });
    stream.onAbort(() => {
      off();
      wake?.();
    });
    await stream.writeSSE({ event: 'ready', data: '{}' });
    while (!stream.aborted && !stream.closed && !ended) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = null;
        // Ended by lost access or a closed connection (a server shutting down closes it, then
        // its database): nothing more to check or send.
        if (ended || stream.aborted || stream.closed) break;
        if (queue.length === 0) {
          if (!(await access.stillMember())) break;
          await stream.write(': keep-alive\n\n');
          continue;
        }
      }
      await stream.writeSSE({ event: name, data: JSON.stringify(queue.shift()) });
    }
    off();
    offAccess?.();
  }
}
