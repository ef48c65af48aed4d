import { describeRoutes } from '../api-doc/route-doc.js';
import { GuestCommentBody, GuestJoinBody } from './guest.routes.js';
import { CreateReviewLinkBody } from './review-links.routes.js';

export const reviewLinksApi = describeRoutes('Guest review links', [
  { method: 'GET', path: '/api/boards/{boardId}/review-links', summary: 'The board’s live review links (never their secrets)', auth: 'session', role: 'owner', ok: { 200: '`ReviewLinkInfo[]`' } },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/review-links',
    summary: 'Create an expiring review link; the answer holds its secret and URL, this once',
    auth: 'session',
    role: 'owner',
    body: CreateReviewLinkBody,
    ok: { 201: '`ReviewLinkCreated`' },
    errors: { 409: 'when the board already holds the most live links' },
  },
  { method: 'DELETE', path: '/api/boards/{boardId}/review-links/{linkId}', summary: 'Revoke a link; its open guest sessions end at their next request', auth: 'session', role: 'owner', ok: { 204: 'Revoked' } },
]);

export const guestApi = describeRoutes('Guest review', [
  {
    method: 'GET',
    path: '/api/guest/links/{secret}',
    summary: 'What a review link opens (board title, expiry), before a name is given',
    description: 'Secrets that do not work are throttled per address, counted together with invite links that did not work. An expired or revoked link answers 401 with a plain message.',
    auth: 'none',
    ok: { 200: '`ReviewLinkPreview`' },
    errors: { 429: 'after too many links that did not work from one address' },
  },
  {
    method: 'POST',
    path: '/api/guest/session',
    summary: 'Join a review under a typed name; sets the guest cookie (HttpOnly, path /api/guest)',
    auth: 'none',
    body: GuestJoinBody,
    ok: { 201: '`GuestIdentity`' },
    errors: { 409: 'when the link already has its most reviewers', 429: 'when the link’s requests are used up' },
  },
  { method: 'GET', path: '/api/guest/board', summary: 'The guest’s view: sequence plan, finished takes and comments (no member names, prompts or costs)', auth: 'guest', ok: { 200: '`GuestBoardView`' } },
  { method: 'GET', path: '/api/guest/assets/{assetId}', summary: 'A clip of a take in the guest’s view (ranges as for members)', auth: 'guest', produces: 'video/mp4', ok: { 200: 'The clip', 206: 'A range of it' } },
  { method: 'GET', path: '/api/guest/assets/{assetId}/poster', summary: 'The poster still of a take in the guest’s view', auth: 'guest', produces: 'image/jpeg', ok: { 200: 'The poster' } },
  {
    method: 'POST',
    path: '/api/guest/comments',
    summary: 'Comment on a finished take at a time, marked as guest',
    auth: 'guest',
    body: GuestCommentBody,
    ok: { 201: '`GuestComment`' },
    errors: { 409: 'when the board is archived', 429: 'when the link’s comments are used up' },
  },
]);
