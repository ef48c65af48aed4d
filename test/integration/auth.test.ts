import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestClient, signedUpClient, uniqueEmail } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => srv.close());

describe('accounts', () => {
  it('signs up, reads /me, logs out and logs back in', async () => {
    const c = new TestClient(srv.url);
    const email = uniqueEmail('Mixed.Case');
    const signup = await c.post('/api/auth/signup', { email: `  ${email.toUpperCase()} `, password: 'a long password', name: 'Ana', city: 'Lisbon' });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ email: email.toLowerCase(), name: 'Ana', city: 'Lisbon' });
    expect(signup.body).not.toHaveProperty('password_hash');
    const cookie = signup.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain-http origin in tests

    expect((await c.get('/api/me')).body).toMatchObject({ id: signup.body.id, name: 'Ana' });
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect((await c.get('/api/me')).status).toBe(401);

    const login = await c.post('/api/auth/login', { email, password: 'a long password' });
    expect(login.status).toBe(200);
    expect(login.body.id).toBe(signup.body.id);
    expect((await c.get('/api/me')).status).toBe(200);
  });

  it('answers a taken email (whatever its case) like a new one, but opens nothing and leaves the account alone', async () => {
    const { email, password, user } = await signedUpClient(srv.url);
    const c = new TestClient(srv.url);
    const res = await c.post('/api/auth/signup', { email: email.toUpperCase(), password: 'another password', name: 'B' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['city', 'email', 'id', 'name']);
    expect(res.body.id).not.toBe(user.id);
    expect(res.headers.getSetCookie()[0]).toMatch(/^takeboard_session=.+HttpOnly/);
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await new TestClient(srv.url).post('/api/auth/login', { email, password: 'another password' })).status).toBe(401);
    expect((await new TestClient(srv.url).post('/api/auth/login', { email, password })).body.id).toBe(user.id);
  });

  it('refuses a short password and a bad email with the field named (400)', async () => {
    const c = new TestClient(srv.url);
    const short = await c.post('/api/auth/signup', { email: uniqueEmail(), password: 'short', name: 'C' });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'invalid_field', field: 'password' });
    expect(short.body.error.message).toMatch(/10 characters/);
    const bad = await c.post('/api/auth/signup', { email: 'not-an-email', password: 'long enough pw', name: 'C' });
    expect(bad.body.error).toMatchObject({ code: 'invalid_field', field: 'email' });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const { email } = await signedUpClient(srv.url);
    const c = new TestClient(srv.url);
    const wrong = await c.post('/api/auth/login', { email, password: 'wrong password!' });
    const unknown = await c.post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('slows repeated failures for one email with 429 and Retry-After, even with the right password', async () => {
    const { email, password } = await signedUpClient(srv.url);
    const c = new TestClient(srv.url);
    for (let i = 0; i < 5; i++) expect((await c.post('/api/auth/login', { email, password: 'nope nope nope' })).status).toBe(401);
    const locked = await c.post('/api/auth/login', { email, password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.error.code).toBe('rate_limited');
  });

  it('answers 401 without a session and for a tampered cookie', async () => {
    const anon = new TestClient(srv.url);
    expect((await anon.get('/api/me')).status).toBe(401);
    expect((await anon.get('/api/boards')).status).toBe(401);
    const { client } = await signedUpClient(srv.url);
    const token = client.cookies.get('takeboard_session')!;
    client.cookies.set('takeboard_session', token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'));
    expect((await client.get('/api/me')).status).toBe(401);
    client.cookies.set('takeboard_session', "'; drop table users; --");
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('refuses mutations from a foreign or missing Origin (403)', async () => {
    const { email, password } = await signedUpClient(srv.url);
    const evil = new TestClient(srv.url, 'https://evil.example');
    const res = await evil.post('/api/auth/login', { email, password });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('origin_forbidden');
    const none = new TestClient(srv.url, null);
    expect((await none.post('/api/auth/login', { email, password })).status).toBe(403);
  });

  it('answers malformed JSON with 400 invalid_json, never 500', async () => {
    const c = new TestClient(srv.url);
    const res = await c.request('POST', '/api/auth/signup', undefined, { raw: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    const arr = await c.request('POST', '/api/auth/login', undefined, { raw: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(arr.status).toBe(400);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await new TestClient(srv.url).get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('ends every session on logout-everywhere', async () => {
    const { client, email, password } = await signedUpClient(srv.url);
    const other = new TestClient(srv.url);
    expect((await other.post('/api/auth/login', { email, password })).status).toBe(200);
    expect((await client.post('/api/auth/logout-everywhere')).status).toBe(204);
    expect((await other.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('does not honour a session token held before login (fixation)', async () => {
    const victim = await signedUpClient(srv.url);
    const planted = victim.client.cookies.get('takeboard_session')!;
    const res = await victim.client.post('/api/auth/login', { email: victim.email, password: victim.password });
    expect(res.status).toBe(200);
    expect(victim.client.cookies.get('takeboard_session')).not.toBe(planted);
    const attacker = new TestClient(srv.url);
    attacker.cookies.set('takeboard_session', planted);
    expect((await attacker.get('/api/me')).status).toBe(401);
  });
});
