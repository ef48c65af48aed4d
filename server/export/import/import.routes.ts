/**
 * Timeline import, mounted at /api/boards/:boardId/timeline-import (editors and owners):
 * `POST /` reads an OTIO, FCPXML or CMX 3600 EDL file exported from this board and edited
 * elsewhere and answers the differences with the board's current sequence, writing nothing;
 * `POST /accept` writes the changes the editor accepted (all, or by id), judged again against
 * the board as it is at that moment. The file travels as text in a JSON body both times, so the
 * server keeps no state between the two (any instance answers either).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { getMeta } from '../../../shared/doc/index.js';
import { frameRate } from '../../../shared/sequence/rate.js';
import type { ImportChange, TimelineImportDiff, TimelineImportResult } from '../../../shared/timeline-import.js';
import { requireUser } from '../../auth/middleware.js';
import { boardRoles } from '../../boards/access.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { readJson } from '../../http/body.js';
import type { AppEnv } from '../../http/env.js';
import type { DocHub } from '../../sync/hub.js';
import { applyChanges, diffOf, pickChanges } from './apply.js';
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

  /** The file read at the board's frame rate (parsed outside the document: it may be 8 MB). */
  async function read(boardId: string, file: string) {
    const fps = await deps.hub.read(boardId, (doc) => getMeta(doc).fps);
    return { fps, timeline: readTimeline(file, fps) };
  }

  app.post('/', limit, editor, async (c) => {
    const { file } = await readJson(c, TimelineImportBody);
    const boardId = c.get('board').id;
    const { timeline } = await read(boardId, file);
    const diff = await deps.hub.read(boardId, (doc) => diffOf(doc, timeline));
    return c.json(refuseForeign(diff) satisfies TimelineImportDiff);
  });

  app.post('/accept', limit, editor, async (c) => {
    const { file, accept } = await readJson(c, TimelineAcceptBody);
    const boardId = c.get('board').id;
    const { fps, timeline } = await read(boardId, file);
    // Judged and written inside one change of the document (which must not throw): what is
    // written is exactly what differed at that moment.
    let outcome = new AppError('not_found', 'Board not found') as ImportChange[] | AppError;
    await deps.hub.change(boardId, (doc) => {
      if (getMeta(doc).fps !== fps) {
        outcome = new AppError('conflict', 'The board’s frame rate changed while the file was read; look at the differences again');
        return;
      }
      const diff = diffOf(doc, timeline);
      outcome = diff.matched === 0 ? foreign(diff) : pickChanges(diff, accept);
      if (!(outcome instanceof AppError)) applyChanges(doc, outcome);
    });
    const done = outcome;
    if (done instanceof AppError) throw done;
    const diff = await deps.hub.read(boardId, (doc) => diffOf(doc, timeline));
    return c.json({ applied: done.map((ch) => ch.id), diff } satisfies TimelineImportResult);
  });

  return app;
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
