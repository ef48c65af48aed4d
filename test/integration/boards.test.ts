import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => srv.close());

describe('boards', () => {
  it('creates, lists, reads, renames and deletes a board', async () => {
    const { client } = await signedUpClient(srv.url);
    const created = await client.post('/api/boards', { title: 'Night market one-take' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Night market one-take', role: 'owner' });
    const id = created.body.id;
    expect((await client.get('/api/boards')).body.map((b: any) => b.id)).toContain(id);
    expect((await client.get(`/api/boards/${id}`)).body).toMatchObject({ id, role: 'owner' });
    expect((await client.patch(`/api/boards/${id}`, { title: 'Renamed' })).body.title).toBe('Renamed');
    expect((await client.delete(`/api/boards/${id}`)).status).toBe(204);
    expect((await client.get(`/api/boards/${id}`)).status).toBe(404);
    expect((await client.get('/api/boards')).body).toEqual([]);
  });

  it('refuses an empty title with the field named', async () => {
    const { client } = await signedUpClient(srv.url);
    const res = await client.post('/api/boards', { title: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('title');
  });

  it('answers 404 to a non-member on every board route, same as for a board that does not exist', async () => {
    const owner = await signedUpClient(srv.url);
    const stranger = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/boards/${boardId}`],
      ['PATCH', `/api/boards/${boardId}`, { title: 'x' }],
      ['DELETE', `/api/boards/${boardId}`],
      ['GET', `/api/boards/${boardId}/members`],
      ['PATCH', `/api/boards/${boardId}/members/${owner.user.id}`, { role: 'viewer' }],
      ['DELETE', `/api/boards/${boardId}/members/${owner.user.id}`],
      ['POST', `/api/boards/${boardId}/invites`, { role: 'editor' }],
      ['GET', `/api/boards/${boardId}/invites`],
      ['DELETE', `/api/boards/${boardId}/invites/whatever`],
    ];
    for (const [method, path, body] of routes) {
      const real = await stranger.client.request(method, path, body);
      const ghost = await stranger.client.request(method, path.replace(boardId, 'no-such-board'), body);
      expect(real.status, `${method} ${path}`).toBe(404);
      expect(real.body, `${method} ${path}`).toEqual(ghost.body);
    }
    // and nothing changed
    expect((await owner.client.get(`/api/boards/${boardId}`)).body.title).toBe('Test board');
  });

  it('lets an editor edit but not rename or delete the board or manage members (403)', async () => {
    const owner = await signedUpClient(srv.url);
    const editor = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    await joinWithRole(owner.client, editor.client, boardId, 'editor');
    expect((await editor.client.patch(`/api/boards/${boardId}`, { title: 'Editor title' })).status).toBe(403);
    expect((await editor.client.delete(`/api/boards/${boardId}`)).status).toBe(403);
    expect((await editor.client.patch(`/api/boards/${boardId}/members/${owner.user.id}`, { role: 'viewer' })).status).toBe(403);
    expect((await editor.client.delete(`/api/boards/${boardId}/members/${owner.user.id}`)).status).toBe(403);
    expect((await editor.client.post(`/api/boards/${boardId}/invites`, { role: 'viewer' })).status).toBe(403);
    const forbidden = await editor.client.delete(`/api/boards/${boardId}`);
    expect(forbidden.body.error.code).toBe('forbidden');
    expect((await owner.client.get(`/api/boards/${boardId}`)).status).toBe(200);
  });

  it('lets a viewer read but not write', async () => {
    const owner = await signedUpClient(srv.url);
    const viewer = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
    expect((await viewer.client.get(`/api/boards/${boardId}`)).body.role).toBe('viewer');
    expect((await viewer.client.get(`/api/boards/${boardId}/members`)).status).toBe(200);
    expect((await viewer.client.patch(`/api/boards/${boardId}`, { title: 'nope' })).status).toBe(403);
  });

  it('manages members: list, change role, remove; a member may leave', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Olu', city: 'Lagos' });
    const a = await signedUpClient(srv.url, { name: 'Ana' });
    const b = await signedUpClient(srv.url, { name: 'Bo' });
    const boardId = await createBoard(owner.client);
    await joinWithRole(owner.client, a.client, boardId, 'editor');
    await joinWithRole(owner.client, b.client, boardId, 'viewer');
    const members = (await owner.client.get(`/api/boards/${boardId}/members`)).body;
    expect(members.map((m: any) => [m.name, m.role])).toEqual([['Olu', 'owner'], ['Ana', 'editor'], ['Bo', 'viewer']]);
    expect(members[0].city).toBe('Lagos');

    const promoted = await owner.client.patch(`/api/boards/${boardId}/members/${b.user.id}`, { role: 'editor' });
    expect(promoted.body.role).toBe('editor');
    const king = await owner.client.patch(`/api/boards/${boardId}/members/${b.user.id}`, { role: 'king' });
    expect(king.status).toBe(400);
    expect(king.body.error).toMatchObject({ field: 'role', message: expect.stringMatching(/owner.*editor.*commenter.*viewer/) });
    const reviewer = await owner.client.patch(`/api/boards/${boardId}/members/${b.user.id}`, { role: 'commenter' });
    expect(reviewer.body.role).toBe('commenter');
    expect((await owner.client.patch(`/api/boards/${boardId}/members/${b.user.id}`, { role: 'editor' })).body.role).toBe('editor');

    expect((await owner.client.delete(`/api/boards/${boardId}/members/${a.user.id}`)).status).toBe(204);
    expect((await a.client.get(`/api/boards/${boardId}`)).status).toBe(404);

    expect((await b.client.delete(`/api/boards/${boardId}/members/${b.user.id}`)).status).toBe(204);
    expect((await b.client.get(`/api/boards/${boardId}`)).status).toBe(404);
  });

  it('never leaves a board without an owner', async () => {
    const owner = await signedUpClient(srv.url);
    const second = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    const demote = await owner.client.patch(`/api/boards/${boardId}/members/${owner.user.id}`, { role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/last owner/);
    expect((await owner.client.delete(`/api/boards/${boardId}/members/${owner.user.id}`)).status).toBe(409);

    await joinWithRole(owner.client, second.client, boardId, 'editor');
    await owner.client.patch(`/api/boards/${boardId}/members/${second.user.id}`, { role: 'owner' });
    // with two owners, one may step down
    expect((await owner.client.patch(`/api/boards/${boardId}/members/${owner.user.id}`, { role: 'editor' })).status).toBe(200);
    expect((await second.client.delete(`/api/boards/${boardId}/members/${second.user.id}`)).status).toBe(409);
  });

  it('requires a session for board routes (401)', async () => {
    const res = await new TestClient(srv.url).post('/api/boards', { title: 'x' });
    expect(res.status).toBe(401);
  });
});
