import { describeRoutes } from '../api-doc/route-doc.js';
import { RegenerateFromNoteBody } from './note-takes.routes.js';

export const noteTakesApi = describeRoutes('Regenerate from note', [
  {
    method: 'POST',
    path: '/api/boards/{boardId}/comments/{commentId}/regenerate',
    summary: 'Queue a take of the comment’s shot with the note added to the prompt; the take records the note it answers',
    description: 'Priced, budget-checked and idempotent as Generate. The note goes in as one line after the shot’s prompt (`Review note to apply: "…"`).',
    auth: 'session-or-token',
    role: 'editor',
    body: RegenerateFromNoteBody,
    ok: { 202: '`EnqueueResponse` and the comment’s `shotId`' },
    errors: { 402: 'when the take would pass the board’s budget', 409: 'when an owner removed the note' },
  },
]);
