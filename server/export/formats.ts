/**
 * The file exports, one entry each: what it is, the file it downloads as (also its route,
 * `…/export/<file>`), its content type and its builder. `export.routes.ts` serves every entry the
 * same way (members only, attachment named after the board); a new format is a builder plus an
 * entry here. The sequence MP4 is not listed: it is a background build (202 + events,
 * `sequence-response.ts`), not a file written on request.
 */
import type { ExportFile } from '../../shared/api.js';
import type { ExportSnapshot } from './board-snapshot.js';
import { toCsv } from './csv.js';
import type { ExportDeps } from './deps.js';
import { toEdl } from './edl.js';
import { jsonText } from './escape.js';
import { toFcpxml } from './fcpxml.js';
import { reviewMarkers, type ReviewMarkers } from './markers.js';
import { toOtio } from './otio.js';
import { sequenceSidecar } from './sequence-response.js';
import { toShotListHtml } from './shot-list-html.js';
import { thumbnailSources } from './thumbnails.js';
import type { Timeline } from './timeline.js';

/** What a builder gets: the board read once, its timeline (planned on first use), the query. */
export interface FormatInput {
  deps: ExportDeps;
  snap: ExportSnapshot;
  timeline(): Timeline;
  query(name: string): string | undefined;
}

export interface ExportFormat {
  /** What the file is, for people. */
  name: string;
  /** The download's name after the board title, and the route under `…/export/` (the API's `ExportFile`). */
  file: Exclude<ExportFile, 'sequence.mp4'>;
  contentType: string;
  build(input: FormatInput): string | Promise<string>;
  /** Headers the file needs beyond the common ones (e.g. the shot list's own CSP). */
  headers?(snap: ExportSnapshot): Record<string, string>;
  /** The file carries review markers: the board's comments are read for it (no other format reads them). */
  markers?: true;
}

/** A timeline file with the board's comments placed on it as review markers (markers.ts). */
function withMarkers(write: (t: Timeline, snap: ExportSnapshot, review: ReviewMarkers) => string): Pick<ExportFormat, 'build' | 'markers'> {
  return {
    markers: true,
    build: ({ snap, timeline }) => {
      const t = timeline();
      return write(t, snap, reviewMarkers(t, snap.comments));
    },
  };
}

// Timelines are the same plan: crossfades as dissolves, slates as named gaps.
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    name: 'Sequence plan (every cut, slate and transition, with the settings used)',
    file: 'sequence.json',
    contentType: 'application/json; charset=utf-8',
    build: ({ snap, timeline }) => jsonText(sequenceSidecar(snap, timeline()), 2),
  },
  {
    name: 'OpenTimelineIO timeline',
    file: 'timeline.otio',
    contentType: 'application/json; charset=utf-8',
    ...withMarkers((t, snap, review) => jsonText(toOtio(t, snap.origin, snap.boardId, review), 4)),
  },
  {
    name: 'CMX 3600 EDL',
    file: 'sequence.edl',
    contentType: 'text/plain; charset=utf-8',
    ...withMarkers((t, snap, review) => toEdl(t, snap.origin, review)),
  },
  {
    name: 'Final Cut Pro XML',
    file: 'sequence.fcpxml',
    contentType: 'application/xml; charset=utf-8',
    ...withMarkers((t, snap, review) => toFcpxml(t, snap.origin, review)),
  },
  {
    name: 'Shot list (CSV)',
    file: 'shots.csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    build: ({ snap }) => toCsv(snap),
  },
  {
    name: 'Printable shot list (HTML; `?thumbs=link` links posters instead of embedding them)',
    file: 'shots.html',
    contentType: 'text/html; charset=utf-8',
    build: async ({ deps, snap, query }) =>
      toShotListHtml(snap, await thumbnailSources(deps, snap, query('thumbs') === 'link' ? 'link' : 'embed'), new Date(deps.clock.now())),
    headers: (snap) => ({
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data: ${snap.origin}; frame-ancestors 'none'`,
    }),
  },
];
