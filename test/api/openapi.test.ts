/**
 * GET /api/openapi.json against the real app: every route Hono serves is in the document and
 * every documented route is served; the document is valid OpenAPI 3.1 in its essentials; and the
 * body and query schemas it shows accept and refuse what the routes themselves do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiProblems } from './openapi-shape.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';

type Json = Record<string, any>;

let srv: TestServer;
let doc: Json;
let owner: TestClient;
let boardId: string;

beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
  // Fetched as a script would: no session, no Origin.
  const res = await fetch(`${srv.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await res.json()) as Json;
  owner = (await signedUpClient(srv.url, { name: 'Owner' })).client;
  boardId = await createBoard(owner, 'Documented board');
}, 60_000);
afterAll(async () => {
  await srv?.close();
});

/** Every route of the app as `METHOD /path/{param}` (middleware, catch-alls and the client's pages left out). */
function servedRoutes(): string[] {
  const keys = srv.takeboard.app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(keys)].sort();
}

function documentedRoutes(document: Json): string[] {
  return Object.entries<Json>(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

/** What differs between the app's routes and a document's, each way. */
function mismatch(document: Json) {
  const served = servedRoutes();
  const documented = documentedRoutes(document);
  return { undocumented: served.filter((r) => !documented.includes(r)), notServed: documented.filter((r) => !served.includes(r)) };
}

const operation = (method: string, path: string): Json => doc.paths[path]![method.toLowerCase()]!;

describe('the API document', () => {
  it('describes every route the app serves, and no route it does not serve', () => {
    expect(servedRoutes().length).toBeGreaterThan(50);
    expect(mismatch(doc), 'describe each route in the *.openapi.ts beside its routes file (docs/api.md, "Adding a route to it")').toEqual({ undocumented: [], notServed: [] });
    // The comparison itself notices a route left out, and one the app does not have.
    const doctored = structuredClone(doc);
    delete doctored.paths['/api/boards/{boardId}/seams'];
    doctored.paths['/api/boards/{boardId}/nothing'] = { get: {} };
    expect(mismatch(doctored)).toEqual({ undocumented: ['GET /api/boards/{boardId}/seams'], notServed: ['GET /api/boards/{boardId}/nothing'] });
  });

  it('is a valid OpenAPI 3.1 document in its essentials', () => {
    expect(openApiProblems(doc)).toEqual([]);
    // The checker is not blind: a broken copy shows its faults.
    const broken = structuredClone(doc);
    broken.openapi = '3.0.3';
    broken.paths['/api/jobs/{jobId}'].get.parameters = [];
    broken.paths['/api/me'].get.security = [{ cookieMonster: [] }];
    broken.paths['/api/health'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nowhere' };
    const problems = openApiProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi: "3.0.3" is not 3.1.x',
        'GET /api/me: security scheme cookieMonster is not declared',
        'GET /api/jobs/{jobId}: path parameter {jobId} is not described',
        '#/paths//api/health/get/responses/200/content/application/json/schema: $ref #/components/schemas/Nowhere does not resolve',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  /** The machine's Python ships openapi-spec-validator (the official 3.1 schema and its rules): a second opinion where it is. */
  const specValidator = spawnSync('python3', ['-c', 'import openapi_spec_validator'], { stdio: 'ignore' }).status === 0;
  /** Validates each document of a JSON list in one run (the import is slow): `<index> <message>` lines. */
  const VALIDATE = [
    'import json, sys',
    'from openapi_spec_validator import OpenAPIV31SpecValidator',
    'for i, d in enumerate(json.load(sys.stdin)):',
    '    for e in OpenAPIV31SpecValidator(d).iter_errors(): print(i, e.message)',
  ].join('\n');
  /** Run beside the server (not blocking its event loop, which serves this test's other requests). */
  function validatorSays(documents: Json[]): Promise<string[]> {
    const child = spawn('python3', ['-c', VALIDATE], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stdin.end(JSON.stringify(documents));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`openapi-spec-validator exited with ${code}`))));
    });
  }

  it.runIf(specValidator)('passes openapi-spec-validator, which does see a broken copy', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/api/me'].get.responses['200'].description;
    expect(await validatorSays([doc, broken])).toEqual(["1 'description' is a required property"]);
  }, 60_000);

  it('says how each route authenticates: session cookie, bearer token, or nothing', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiToken', 'guestLink', 'sessionCookie']);
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'takeboard_session' });
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation('GET', '/api/health').security).toEqual([]);
    expect(operation('GET', '/api/openapi.json').security).toEqual([]);
    expect(operation('GET', '/api/auth/tokens').security).toEqual([{ sessionCookie: [] }]);
    expect(operation('POST', '/api/boards/{boardId}/shots/{shotId}/generate').security).toEqual([{ sessionCookie: [] }, { apiToken: [] }]);
    expect(operation('POST', '/api/boards/{boardId}/shots/{shotId}/generate')['x-takeboard-role']).toBe('editor');
  });

  it('shows the one error shape, and the event streams and the sync socket as what they are', () => {
    const errorShape = doc.components.schemas.ErrorAnswer;
    expect(errorShape.properties.error.required).toEqual(['code', 'message']);
    expect(errorShape.properties.error.properties.code.enum).toContain('invalid_field');
    expect(operation('POST', '/api/boards').responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorAnswer' });
    const events = operation('GET', '/api/boards/{boardId}/events');
    expect(events['x-takeboard-transport']).toBe('sse');
    expect(Object.keys(events.responses['200'].content)).toEqual(['text/event-stream']);
    const sync = operation('GET', '/sync/{boardId}');
    expect(sync['x-takeboard-transport']).toBe('websocket');
    expect(Object.keys(sync.responses)).toContain('101');
    expect(sync.description).toMatch(/`4404` notFound/);
  });
});

describe('the auth each route declares is the auth it asks for', () => {
  const MADE_UP = 'x9zq7m2k4p8r6t1w3y5v0nab';
  /** Every documented HTTP operation (the sync socket's admission is tested in the authz matrix). */
  const operations = () =>
    Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      Object.entries<Json>(item)
        .filter(([, op]) => op['x-takeboard-transport'] !== 'websocket')
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op, url: path.replace(/\{\w+\}/g, MADE_UP) })),
    );
  const schemesOf = (op: Json) => (op.security as Json[]).flatMap((requirement) => Object.keys(requirement)).sort();

  it('routes with no security answer without a session; the others answer 401 without one', async () => {
    for (const { method, path, op, url } of operations()) {
      const res = await fetch(srv.url + url, { method, headers: { origin: srv.origin, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      await res.body?.cancel();
      const open = schemesOf(op).length === 0;
      expect({ route: `${method} ${path}`, open, status: res.status === 401 ? 401 : 'not 401' }).toEqual({ route: `${method} ${path}`, open, status: open ? 'not 401' : 401 });
    }
  });

  it('an API token reaches exactly the routes that list apiToken, and is refused (401 or 403) on the rest', async () => {
    const made = await owner.post('/api/auth/tokens', { name: 'Prober', boards: 'all', access: 'write' });
    expect(made.status).toBe(201);
    for (const { method, path, op, url } of operations()) {
      const schemes = schemesOf(op);
      if (schemes.length === 0) continue;
      // Made-up ids everywhere: a route the token may reach answers 404 for them, never 401 or 403
      // (session routes refuse a token with 403, guest routes know only their own cookie: 401).
      const res = await fetch(srv.url + url, { method, headers: { authorization: `Bearer ${made.body.secret}`, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      await res.body?.cancel();
      const token = schemes.includes('apiToken');
      expect({ route: `${method} ${path}`, token, refused: [401, 403].includes(res.status) }).toEqual({ route: `${method} ${path}`, token, refused: !token });
    }
  });
});

/** The document's JSON Schema for a request body, read back as a validator. */
function bodyValidator(method: string, path: string) {
  return z.fromJSONSchema(operation(method, path).requestBody.content['application/json'].schema);
}

/** Asks the route and the document about the same body: both accept it, or both refuse it. */
async function agree(method: 'POST' | 'PATCH', docPath: string, url: string, body: unknown) {
  const documented = bodyValidator(method, docPath).safeParse(body).success;
  const res = await owner.request(method, url, body);
  const refused = res.status === 400 && ['invalid_field', 'invalid_json'].includes(res.body?.error?.code);
  return { body, documented, route: refused ? 'refused' : `answered ${res.status}` };
}

describe('the document’s schemas are the routes’ own', () => {
  it('POST /api/auth/tokens: the document accepts exactly the bodies the route accepts', async () => {
    const path = '/api/auth/tokens';
    const accepted = [
      { name: 'CI', boards: 'all', access: 'read' },
      { name: 'Render farm', boards: [boardId], access: 'write', expiresInDays: 30 },
      { name: 'Nightly', boards: 'all', access: 'read', expiresInDays: null },
    ];
    const refused = [
      { name: '', boards: 'all', access: 'read' },
      { boards: 'all', access: 'read' },
      { name: 'CI', boards: [], access: 'read' },
      { name: 'CI', boards: 'some', access: 'read' },
      { name: 'CI', boards: 'all', access: 'admin' },
      { name: 'CI', boards: 'all', access: 'read', expiresInDays: 0 },
      { name: 'CI', boards: 'all', access: 'read', expiresInDays: 1.5 },
      { name: 'CI', boards: 'all', access: 'read', expiresInDays: 366 },
    ];
    for (const body of accepted) expect(await agree('POST', path, path, body)).toEqual({ body, documented: true, route: 'answered 201' });
    for (const body of refused) expect(await agree('POST', path, path, body)).toEqual({ body, documented: false, route: 'refused' });
  });

  it('POST /api/boards/{boardId}/webhooks: the same', async () => {
    const url = `/api/boards/${boardId}/webhooks`;
    const path = '/api/boards/{boardId}/webhooks';
    const ok = { url: 'https://hooks.invalid/takeboard', events: ['take.succeeded', 'export.ready'] };
    expect(await agree('POST', path, url, ok)).toEqual({ body: ok, documented: true, route: 'answered 201' });
    for (const body of [{ ...ok, events: [] }, { ...ok, events: ['take.started'] }, { url: ok.url }, { ...ok, url: '' }, { ...ok, url: 42 }]) {
      expect(await agree('POST', path, url, body)).toEqual({ body, documented: false, route: 'refused' });
    }
  });

  it('GET /api/notifications?limit=: the documented range is the one the route keeps', async () => {
    const param = operation('GET', '/api/notifications').parameters.find((p: Json) => p.name === 'limit');
    const documented = z.fromJSONSchema(param.schema);
    for (const limit of [0, 1, 50, 100, 101, 2.5]) {
      const res = await owner.get(`/api/notifications?limit=${limit}`);
      expect({ limit, documented: documented.safeParse(limit).success, status: res.status }).toEqual({ limit, documented: res.status === 200, status: res.status });
    }
    expect(param.schema.default).toBe(50);
  });
});
