/**
 * Builds the OpenAPI 3.1 document from the route descriptions. Request bodies and query
 * parameters are converted from the routes' own zod schemas with zod's `z.toJSONSchema`, on
 * their input side (what a caller sends, before defaults and transforms), so the document says
 * exactly what `readJson`/`readQuery` accept.
 */
import { z } from 'zod';
import { ErrorAnswer, SECURITY, securitySchemes } from './components.js';
import type { RouteAuth, RouteDoc, RouteGroup } from './route-doc.js';

type Json = Record<string, unknown>;

const ERROR_REF = { $ref: '#/components/schemas/ErrorAnswer' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

/** A zod schema as a JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a caller may send. */
export function inputSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Json;
  // `$defs` would be referenced as `#/$defs/…` from the document's root, where they are not.
  if ('$defs' in json) throw new Error('A route schema with shared definitions cannot be inlined into the API document');
  return json;
}

/** `/api/boards/{boardId}/shots/{shotId}` → ['boardId', 'shotId']. */
const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** `POST /api/boards/{boardId}/duplicate` → `postBoardsByBoardIdDuplicate`. */
function operationId(route: RouteDoc): string {
  const words = route.path
    .split('/')
    .filter((s) => s !== '' && s !== 'api')
    .flatMap((s) => (s.startsWith('{') ? ['by', s.slice(1, -1)] : s.split(/[^A-Za-z0-9]+/)));
  return route.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function parameters(route: RouteDoc): Json[] {
  const inPath = pathParams(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!route.query) return inPath;
  const query = inputSchema(route.query);
  const props = (query.properties ?? {}) as Record<string, Json>;
  const required = new Set((query.required ?? []) as string[]);
  const inQuery = Object.entries(props).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
  return [...inPath, ...inQuery];
}

function requestBody(route: RouteDoc): Json | undefined {
  if (route.multipart) {
    const { field, description } = route.multipart;
    return {
      required: true,
      content: { 'multipart/form-data': { schema: { type: 'object', required: [field], properties: { [field]: { description, contentMediaType: 'application/octet-stream' } } } } },
    };
  }
  if (!route.body) return undefined;
  // `readJson` reads an empty body as `{}`: the body may be left out when `{}` is valid.
  return { required: !route.body.safeParse({}).success, content: { 'application/json': { schema: inputSchema(route.body) } } };
}

const NO_CONTENT = new Set([101, 204, 304]);

function successContent(route: RouteDoc, status: number): Json | undefined {
  if (NO_CONTENT.has(status)) return undefined;
  if (route.transport === 'sse') return { 'text/event-stream': { schema: { type: 'string' } } };
  const type = route.produces ?? 'application/json';
  return { [type]: type.startsWith('text/') ? { schema: { type: 'string' } } : {} };
}

const UNAUTHORIZED: Record<Exclude<RouteAuth, 'none'>, string> = {
  session: 'No valid session',
  'session-or-token': 'No session, or an API token that is unknown, revoked or expired (saying which)',
  guest: 'No guest session, or its review link expired or was revoked (saying which)',
};

/** The error answers a route's auth, role and input imply, then its own. */
function errorResponses(route: RouteDoc): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (route.transport !== 'websocket') {
    if (route.body || route.query || route.multipart) out[400] = errorResponse('Bad input: `invalid_json`, or `invalid_field` naming the field and what it accepts');
    if (route.auth !== 'none') out[401] = errorResponse(UNAUTHORIZED[route.auth]);
    const refused = [
      route.role ? `your role on the board is below ${route.role}${route.auth === 'session-or-token' ? ' (or a read-only token on a write)' : ''}` : null,
      route.auth === 'session' ? 'an API token (this route is for people signed in)' : null,
      route.auth !== 'none' && route.method !== 'GET' ? 'a cookie request without this site’s Origin' : null,
    ].filter(Boolean);
    if (refused.length > 0) out[403] = errorResponse(`Refused: ${refused.join('; ')}`);
    if (route.role) out[404] = errorResponse('Not found, or not a board you (or your token) may reach: the same answer, so a board’s existence never leaks');
  }
  // A refused WebSocket handshake is answered in plain text; everything else in the one error shape.
  const answer = route.transport === 'websocket' ? (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } }) : errorResponse;
  for (const [status, why] of Object.entries(route.errors ?? {})) out[status] = answer(why!);
  out.default = answer('Any other error (413 too large, 429 slow down with `Retry-After`, 507 storage full, 500)');
  return out;
}

function operation(route: RouteDoc, tag: string): Json {
  const responses: Record<string, Json> = {};
  for (const [status, description] of Object.entries(route.ok)) {
    const content = successContent(route, Number(status));
    responses[status] = { description: description!, ...(content ? { content } : {}) };
  }
  const params = parameters(route);
  const body = requestBody(route);
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [tag],
    security: SECURITY[route.auth],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { ...responses, ...errorResponses(route) },
    ...(route.role ? { 'x-takeboard-role': route.role } : {}),
    ...(route.transport ? { 'x-takeboard-transport': route.transport } : {}),
  };
}

export interface ApiDocumentOptions {
  /** The origin the API is served at (PUBLIC_ORIGIN). */
  publicOrigin: string;
}

/** The whole document. Throws when two descriptions claim the same method and path. */
export function buildApiDocument(groups: readonly RouteGroup[], opts: ApiDocumentOptions): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const group of groups) {
    for (const route of group.routes) {
      const item = (paths[route.path] ??= {});
      const method = route.method.toLowerCase();
      if (item[method]) throw new Error(`${route.method} ${route.path} is described twice`);
      item[method] = operation(route, group.tag);
    }
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Takeboard API',
      version: '1',
      description:
        'Every HTTP route of a Takeboard server, the live sync WebSocket and the event streams. Generated from the zod schemas the routes validate with; the prose reference is docs/api.md. `x-takeboard-role`: the least board role a route needs (viewer < commenter < editor < owner; non-members get 404). `x-takeboard-transport`: `sse` for an event stream, `websocket` for the sync socket. Answer bodies are named by their TypeScript type in the repository’s shared/ folder.',
    },
    servers: [{ url: opts.publicOrigin }],
    tags: [...new Set(groups.map((g) => g.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ErrorAnswer: inputSchema(ErrorAnswer) },
      securitySchemes: securitySchemes(opts.publicOrigin),
    },
  };
}
