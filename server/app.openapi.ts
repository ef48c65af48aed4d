import { describeRoutes } from './api-doc/route-doc.js';

/** The routes `app.ts` serves itself. */
export const serviceApi = describeRoutes('Service', [
  { method: 'GET', path: '/api/health', summary: 'Liveness', auth: 'none', ok: { 200: '`{ ok: true }`' } },
  {
    method: 'GET',
    path: '/api/ready',
    summary: 'Readiness: can this instance serve now (database, Redis, ffmpeg, providers, worker, sync)',
    auth: 'none',
    ok: { 200: 'Ready: `{ ok, database, redis, media, providers, worker, sync, warning? }`', 503: 'Not ready: the same body, saying what is down' },
  },
  { method: 'GET', path: '/api/me', summary: 'The signed-in account', auth: 'session', ok: { 200: '`User`' } },
  {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This document (OpenAPI 3.1), generated from the schemas the routes validate with',
    description: 'Public: it describes the routes and what they accept, and holds nothing of any account or board.',
    auth: 'none',
    ok: { 200: 'The OpenAPI 3.1 document' },
  },
]);
