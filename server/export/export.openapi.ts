import { describeRoutes, type RouteDoc } from '../api-doc/route-doc.js';
import { EXPORT_FORMATS } from './formats.js';
import { TimelineQuery } from './timeline.js';

const base = '/api/boards/{boardId}/export';

/** One entry per file format of the registry, so a new format is described as it is added. */
const files: RouteDoc[] = EXPORT_FORMATS.map((format) => ({
  method: 'GET',
  path: `${base}/${format.file}`,
  summary: format.name,
  ...(format.file === 'shots.html' ? { description: '`?thumbs=link` links the thumbnails instead of embedding them.' } : {}),
  auth: 'session',
  role: 'viewer',
  query: TimelineQuery,
  produces: format.contentType.split(';')[0]!,
  ok: { 200: `\`${format.file}\`, an attachment named after the board` },
}));

export const exportApi = describeRoutes('Exports', [
  {
    method: 'GET',
    path: `${base}/sequence.mp4`,
    summary: 'The stitched sequence',
    description: 'With `Prefer: respond-async`: 200 when built, or 202 `ExportStatus` while a build runs (progress on the export event stream). `X-Takeboard-Skipped-Shots` names shots without a take.',
    auth: 'session',
    role: 'viewer',
    query: TimelineQuery,
    produces: 'video/mp4',
    ok: { 200: 'The MP4', 202: '`ExportStatus`: the build is running' },
  },
  ...files,
  {
    method: 'GET',
    path: `${base}/events`,
    summary: 'Sequence builds’ progress (Server-Sent Events)',
    description: 'First `event: ready`, then `event: export` with an `ExportStatus` (`{ id, kind, status, progress, error?, url }`).',
    auth: 'session',
    role: 'viewer',
    transport: 'sse',
    ok: { 200: 'The event stream' },
    errors: { 429: 'Too many open streams for this account' },
  },
]);
