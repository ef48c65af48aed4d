/**
 * Progress of background exports per board, streamed as `export` events at
 * `GET /api/boards/:boardId/export/events` (job events have their own stream).
 */
import type { Context } from 'hono';
import { streamBoardEvents, type StreamAccess } from '../http/sse.js';
import { createBoardChannel, type BoardChannel } from '../scale/board-channel.js';
import { CHANNELS, type Bus } from '../scale/bus.js';

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

export type ExportEvents = BoardChannel<ExportStatus>;

export function createExportEvents(bus?: Bus): ExportEvents {
  return createBoardChannel<ExportStatus>(CHANNELS.exportEvents, bus);
}

/** Streams a board's export events (see streamBoardEvents). */
export function exportEventStream(c: Context, events: ExportEvents, boardId: string, access: StreamAccess) {
  return streamBoardEvents(c, events, boardId, 'export', access);
}
