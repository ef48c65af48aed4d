/**
 * Progress of background exports per board, streamed as `export` events at
 * `GET /api/boards/:boardId/export/events` (job events have their own stream).
 */
import type { Context } from 'hono';
import type { ExportStatus } from '../../shared/api.js';
import { streamBoardEvents, type StreamAccess } from '../http/sse.js';
import { createBoardChannel, type BoardChannel } from '../scale/board-channel.js';
import { CHANNELS, type Bus } from '../scale/bus.js';

export type { ExportStatus };

export type ExportEvents = BoardChannel<ExportStatus>;

export function createExportEvents(bus?: Bus): ExportEvents {
  return createBoardChannel<ExportStatus>(CHANNELS.exportEvents, bus);
}

/** Streams a board's export events (see streamBoardEvents). */
export function exportEventStream(c: Context, events: ExportEvents, boardId: string, access: StreamAccess) {
  return streamBoardEvents(c, events, boardId, 'export', access);
}
