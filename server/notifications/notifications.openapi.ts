import { describeRoutes } from '../api-doc/route-doc.js';
import { ListQuery, ReadBody } from './notifications.routes.js';

export const notificationsApi = describeRoutes('Notifications', [
  { method: 'GET', path: '/api/notifications', summary: 'Your inbox, newest first, and the unread count', auth: 'session', query: ListQuery, ok: { 200: '`NotificationList`' } },
  {
    method: 'POST',
    path: '/api/notifications/read',
    summary: 'Mark notifications read',
    auth: 'session',
    body: ReadBody,
    ok: { 200: '`NotificationList`' },
    errors: { 404: '`ids[i]`: not one of your notifications' },
  },
  { method: 'POST', path: '/api/notifications/read-all', summary: 'Mark every notification read', auth: 'session', ok: { 200: '`NotificationList`' } },
  {
    method: 'GET',
    path: '/api/notifications/events',
    summary: 'Your unread count, live (Server-Sent Events)',
    description: 'First `event: ready`, then `event: unread` with `{ unread }` on every change, for every tab; ends with the session.',
    auth: 'session',
    transport: 'sse',
    ok: { 200: 'The event stream' },
    errors: { 429: 'Too many open streams for this account' },
  },
]);
