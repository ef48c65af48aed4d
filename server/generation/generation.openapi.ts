import { describeRoutes } from '../api-doc/route-doc.js';
import { EstimateQuery, GenerateBatchBody, GenerateBody } from './generation.routes.js';

const noPrice = '`conflict` with `field: confirmUnpriced` and `details.reason: price_unknown`: no price is known for the model and `confirmUnpriced: true` was not sent';

export const generationApi = describeRoutes('Generation', [
  { method: 'GET', path: '/api/models', summary: 'The models, their capabilities, prices and availability', auth: 'session', ok: { 200: '`ModelListEntry[]`' } },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/shots/{shotId}/generate',
    summary: 'Queue a take of a shot',
    auth: 'session-or-token',
    role: 'editor',
    body: GenerateBody,
    ok: { 202: '`EnqueueResponse` (`jobId`, `takeId`, `estimateMicroUsd`, `estimate`)' },
    errors: { 402: 'Over the board’s budget', 409: noPrice },
  },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/shots/{shotId}/generate-batch',
    summary: 'Queue several takes of a shot, all or none, one budget check for their total',
    auth: 'session-or-token',
    role: 'editor',
    body: GenerateBatchBody,
    ok: { 202: '`BatchEnqueueResponse`' },
    errors: { 402: 'The takes’ total is over the board’s budget', 409: noPrice },
  },
  {
    method: 'GET',
    path: '/api/boards/{boardId}/shots/{shotId}/estimate',
    summary: 'What Generate would cost, priced as enqueue prices it, in parts',
    auth: 'session-or-token',
    role: 'viewer',
    query: EstimateQuery,
    ok: { 200: '`{ estimate: PriceEstimate }`' },
  },
  { method: 'GET', path: '/api/boards/{boardId}/jobs', summary: 'The board’s jobs, newest first, with queue positions and ETAs', auth: 'session-or-token', role: 'viewer', ok: { 200: '`JobListEntry[]`' } },
  { method: 'GET', path: '/api/jobs/{jobId}', summary: 'One job, with exactly what was sent', auth: 'session-or-token', role: 'viewer', ok: { 200: '`JobView`' } },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/cancel',
    summary: 'Cancel a job',
    auth: 'session-or-token',
    role: 'editor',
    ok: { 200: '`{ status: "canceled" }` (it was queued)', 202: '`{ status: "cancel_requested" }` (it is running)' },
    errors: { 409: 'The job already finished' },
  },
  { method: 'GET', path: '/api/boards/{boardId}/costs', summary: 'The cost report', auth: 'session-or-token', role: 'viewer', ok: { 200: '`CostReport`' } },
  { method: 'GET', path: '/api/boards/{boardId}/costs.csv', summary: 'The cost ledger', auth: 'session-or-token', role: 'viewer', produces: 'text/csv', ok: { 200: 'The ledger as CSV (an attachment)' } },
  {
    method: 'GET',
    path: '/api/boards/{boardId}/events',
    summary: 'Job events of the board (Server-Sent Events)',
    description: 'First `event: ready`, then `event: job` with a `JobEvent` (`{ jobId, shotId, takeId, status, progress?, queuePosition?, error? }`) on every status or progress change; `: keep-alive` every 15 s. Ends when the caller loses access.',
    auth: 'session',
    role: 'viewer',
    transport: 'sse',
    ok: { 200: 'The event stream' },
    errors: { 429: 'Too many open streams for this account' },
  },
]);
