import { describeRoutes } from '../api-doc/route-doc.js';

export const seamsApi = describeRoutes('Seam scores', [
  { method: 'GET', path: '/api/boards/{boardId}/seams', summary: 'Every chained cut with its seam score, why not scored, or pending', auth: 'session-or-token', role: 'viewer', ok: { 200: '`SeamList`' } },
]);
