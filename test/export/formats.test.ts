/**
 * Every file export is served under /export/<file name> with its content type, as an attachment
 * named after the board, never cached by shared caches; the format registry (server/export/formats.ts,
 * which the routes iterate) lists exactly those files with those types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { EXPORT_FORMATS } from '../../server/export/formats.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { getBytes, storedShot } from './helpers.js';

/** The answers clients rely on (file name -> Content-Type); the registry must keep them. */
const SERVED: Record<string, string> = {
  'sequence.json': 'application/json; charset=utf-8',
  'timeline.otio': 'application/json; charset=utf-8',
  'sequence.edl': 'text/plain; charset=utf-8',
  'sequence.fcpxml': 'application/xml; charset=utf-8',
  'shots.csv': 'text/csv; charset=utf-8; header=present',
  'shots.html': 'text/html; charset=utf-8',
};

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe('export formats', () => {
  it('the registry lists each file export once, with the content type it is served with', () => {
    expect(Object.fromEntries(EXPORT_FORMATS.map((f) => [f.file, f.contentType]))).toEqual(SERVED);
    expect(new Set(EXPORT_FORMATS.map((f) => f.file)).size).toBe(EXPORT_FORMATS.length);
    for (const f of EXPORT_FORMATS) expect(f.name, f.file).not.toBe('');
    // Only the three timelines carry review markers, so only they read the board's comments.
    expect(EXPORT_FORMATS.filter((f) => f.markers).map((f) => f.file)).toEqual(['timeline.otio', 'sequence.edl', 'sequence.fcpxml']);
  });

  it('serves every format as an attachment named after the board, with its content type', async () => {
    const owner = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client, 'Dawn run');
    const conn = connectBoard(srv.url, boardId, owner.client);
    await conn.synced();
    await storedShot(srv, boardId, addShot(conn.doc, { title: 'Opening', prompt: 'x', durationSec: 2, model: 'animatic' }));
    for (const [file, type] of Object.entries(SERVED)) {
      const res = await getBytes(owner.client, `/api/boards/${boardId}/export/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toBe(type);
      expect(res.headers.get('content-disposition'), file).toBe(`attachment; filename="Dawn run - ${file}"; filename*=UTF-8''Dawn%20run%20-%20${file}`);
      expect(res.headers.get('cache-control'), file).toBe('private, no-cache');
      expect(res.bytes.length, file).toBeGreaterThan(0);
    }
    const html = await getBytes(owner.client, `/api/boards/${boardId}/export/shots.html`);
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data: http/);
    conn.destroy();
  });
});
