import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binarySender } from '../../../server/http/ws-frames.js';
import { createWsUpgrade } from '../../../server/http/ws-upgrade.js';
import { waitFor } from '../../helpers/wait.js';

/** Sizes on each side of the frame header's three length forms (7-bit, 16-bit, 64-bit). */
const messages = [0, 1, 125, 126, 65_535, 65_536, 200_000].map((n, i) => new Uint8Array(n).map((_, k) => (k * 31 + i) & 255));

let server: http.Server;
let url: string;
const closers: (() => void)[] = [];

beforeAll(async () => {
  const app = new Hono();
  const ws = createWsUpgrade(app);
  app.get(
    '/relay',
    ws.upgradeWebSocket(() => ({
      onOpen(_evt, socket) {
        // The same message objects to every client, as a relay sends them.
        const send = binarySender(socket.raw!);
        for (const m of messages) send(m);
        closers.push(() => {
          socket.raw!.close(1000, 'done');
          // Closing: this goes through ws, which drops it.
          send(new Uint8Array([1, 2, 3]));
        });
      },
    })),
  );
  server = http.createServer();
  ws.injectWebSocket(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/relay`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client() {
  const socket = new WebSocket(url);
  const got: Buffer[] = [];
  const closed: number[] = [];
  const errors: Error[] = [];
  socket.on('message', (d: Buffer, isBinary: boolean) => got.push(isBinary ? d : Buffer.from('text!')));
  socket.on('close', (code: number) => closed.push(code));
  socket.on('error', (err: Error) => errors.push(err));
  return { got, closed, errors };
}

it('frames written directly reach every client whole, at every header length, beside ws\'s own close frame', async () => {
  const a = client();
  const b = client();
  await waitFor(() => a.got.length === messages.length && b.got.length === messages.length, 'both clients to receive every message');
  for (const c of [a, b]) expect(c.got.map((d) => Buffer.compare(d, Buffer.from(messages[c.got.indexOf(d)]!)))).toEqual(messages.map(() => 0));
  for (const close of closers) close();
  await waitFor(() => a.closed.length === 1 && b.closed.length === 1, 'both clients to see the close');
  expect([a.closed, b.closed]).toEqual([[1000], [1000]]);
  expect([a.errors, b.errors]).toEqual([[], []]);
  expect([a.got.length, b.got.length]).toEqual([messages.length, messages.length]);
});
