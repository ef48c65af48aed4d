import { describeRoutes } from '../api-doc/route-doc.js';
import { KeepBody } from './keep-anyway.routes.js';

export const keepAnywayApi = describeRoutes('Generation', [
  {
    method: 'POST',
    path: '/api/boards/{boardId}/shots/{shotId}/keep-anyway',
    summary: 'Keep a stale chained take as it is',
    auth: 'session-or-token',
    role: 'editor',
    body: KeepBody,
    ok: { 200: '`{ staleAccepted }`' },
    errors: { 409: 'The shot is not stale, or its chain moved on since the caller looked' },
  },
]);
