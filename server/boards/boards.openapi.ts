import { describeRoutes } from '../api-doc/route-doc.js';
import { CreateBoard, DuplicateBoard, ListBoardsQuery, PatchBoard, PatchMember } from './boards.routes.js';

export const boardsApi = describeRoutes('Boards', [
  { method: 'GET', path: '/api/boards', summary: 'Your boards', auth: 'session', query: ListBoardsQuery, ok: { 200: '`BoardSummary[]`' } },
  { method: 'POST', path: '/api/boards', summary: 'Create a board (you own it)', auth: 'session', body: CreateBoard, ok: { 201: '`CreatedBoard`' } },
  { method: 'GET', path: '/api/boards/{boardId}', summary: 'One board', auth: 'session-or-token', role: 'viewer', ok: { 200: '`BoardSummary`' } },
  {
    method: 'PATCH',
    path: '/api/boards/{boardId}',
    summary: 'Rename, archive or restore a board',
    description: 'Send a new `title`, `archived` (true or false), or both. Renaming an archived board needs `archived: false` in the same request.',
    auth: 'session-or-token',
    role: 'owner',
    body: PatchBoard,
    ok: { 200: '`BoardSummary`' },
    errors: { 409: 'Renaming an archived board without restoring it in the same request' },
  },
  { method: 'DELETE', path: '/api/boards/{boardId}', summary: 'Delete a board (cannot be undone)', auth: 'session-or-token', role: 'owner', ok: { 204: 'Deleted' } },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/duplicate',
    summary: 'Duplicate as template: settings, references and shots, without takes or comments',
    auth: 'session-or-token',
    role: 'viewer',
    body: DuplicateBoard,
    ok: { 201: '`CreatedBoard`' },
  },
  { method: 'GET', path: '/api/boards/{boardId}/members', summary: 'The board’s members', auth: 'session-or-token', role: 'viewer', ok: { 200: '`Member[]`' } },
  {
    method: 'PATCH',
    path: '/api/boards/{boardId}/members/{userId}',
    summary: 'Change a member’s role',
    auth: 'session-or-token',
    role: 'owner',
    body: PatchMember,
    ok: { 200: '`Member`' },
    errors: { 409: 'It would leave the board without an owner' },
  },
  {
    method: 'DELETE',
    path: '/api/boards/{boardId}/members/{userId}',
    summary: 'Remove a member (owners), or leave the board (any member, for themselves)',
    auth: 'session-or-token',
    role: 'owner',
    ok: { 204: 'Removed' },
    errors: { 409: 'The last owner cannot leave' },
  },
]);
