/**
 * An attacker in a process of its own (plain JavaScript: no loader to start), run at the lowest
 * CPU priority: on a test machine it stands for someone else's computer, so its own work
 * (building and masking megabytes of frames) must not compete with the server or the teammates
 * whose relay latency is measured. Repeats one attack on the sync socket, each round a new
 * connection, until told to stop, and reports how each round ended.
 *
 * First IPC message: { url, boardId, cookie, attack } where attack is one of
 *   { kind: 'ws', messages: (Uint8Array | string)[], pauseEvery?: number, pauseMs?: number }
 *   { kind: 'tcp', bytes: Uint8Array }                       raw bytes after a valid upgrade
 *   { kind: 'tcp-stream', head: Uint8Array, total: number }   a frame header, then `total` bytes
 *   { kind: 'tcp-frames', first: Uint8Array, next: Uint8Array, count: number }
 * Messages out (IPC): { round: { code, hungUp, sent?, refused? } } per round (refused: the HTTP status
 * that turned the upgrade away), then { done: true }.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';

const { url, boardId, cookie, attack } = await new Promise((resolve) => process.once('message', resolve));
const base = new URL(url);
let stopping = false;
process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});

const within = (p, ms) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

async function overWs() {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${boardId}`, { headers: { origin: url, cookie } });
  ws.on('error', () => {});
  const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  const refused = new Promise((resolve) =>
    ws.once('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      resolve(res.statusCode);
    }),
  );
  const opened = await Promise.race([new Promise((r) => ws.once('open', () => r(true))), closed.then(() => false), refused.then(() => 'refused')]);
  if (opened === 'refused') return { code: null, hungUp: true, refused: await refused };
  if (!opened) return { code: await closed, hungUp: true };
  for (let i = 0; i < attack.messages.length && ws.readyState === WebSocket.OPEN; i++) {
    ws.send(attack.messages[i]);
    if (attack.pauseEvery && i % attack.pauseEvery === attack.pauseEvery - 1) await new Promise((r) => setTimeout(r, attack.pauseMs));
  }
  let code = null;
  const hungUp = await within(closed.then((c) => (code = c)), 5000);
  if (!hungUp) ws.terminate();
  return { code, hungUp };
}

/** A WebSocket upgrade by hand; resolves with the socket once the server answered 101. */
function upgrade() {
  const socket = net.connect(Number(base.port), base.hostname === 'localhost' ? '127.0.0.1' : base.hostname);
  socket.on('error', () => {});
  const gone = new Promise((resolve) => socket.once('close', resolve));
  socket.write(
    [
      `GET /sync/${boardId} HTTP/1.1`,
      `Host: ${base.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Origin: ${url}`,
      `Cookie: ${cookie}`,
    ].join('\r\n') + '\r\n\r\n',
  );
  const state = { socket, gone, code: null, upgraded: false, status: 0 };
  let buf = Buffer.alloc(0);
  return new Promise((resolve) => {
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!state.upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        state.status = Number(/^HTTP\/1\.1 (\d+)/.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        state.upgraded = state.status === 101;
        buf = buf.subarray(end + 4);
        resolve(state);
      }
      // Server frames: the close frame's first two bytes are its code.
      while (buf.length >= 2) {
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) [len, at] = buf.length >= 4 ? [buf.readUInt16BE(2), 4] : [Infinity, 0];
        else if (len === 127) [len, at] = buf.length >= 10 ? [Number(buf.readBigUInt64BE(2)), 10] : [Infinity, 0];
        if (buf.length < at + len) break;
        if ((buf[0] & 0x0f) === 8 && len >= 2) state.code = buf.readUInt16BE(at);
        buf = buf.subarray(at + len);
      }
    });
    void gone.then(() => resolve(state));
  });
}

async function write(s, bytes) {
  if (!s.socket.write(bytes)) await Promise.race([new Promise((r) => s.socket.once('drain', r)), s.gone]);
}

async function overTcp() {
  const s = await upgrade();
  if (!s.upgraded) {
    s.socket.destroy();
    return { code: null, hungUp: true, refused: s.status };
  }
  let over = false;
  void s.gone.then(() => (over = true));
  let sent = 0;
  if (attack.kind === 'tcp') await write(s, attack.bytes);
  else if (attack.kind === 'tcp-stream') {
    await write(s, attack.head);
    const chunk = Buffer.alloc(1 << 20, 0x61);
    while (!over && sent < attack.total) {
      sent += chunk.length;
      await write(s, chunk);
    }
  } else {
    for (let i = 0; i < attack.count && !over; i++) {
      const frame = i === 0 ? attack.first : attack.next;
      sent += frame.length;
      await write(s, frame);
    }
  }
  const hungUp = await within(s.gone, 5000);
  if (!hungUp) s.socket.destroy();
  return { code: s.code, hungUp, sent };
}

do {
  const round = attack.kind === 'ws' ? await overWs() : await overTcp();
  process.send({ round });
  // Turned away at the door (HTTP 429): knock again soon, not in a busy loop.
  if (round.refused) await new Promise((r) => setTimeout(r, 10));
} while (!stopping);
process.send({ done: true });
process.disconnect();
