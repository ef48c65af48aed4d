import { describeRoutes } from '../../api-doc/route-doc.js';
import { TimelineAcceptBody, TimelineImportBody } from './import.routes.js';

export const timelineImportApi = describeRoutes('Timeline import', [
  {
    method: 'POST',
    path: '/api/boards/{boardId}/timeline-import',
    summary: 'Read an edited OTIO, FCPXML or CMX 3600 EDL and show how it differs from the sequence (writes nothing)',
    description: 'Clips are matched by the ids the export wrote (take id, else the clip asset in the media URL); the rest are listed, never guessed. A malformed or foreign file is a 400 naming the line or element.',
    auth: 'session-or-token',
    role: 'editor',
    body: TimelineImportBody,
    ok: { 200: '`TimelineImportDiff`' },
    errors: { 413: 'when the file is larger than 8 MB' },
  },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/timeline-import/accept',
    summary: 'Accept all or some of the file’s changes (order, trims, shots left out, transitions) into the sequence',
    auth: 'session-or-token',
    role: 'editor',
    body: TimelineAcceptBody,
    ok: { 200: '`TimelineImportResult`' },
    errors: { 409: 'when a chosen change is no longer on the board (nothing written)', 413: 'when the file is larger than 8 MB' },
  },
]);
