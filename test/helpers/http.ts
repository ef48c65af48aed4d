import type { InviteRole } from '../../shared/api.js';
/**
 * A tiny HTTP client for tests: a cookie jar per instance (one instance = one browser), the
 * app's Origin on every request unless told otherwise, and JSON in and out.
 */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string, readonly origin: string | null = baseUrl) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request<T = any>(method: string, path: string, body?: unknown, init: { headers?: Record<string, string>; raw?: BodyInit } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.origin && !('origin' in headers)) headers.origin = this.origin;
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    let payload: BodyInit | undefined = init.raw;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

let counter = 0;
/** A unique email per call, so tests never collide on accounts. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** Signs up a fresh user in a fresh cookie jar. */
export async function signedUpClient(baseUrl: string, fields: { name?: string; city?: string } = {}) {
  const client = new TestClient(baseUrl);
  const email = uniqueEmail(fields.name?.toLowerCase() ?? 'user');
  const res = await client.post('/api/auth/signup', { email, password: 'correct horse battery', name: fields.name ?? 'Test User', city: fields.city });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, user: res.body as { id: string; email: string; name: string; city: string | null }, email, password: 'correct horse battery' };
}

/** Creates a board owned by `owner` and returns its id. */
export async function createBoard(owner: TestClient, title = 'Test board'): Promise<string> {
  const res = await owner.post('/api/boards', { title });
  if (res.status !== 201) throw new Error(`create board failed: ${res.status}`);
  return res.body.id;
}

/** Adds a member with the given role through a real invite. */
export async function joinWithRole(owner: TestClient, member: TestClient, boardId: string, role: InviteRole) {
  const inv = await owner.post(`/api/boards/${boardId}/invites`, { role });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status}`);
  const acc = await member.post(`/api/invites/${inv.body.token}/accept`);
  if (acc.status !== 200) throw new Error(`accept failed: ${acc.status}`);
}
