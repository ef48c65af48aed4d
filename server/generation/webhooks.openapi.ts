import { describeRoutes } from '../api-doc/route-doc.js';

export const providerCallbacksApi = describeRoutes('Provider callbacks', [
  {
    method: 'POST',
    path: '/api/webhooks/{providerId}/{jobId}',
    summary: 'A provider’s callback: only a hint to poll the job now',
    description: 'Exempt from the Origin check (providers send none). Whatever the body, the answer is 204 and never says whether the job exists.',
    auth: 'none',
    ok: { 204: 'Received' },
  },
]);
