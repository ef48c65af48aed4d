/**
 * Progress of background exports per board, and its Server-Sent Events stream. A small bus of
 * its own: job events belong to the generation capability and their stream carries `job` events
 * only; exports stream `export` events at `GET /api/boards/:boardId/export/events`.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** What an `export` SSE event carries; also the body of a 202 while a sequence is building. */
export interface ExportStatus {
  /** The content key of the build: the same key is the same file. */
  id: string;
  kind: 'sequence.mp4';
  status: 'running' | 'succeeded' | 'failed';
  /** 0..1 */
  progress: number;
  error?: string;
  /** Where to fetch it (the same URL that was asked). */
  url: string;
}

export interface ExportEvents {
  publish(boardId: string, event: ExportStatus): void;
  subscribe(boardId: string, listener: (event: ExportStatus) => void): () => void;
}

export function createExportEvents(): ExportEvents {
  const listeners = new Map<string, Set<(event: ExportStatus) => void>>();
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

/**
 * Streams a board's export events until the client goes away, with a keep-alive comment every
 * 15 s; `stillMember` is asked then, so a removed member's stream ends.
 */
export function exportEventStream(c: Context, events: ExportEvents, boardId: string, stillMember: () => Promise<boolean>) {
  return streamSSE(c, async (stream) => {
    const queue: ExportStatus[] = [];
    let wake: (() => void) | null = null;
    const off = events.subscribe(boardId, (e) => {
      queue.push(e);
      wake?.();
    });
    stream.onAbort(() => {
      off();
      wake?.();
    });
    await stream.writeSSE({ event: 'ready', data: '{}' });
    while (!stream.aborted && !stream.closed) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = null;
        if (queue.length === 0) {
          if (!(await stillMember())) break;
          await stream.write(': keep-alive\n\n');
          continue;
        }
      }
      await stream.writeSSE({ event: 'export', data: JSON.stringify(queue.shift()) });
    }
    off();
  });
}
