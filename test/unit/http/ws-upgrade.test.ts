import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureErrorEvent } from '../../../server/http/error-event.js';
import { createWsUpgrade } from '../../../server/http/ws-upgrade.js';
import { waitFor } from '../../helpers/wait.js';

// An open socket is what a board connection costs: it must not keep its upgrade request alive.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: http.Server;
let url: string;
/** What each upgrade request was, held weakly: the route sees the Hono context and the IncomingMessage. */
const requests: { context: WeakRef<object>; incoming: WeakRef<object> }[] = [];
const received: string[] = [];

beforeAll(async () => {
  ensureErrorEvent();
  const app = new Hono();
  const ws = createWsUpgrade(app);
  app.get('/refused', (c) => c.text('no', 403));
  app.get(
    '/echo',
    ws.upgradeWebSocket((c) => {
      requests.push({ context: new WeakRef(c), incoming: new WeakRef((c.env as { incoming: object }).incoming) });
      return {
        onMessage(evt, socket) {
          const text = new TextDecoder().decode(evt.data as ArrayBuffer);
          received.push(text);
          socket.send(`echo ${text}`);
        },
      };
    }),
  );
  server = http.createServer();
  ws.injectWebSocket(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function open(path: string) {
  const socket = new WebSocket(url + path);
  const replies: string[] = [];
  socket.on('message', (d: Buffer) => replies.push(d.toString()));
  return { socket, replies };
}

it('an open socket delivers binary messages both ways and keeps neither its request nor its Hono context alive', async () => {
  const { socket, replies } = open('/echo');
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(new TextEncoder().encode('hello'));
  await waitFor(() => replies[0] === 'echo hello', 'the echo');
  await waitFor(() => {
    gc();
    return requests[0]!.incoming.deref() === undefined && requests[0]!.context.deref() === undefined;
  }, 'the upgrade request and its context to be collected while the socket stays open');
  // Still open and served after the request is gone.
  socket.send(new TextEncoder().encode('again'));
  await waitFor(() => replies[1] === 'echo again', 'the second echo');
  expect(socket.readyState).toBe(WebSocket.OPEN);
  socket.close();
});

it('a route that does not upgrade answers the handshake with its own status and no socket opens', async () => {
  const { socket } = open('/refused');
  socket.on('error', () => {}); // the aborted handshake below
  const status = await new Promise<number>((resolve) =>
    socket.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    }),
  );
  expect(status).toBe(403);
  expect(socket.readyState).not.toBe(WebSocket.OPEN);
});
