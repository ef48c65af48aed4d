import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestClient, createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { storedShot } from './helpers.js';

const EXPORTS = ['sequence.mp4', 'sequence.json', 'timeline.otio', 'sequence.edl', 'sequence.fcpxml', 'shots.csv', 'shots.html', 'events'];

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe('export access', () => {
  it('answers 404 to a non-member and 401 without a session, for every export', async () => {
    const owner = await signedUpClient(srv.url);
    const stranger = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client, 'Secret board');
    for (const file of EXPORTS) {
      const path = `/api/boards/${boardId}/export/${file}`;
      const res = await stranger.client.get(path);
      expect(res.status, file).toBe(404);
      expect(res.body.error.code, file).toBe('not_found');
      expect(JSON.stringify(res.body), file).not.toContain('Secret');
      expect((await new TestClient(srv.url).get(path)).status, file).toBe(401);
    }
    // A board that does not exist looks the same as one you are not in.
    expect((await stranger.client.get('/api/boards/no-such-board/export/shots.csv')).status).toBe(404);
  });

  it('lets a viewer export; a board with no shots has no sequence (409), a shot without a take is a slate', async () => {
    const owner = await signedUpClient(srv.url);
    const viewer = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client, 'Shared board');
    await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
    const conn = connectBoard(srv.url, boardId, owner.client);
    await conn.synced();
    const none = await viewer.client.get(`/api/boards/${boardId}/export/sequence.mp4`);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/no shots/);
    const shot = addShot(conn.doc, { title: 'Nothing yet', prompt: 'x', durationSec: 2, model: 'animatic' });
    await storedShot(srv, boardId, shot);
    for (const file of ['timeline.otio', 'sequence.edl', 'sequence.fcpxml', 'shots.csv', 'shots.html', 'sequence.json']) {
      expect((await viewer.client.get(`/api/boards/${boardId}/export/${file}`)).status, file).toBe(200);
    }
    const slate = await viewer.client.get(`/api/boards/${boardId}/export/sequence.json`);
    expect(slate.body).toMatchObject({ frames: 48, cuts: [{ kind: 'slate', shotId: shot, slate: { label: 'Shot 1: Nothing yet', reason: 'no selected take' } }] });
    const card = await viewer.client.request('GET', `/api/boards/${boardId}/export/sequence.mp4`);
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('video/mp4');
    expect(card.headers.get('x-takeboard-skipped-shots')).toBe(shot);
    conn.destroy();
  });
});
