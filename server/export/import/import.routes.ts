/**
 * Timeline import, mounted at /api/boards/:boardId/timeline-import (editors and owners):
 * `POST /` reads an OTIO, FCPXML or CMX 3600 EDL file exported from this board and edited
 * elsewhere and answers the differences with the board's current sequence, writing nothing;
 * `POST /accept` writes the changes the editor accepted (all, or by id), judged again against
 * the board as it is at that moment. The file travels as text in a JSON body both times, so the
 * server keeps no state between the two (any instance answers either).
 */
import { Hono } from 'hono';
import type * as Y from 'yjs';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { getMeta } from '../../../shared/doc/index.js';
import { frameRate } from '../../../shared/sequence/rate.js';
import type { TimelineImportDiff, TimelineImportResult } from '../../../shared/timeline-import.js';
import { requireUser } from '../../auth/middleware.js';
import { boardRoles } from '../../boards/access.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { readJson } from '../../http/body.js';
import type { AppEnv } from '../../http/env.js';
import type { DocHub } from '../../sync/hub.js';
import { applyChanges, diffOf, importBoard, pickChanges } from './apply.js';
import { diffTimeline } from './diff.js';
import { readEdl } from './edl.js';
import { readFcpxml } from './fcpxml.js';
import { readOtio } from './otio.js';
import { FORMAT_NAMES, MAX_TIMELINE_BYTES, sniffFormat, type ImportedTimeline } from './timeline-file.js';

export interface ImportDeps extends AppDeps {
  hub: Pick<DocHub, 'read' | 'change'>;
}

const MB = MAX_TIMELINE_BYTES / (1024 * 1024);

/** POST …/timeline-import: the file's text (OTIO, FCPXML or EDL; the format is read from the content). */
export const TimelineImportBody = z.object({
  file: z.string().min(1, 'the file is empty').max(MAX_TIMELINE_BYTES, `the file is larger than ${MB} MB`),
});

/** POST …/timeline-import/accept: the same file, and which changes to write ("all", or their ids). */
export const TimelineAcceptBody = TimelineImportBody.extend({
  accept: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).min(1, 'accept at least one change').max(20_000)]),
});

/** JSON escaping can grow a file's text (quotes, newlines): room for that above the file's own limit. */
const BODY_LIMIT = MAX_TIMELINE_BYTES * 2;

export function timelineImportRoutes(deps: ImportDeps) {
  const app = new Hono<AppEnv>();
  const editor = boardRoles(deps.db)('editor');
  const limit = bodyLimit({
    maxSize: BODY_LIMIT,
    onError: () => {
      throw new AppError('payload_too_large', `The timeline file is larger than ${MB} MB`);
    },
  });
  app.use('*', requireUser(deps, { tokens: true }));

  /**
   * The board read once (its frame rate, and the shots and takes the diff needs) and the file
   * read at that rate (parsed outside the document: it may be 8 MB).
   */
  async function read(boardId: string, file: string) {
    const board = await deps.hub.read(boardId, importBoard);
    return { board, timeline: readTimeline(file, board.meta.fps) };
  }

  app.post('/', limit, editor, async (c) => {
    const { file } = await readJson(c, TimelineImportBody);
    const { board, timeline } = await read(c.get('board').id, file);
    return c.json(refuseForeign(diffTimeline(board, timeline)) satisfies TimelineImportDiff);
  });

  app.post('/accept', limit, editor, async (c) => {
    const { file, accept } = await readJson(c, TimelineAcceptBody);
    const boardId = c.get('board').id;
    const { board, timeline } = await read(boardId, file);
    // Judged and written inside one change of the document (which must not throw): what is
    // written is exactly what differed at that moment, and what is left is read from the same state.
    let outcome: TimelineImportResult | AppError = new AppError('not_found', 'Board not found');
    await deps.hub.change(boardId, (doc) => {
      outcome = acceptChanges(doc, board.meta.fps, timeline, accept);
    });
    const done = outcome as TimelineImportResult | AppError;
    if (done instanceof AppError) throw done;
    return c.json(done satisfies TimelineImportResult);
  });

  return app;
}

/**
 * Inside the document change: the file's differences with the board as it is now (the board may
 * have moved on since `read`), the accepted ones written, and what differs after them.
 */
function acceptChanges(doc: Y.Doc, fps: number, timeline: ImportedTimeline, accept: 'all' | readonly string[]): TimelineImportResult | AppError {
  if (getMeta(doc).fps !== fps) return new AppError('conflict', 'The board’s frame rate changed while the file was read; look at the differences again');
  const diff = diffOf(doc, timeline);
  const changes = diff.matched === 0 ? foreign(diff) : pickChanges(diff, accept);
  if (changes instanceof AppError) return changes;
  applyChanges(doc, changes);
  return { applied: changes.map((ch) => ch.id), diff: diffOf(doc, timeline) };
}

/** The file read in its format, times at the board's frame rate. */
function readTimeline(file: string, fps: number): ImportedTimeline {
  const rate = frameRate(fps);
  const format = sniffFormat(file);
  if (format === 'otio') return readOtio(file, rate);
  if (format === 'fcpxml') return readFcpxml(file, rate);
  return readEdl(file, rate);
}

/** A file none of whose clips is this board's is refused: it was exported elsewhere (or is not an export). */
function refuseForeign(diff: TimelineImportDiff): TimelineImportDiff {
  if (diff.matched === 0) throw foreign(diff);
  return diff;
}

function foreign(diff: TimelineImportDiff): AppError {
  const first = diff.unknown[0];
  return new AppError(
    'bad_request',
    `None of the clips in this ${FORMAT_NAMES[diff.format]} is a shot of this board${first ? ` (${first.at}: ${first.reason})` : ' (it has no clips)'}; import a timeline exported from this board`,
    { field: 'file' },
  );
}
