import { Hono, type Context } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles, watchAccess, type BoardEnv } from '../boards/access.js';
import { getRole } from '../boards/boards.queries.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { loadSnapshot } from './board-snapshot.js';
import type { ExportDeps } from './deps.js';
import { attachmentFor } from './download-name.js';
import { createExportEvents, exportEventStream } from './export-events.js';
import { EXPORT_FORMATS } from './formats.js';
import { createSequenceBuilds, type SequenceBuilds } from './sequence-builds.js';
import { sequenceResponse } from './sequence-response.js';
import { parseTimelineOptions, planTimeline } from './timeline.js';

type C = Context<BoardEnv>;

/**
 * Exports of a board, mounted at /api/boards/:boardId/export: the stitched sequence, and every
 * file format of the registry (`formats.ts`: sidecar, OTIO, EDL, FCPXML, CSV, printable HTML).
 * Members only (non-members get 404 like any board route); every file is an attachment named
 * after the board.
 */
export function exportRoutes(deps: ExportDeps): Hono<AppEnv> & { builds: SequenceBuilds } {
  const app = new Hono<AppEnv>();
  const events = createExportEvents(deps.bus);
  const builds = createSequenceBuilds(deps, events);
  /** Every export is for members (viewers and up), archived boards included. */
  const member = boardRoles(deps.db)('viewer');
  app.use('*', requireUser(deps));

  /**
   * Reads the board (its comments too when the file carries review markers), and any
   * trim/crossfade overrides in the query (the board's own settings apply otherwise).
   */
  async function prepare(c: C, want: { comments?: boolean } = {}) {
    const boardId = c.get('board').id;
    const options = parseTimelineOptions((name) => c.req.query(name));
    if ('error' in options) throw new AppError('invalid_field', options.error, { field: options.field });
    return { snap: await loadSnapshot(deps, boardId, want), options, userId: c.get('user').id };
  }

  app.get('/sequence.mp4', member, async (c) => {
    const { snap, options, userId } = await prepare(c);
    return sequenceResponse(c, deps, builds, snap, planTimeline(snap, options), userId);
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/${format.file}`, member, async (c) => {
      const { snap, options } = await prepare(c, { comments: format.markers === true });
      const body = await format.build({ deps, snap, timeline: () => planTimeline(snap, options), query: (name) => c.req.query(name) });
      for (const [name, value] of Object.entries(format.headers?.(snap) ?? {})) c.header(name, value);
      return c.body(body, 200, {
        'Content-Type': format.contentType,
        'Content-Disposition': attachmentFor(snap.title, format.file),
        'Cache-Control': 'private, no-cache',
      });
    });
  }

  app.get('/events', member, async (c) => {
    const boardId = c.get('board').id;
    const userId = c.get('user').id;
    const release = deps.streams.acquire(userId);
    return exportEventStream(c, events, boardId, {
      release,
      stillMember: async () => (await getRole(deps.db, boardId, userId)) !== null,
      watch: (end) => watchAccess(deps.boardEvents, { boardId, userId, sessionId: c.get('session').id }, end),
    });
  });

  return Object.assign(app, { builds });
}
