import { describeRoutes } from '../api-doc/route-doc.js';
import { HistoryQuery } from './history.routes.js';

export const historyApi = describeRoutes('Shot history', [
  {
    method: 'GET',
    path: '/api/boards/{boardId}/shots/{shotId}/history',
    summary: 'Who changed what on a shot, and when, newest first',
    auth: 'session-or-token',
    role: 'viewer',
    query: HistoryQuery,
    ok: { 200: '`{ changes: ShotChangeEntry[] }`' },
  },
]);
