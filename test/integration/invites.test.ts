import { afterAll, beforeAll, expect, it } from 'vitest';
import { manualClock } from '../../server/lib/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';

const clock = manualClock(Date.UTC(2026, 10, 24));
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ clock });
});
afterAll(async () => srv.close());

it('an invite link adds the member with its role, and previews the board', async () => {
  const owner = await signedUpClient(srv.url);
  const guest = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client, 'Rooftop chase');
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'editor' });
  expect(inv.status).toBe(201);
  expect(inv.body.url).toBe(`${srv.origin}/invite/${inv.body.token}`);

  const preview = await new TestClient(srv.url).get(`/api/invites/${inv.body.token}`);
  expect(preview.body).toMatchObject({ boardTitle: 'Rooftop chase', role: 'editor' });

  expect((await new TestClient(srv.url).post(`/api/invites/${inv.body.token}/accept`)).status).toBe(401);
  const acc = await guest.client.post(`/api/invites/${inv.body.token}/accept`);
  expect(acc.body).toEqual({ boardId, role: 'editor' });
  expect((await guest.client.get(`/api/boards/${boardId}`)).body.role).toBe('editor');
});

it('an invite never lowers an existing role', async () => {
  const owner = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client);
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'viewer' });
  const acc = await owner.client.post(`/api/invites/${inv.body.token}/accept`);
  expect(acc.body.role).toBe('owner');
});

it('refuses an invite for the owner role, naming the roles an invite may grant', async () => {
  const owner = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client);
  const res = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'owner' });
  expect(res.status).toBe(400);
  expect(res.body.error.field).toBe('role');
  expect(res.body.error.message).toMatch(/editor.*commenter.*viewer/);
});

it('a commenter invite makes a reviewer: commenter role, read routes open, editor routes 403 naming the role', async () => {
  const owner = await signedUpClient(srv.url);
  const reviewer = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client, 'Review');
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'commenter' });
  expect(inv.status).toBe(201);
  expect((await new TestClient(srv.url).get(`/api/invites/${inv.body.token}`)).body.role).toBe('commenter');
  expect((await reviewer.client.post(`/api/invites/${inv.body.token}/accept`)).body).toEqual({ boardId, role: 'commenter' });
  expect((await reviewer.client.get(`/api/boards/${boardId}`)).body.role).toBe('commenter');
  expect((await reviewer.client.get(`/api/boards/${boardId}/members`)).status).toBe(200);
  const generate = await reviewer.client.post(`/api/boards/${boardId}/shots/any-shot/generate`, {});
  expect(generate.status).toBe(403);
  expect(generate.body.error.message).toBe('This needs the editor role on this board; you are a commenter');
  const rename = await reviewer.client.patch(`/api/boards/${boardId}`, { title: 'Mine now' });
  expect(rename.body.error.message).toBe('This needs the owner role on this board; you are a commenter');
  expect((await reviewer.client.post(`/api/boards/${boardId}/invites`, { role: 'viewer' })).status).toBe(403);
});

it('an expired invite is refused with a clear message (410)', async () => {
  const owner = await signedUpClient(srv.url);
  const guest = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client);
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'viewer', expiresInHours: 1 });
  clock.advance(61 * 60_000);
  const res = await guest.client.post(`/api/invites/${inv.body.token}/accept`);
  expect(res.status).toBe(410);
  expect(res.body.error.message).toMatch(/expired/);
  expect((await guest.client.get(`/api/boards/${boardId}`)).status).toBe(404);
});

it('a revoked invite is refused, and listed as revoked', async () => {
  const owner = await signedUpClient(srv.url);
  const guest = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client);
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'editor' });
  expect((await owner.client.delete(`/api/boards/${boardId}/invites/${inv.body.id}`)).status).toBe(204);
  const res = await guest.client.post(`/api/invites/${inv.body.token}/accept`);
  expect(res.status).toBe(410);
  expect(res.body.error.message).toMatch(/revoked/);
  const list = (await owner.client.get(`/api/boards/${boardId}/invites`)).body;
  expect(list[0]).toMatchObject({ id: inv.body.id, revokedAt: expect.any(String) });
  expect(list[0]).not.toHaveProperty('token');
});

it('an invite belongs to one board: its id cannot be revoked through another board', async () => {
  const owner = await signedUpClient(srv.url);
  const boardA = await createBoard(owner.client, 'A');
  const boardB = await createBoard(owner.client, 'B');
  const inv = await owner.client.post(`/api/boards/${boardA}/invites`, { role: 'editor' });
  expect((await owner.client.delete(`/api/boards/${boardB}/invites/${inv.body.id}`)).status).toBe(404);
  expect((await new TestClient(srv.url).get(`/api/invites/${inv.body.token}`)).status).toBe(200);
});

it('an unknown token is a 404', async () => {
  const guest = await signedUpClient(srv.url);
  expect((await guest.client.post('/api/invites/not-a-real-token/accept')).status).toBe(404);
});
