/**
 * The import routes refuse, and the board stays as it was: a viewer (403), a file from another
 * board or made elsewhere (400, naming the first clip and why), a file larger than the limit,
 * a malformed file (400 naming the line, with `details.at`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, shotsInOrder } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
let owner: TestClient;
let viewer: TestClient;
let boardId: string;
let conn: BoardConnection;

beforeAll(async () => {
  srv = await startTestServer();
  owner = (await signedUpClient(srv.url, { name: 'Owner' })).client;
  viewer = (await signedUpClient(srv.url, { name: 'Viewer' })).client;
  boardId = await createBoard(owner, 'Refusals');
  await joinWithRole(owner, viewer, boardId, 'viewer');
  conn = connectBoard(srv.url, boardId, owner);
  await conn.synced();
  addShot(conn.doc, { title: 'Only shot', model: 'animatic' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => shotsInOrder(d).length === 1), 'the shot stored');
}, 60_000);
afterAll(async () => {
  conn?.destroy();
  await srv?.close();
});

const post = (client: TestClient, body: unknown, accept = false) => client.post(`/api/boards/${boardId}/timeline-import${accept ? '/accept' : ''}`, body);
const boardNow = () => srv.takeboard.hub.read(boardId, (d) => JSON.stringify(shotsInOrder(d)));

const FOREIGN_OTIO = JSON.stringify({
  OTIO_SCHEMA: 'Timeline.1',
  tracks: { OTIO_SCHEMA: 'Stack.1', children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Video', children: [
    { OTIO_SCHEMA: 'Clip.2', name: 'Elsewhere', metadata: { takeboard: { shotId: 'shot_other', takeId: 'take_other' } }, source_range: { start_time: { value: 0, rate: 24 }, duration: { value: 48, rate: 24 } } },
  ] }] },
});

describe('timeline import refusals', () => {
  it('is for editors and owners: a viewer gets 403 and the board is unchanged', async () => {
    const before = await boardNow();
    for (const accept of [false, true]) {
      const res = await post(viewer, { file: FOREIGN_OTIO, accept: 'all' }, accept);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('This needs the editor role on this board; you are a viewer');
    }
    expect(await boardNow()).toBe(before);
  });

  it('refuses a timeline none of whose clips is this board’s, naming the first clip and why', async () => {
    const before = await boardNow();
    for (const accept of [false, true]) {
      const res = await post(owner, { file: FOREIGN_OTIO, accept: 'all' }, accept);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('None of the clips in this OpenTimelineIO file is a shot of this board (track 1, item 1: take take_other is not a take of this board (deleted, or from another board)); import a timeline exported from this board');
    }
    expect(await boardNow()).toBe(before);
  });

  it('refuses a malformed file with the line that failed, on preview and on accept', async () => {
    const edl = 'TITLE: cut\r\nFCM: NON-DROP FRAME\r\n001  AX  V  C  00:00:00:00 00:00:02:00 01:00:00:00 01:00:02:00\r\n<script>alert(1)</script>\r\n';
    for (const accept of [false, true]) {
      const res = await post(owner, { file: edl, accept: 'all' }, accept);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad_request', message: 'This CMX 3600 EDL cannot be read (line 4): "<script>alert(1)</script>" is not a CMX 3600 event, comment or note' });
      expect(res.body.details).toEqual({ at: 'line 4' });
    }
  });

  it('refuses a file over the size limit, and a body that is not the expected shape', async () => {
    const big = await post(owner, { file: 'TITLE: x\n' + '*'.repeat(9 * 1024 * 1024) });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toBe('file: the file is larger than 8 MB');
    const huge = await fetch(`${srv.url}/api/boards/${boardId}/timeline-import`, {
      method: 'POST', headers: { cookie: owner.cookieHeader, origin: owner.origin ?? srv.url, 'content-type': 'application/json' }, body: JSON.stringify({ file: 'x'.repeat(17 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.message).toBe('The timeline file is larger than 8 MB');
    expect((await post(owner, { file: FOREIGN_OTIO, accept: [] }, true)).body.error.message).toBe('accept: accept at least one change');
    expect((await post(owner, {})).body.error.message).toMatch(/^file: /);
  });
});
