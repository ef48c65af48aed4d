import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClient, createBoard, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

it('sets, refuses and clears the city teammates see; a board opened afterwards shows it', async () => {
  const { client, user } = await signedUpClient(srv.url, { name: 'Ana' });
  expect(user.city).toBeNull();
  const set = await client.patch('/api/auth/profile', { city: '  Porto ' });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ id: user.id, name: 'Ana', city: 'Porto' });
  expect((await client.get('/api/me')).body.city).toBe('Porto');

  const long = await client.patch('/api/auth/profile', { city: 'x'.repeat(81) });
  expect(long.status).toBe(400);
  expect(long.body.error).toMatchObject({ field: 'city', message: 'city: must be at most 80 characters' });
  expect((await client.patch('/api/auth/profile', { city: 7 })).body.error.field).toBe('city');
  expect((await client.patch('/api/auth/profile', {})).body.error.field).toBe('city');
  expect((await new TestClient(srv.url).patch('/api/auth/profile', { city: 'Nowhere' })).status).toBe(401);

  const boardId = await createBoard(client);
  const other = await signedUpClient(srv.url, { name: 'Kim' });
  const inv = await client.post(`/api/boards/${boardId}/invites`, { role: 'viewer' });
  await other.client.post(`/api/invites/${inv.body.token}/accept`);
  const mine = connectBoard(srv.url, boardId, client);
  const theirs = connectBoard(srv.url, boardId, other.client);
  try {
    await Promise.all([mine.synced(), theirs.synced()]);
    mine.provider.awareness.setLocalState({ focus: null });
    const seen = await waitFor(() => [...theirs.provider.awareness.getStates().values()].find((s: any) => s.user?.id === user.id), 'Ana’s presence');
    expect(seen.user.city).toBe('Porto');
  } finally {
    mine.destroy();
    theirs.destroy();
  }

  expect((await client.patch('/api/auth/profile', { city: '' })).body.city).toBeNull();
  expect((await client.patch('/api/auth/profile', { city: null })).body.city).toBeNull();
});
