import { Hono, type Context } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles, watchAccess, type BoardEnv } from '../boards/access.js';
import { getRole } from '../boards/boards.queries.js';
import { AppError } from '../errors.js';
import type { GenerationDeps } from '../generation/deps.js';
import type { AppEnv } from '../http/env.js';
import { loadSnapshot } from './board-snapshot.js';
import { toCsv } from './csv.js';
import { attachmentFor } from './download-name.js';
import { toEdl } from './edl.js';
import { jsonText } from './escape.js';
import { createExportEvents, exportEventStream } from './export-events.js';
import { toFcpxml } from './fcpxml.js';
import { toOtio } from './otio.js';
import { createSequenceBuilds, type SequenceBuilds } from './sequence-builds.js';
import { sequenceResponse, sequenceSidecar } from './sequence-response.js';
import { toShotListHtml } from './shot-list-html.js';
import { thumbnailSources } from './thumbnails.js';
import { parseTimelineOptions, planTimeline } from './timeline.js';

type C = Context<BoardEnv>;

/**
 * Exports of a board, mounted at /api/boards/:boardId/export: the stitched sequence and its
 * sidecar, editorial timelines (OTIO, EDL, FCPXML) and the shot list (CSV, printable HTML).
 * Members only (non-members get 404 like any board route); every file is an attachment named
 * after the board.
 */
export function exportRoutes(deps: GenerationDeps): Hono<AppEnv> & { builds: SequenceBuilds } {
  const app = new Hono<AppEnv>();
  const events = createExportEvents(deps.bus);
  const builds = createSequenceBuilds(deps, events);
  /** Every export is for members (viewers and up), archived boards included. */
  const member = boardRoles(deps.db)('viewer');
  app.use('*', requireUser(deps));

  /** Reads the board, and any trim/crossfade overrides in the query (the board's own settings apply otherwise). */
  async function prepare(c: C) {
    const boardId = c.get('board').id;
    const options = parseTimelineOptions((name) => c.req.query(name));
    if ('error' in options) throw new AppError('invalid_field', options.error, { field: options.field });
    return { snap: await loadSnapshot(deps, boardId), options, userId: c.get('user').id };
  }
  const file = (c: C, title: string, name: string, type: string, body: string) =>
    c.body(body, 200, { 'Content-Type': type, 'Content-Disposition': attachmentFor(title, name), 'Cache-Control': 'private, no-cache' });

  app.get('/sequence.mp4', member, async (c) => {
    const { snap, options, userId } = await prepare(c);
    return sequenceResponse(c, deps, builds, snap, planTimeline(snap, options), userId);
  });

  app.get('/sequence.json', member, async (c) => {
    const { snap, options } = await prepare(c);
    const sidecar = sequenceSidecar(snap, planTimeline(snap, options));
    return file(c, snap.title, 'sequence.json', 'application/json; charset=utf-8', jsonText(sidecar, 2));
  });

  // Timelines are the same plan: crossfades as dissolves, slates as named gaps.
  app.get('/timeline.otio', member, async (c) => {
    const { snap, options } = await prepare(c);
    const otio = toOtio(planTimeline(snap, options), snap.origin, snap.boardId);
    return file(c, snap.title, 'timeline.otio', 'application/json; charset=utf-8', jsonText(otio, 4));
  });

  app.get('/sequence.edl', member, async (c) => {
    const { snap, options } = await prepare(c);
    return file(c, snap.title, 'sequence.edl', 'text/plain; charset=utf-8', toEdl(planTimeline(snap, options), snap.origin));
  });

  app.get('/sequence.fcpxml', member, async (c) => {
    const { snap, options } = await prepare(c);
    return file(c, snap.title, 'sequence.fcpxml', 'application/xml; charset=utf-8', toFcpxml(planTimeline(snap, options), snap.origin));
  });

  app.get('/shots.csv', member, async (c) => {
    const { snap } = await prepare(c);
    return file(c, snap.title, 'shots.csv', 'text/csv; charset=utf-8; header=present', toCsv(snap));
  });

  app.get('/shots.html', member, async (c) => {
    const { snap } = await prepare(c);
    const mode = c.req.query('thumbs') === 'link' ? 'link' : 'embed';
    const html = toShotListHtml(snap, await thumbnailSources(deps, snap, mode), new Date(deps.clock.now()));
    c.header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; img-src data: ${snap.origin}; frame-ancestors 'none'`);
    return file(c, snap.title, 'shots.html', 'text/html; charset=utf-8', html);
  });

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
