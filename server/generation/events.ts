import type { JobEvent } from '../../shared/generation/index.js';
import { createBoardChannel, type BoardChannel } from '../scale/board-channel.js';
import { CHANNELS, type Bus } from '../scale/bus.js';

/**
 * Job progress per board, for Server-Sent Events. Progress never goes into the document: it
 * changes every few seconds and would bloat every teammate's copy of the board.
 */
export type JobEvents = BoardChannel<JobEvent>;

export function createJobEvents(bus?: Bus): JobEvents {
  return createBoardChannel<JobEvent>(CHANNELS.jobEvents, bus);
}
