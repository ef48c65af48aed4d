import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/sync.js';
import { describeRoutes } from '../api-doc/route-doc.js';

const closeCodes = Object.entries(SYNC_CLOSE)
  .map(([name, code]) => `\`${code}\` ${name}`)
  .join(', ');
const messages = Object.entries(SYNC_MESSAGE)
  .map(([name, type]) => `${type} ${name}`)
  .join(', ');

export const syncApi = describeRoutes('Live sync', [
  {
    method: 'GET',
    path: '/sync/{boardId}',
    summary: 'The board’s live document: a WebSocket speaking the y-websocket protocol',
    description: [
      'Upgrade with `Connection: Upgrade`, `Upgrade: websocket` and `Origin` set to this site; the stock `y-websocket` client works unchanged (`new WebsocketProvider(origin + "/sync", boardId, doc)`).',
      'Admission is decided before any document byte is sent: refusals are accepted and then closed with a code.',
      `Binary messages start with their type: ${messages}.`,
      `Close codes: ${closeCodes}. 4400-4499: do not retry as is; 4500-4599: reconnect and resync. docs/api.md tells each one.`,
    ].join('\n\n'),
    auth: 'session',
    role: 'viewer',
    transport: 'websocket',
    ok: { 101: 'Switching Protocols: the socket is open (then closed with a 44xx code if admission failed)' },
    errors: { 400: 'A malformed handshake', 429: 'This session’s sockets kept being cut off for misbehaving (`Retry-After`)', 503: 'Too many admissions in flight (`Retry-After`)' },
  },
]);
