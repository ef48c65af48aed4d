import { describeRoutes } from '../api-doc/route-doc.js';

export const assetsApi = describeRoutes('Assets', [
  {
    method: 'POST',
    path: '/api/boards/{boardId}/assets',
    summary: 'Upload an image, video or audio file',
    auth: 'session-or-token',
    role: 'editor',
    multipart: { field: 'file', description: 'The file; its type is sniffed from its bytes, never taken from its name' },
    ok: { 201: '`Asset`', 200: '`Asset`: the board already had these bytes' },
    errors: { 413: 'Past the kind’s size or length limit, or a storage quota', 415: 'Not an image, video or audio file we accept', 507: 'The server’s storage is full' },
  },
  { method: 'GET', path: '/api/boards/{boardId}/assets', summary: 'The board’s assets', auth: 'session-or-token', role: 'viewer', ok: { 200: '`Asset[]`' } },
  {
    method: 'GET',
    path: '/api/assets/{assetId}',
    summary: 'An asset’s bytes (`Range` honoured, `ETag`)',
    description: 'A range outside the file answers 416 with `Content-Range: bytes */<size>` and no body.',
    auth: 'session-or-token',
    role: 'viewer',
    produces: 'application/octet-stream',
    ok: { 200: 'The bytes, as the type they were sniffed as', 206: 'The requested range', 304: 'Not modified (`If-None-Match`)' },
  },
  {
    method: 'GET',
    path: '/api/assets/{assetId}/poster',
    summary: 'A JPEG still of an image or video (made once)',
    auth: 'session-or-token',
    role: 'viewer',
    produces: 'image/jpeg',
    ok: { 200: 'The JPEG', 304: 'Not modified (`If-None-Match`)' },
  },
]);
