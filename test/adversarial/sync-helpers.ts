/**
 * Shared pieces of the sync and storage adversarial suites: real server processes to SIGKILL
 * (started ahead of time, see sync-server-entry.mjs), y-protocols messages built by hand,
 * relay latency probes, and a process's resident memory.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, beforeAll } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText } from '../../shared/doc/index.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'test/adversarial/sync-server-entry.mjs');

export interface KillableServer {
  url: string;
  pid: number;
  /** Everything the process wrote so far. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

interface Warm {
  child: ChildProcess;
  output: () => string;
  warm: Promise<void>;
  exited: Promise<void>;
}

function spawnWarm(env: Record<string, string>): Warm {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const warm = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not load: ${out}`)), 60_000);
    const onData = () => {
      if (!out.includes('warm\n')) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}: ${out}`));
    });
  });
  warm.catch(() => {});
  return { child, output: () => out, warm, exited };
}

/**
 * Starts `server/main.ts` processes over one environment (one DATA_DIR), keeping the next one
 * loaded and waiting (`ahead` of them), so that a restart after a SIGKILL does not wait for
 * module loading.
 */
export function serverLauncher(env: Record<string, string>, opts: { ahead?: number } = {}) {
  const ahead = opts.ahead ?? 2;
  const all = new Set<Warm>();
  const waiting: Warm[] = [];
  const refill = () => {
    while (waiting.length < ahead) {
      const w = spawnWarm(env);
      all.add(w);
      waiting.push(w);
    }
  };
  refill();
  return {
    async start(): Promise<KillableServer> {
      if (waiting.length === 0) refill();
      const w = waiting.shift()!;
      await w.warm;
      w.child.stdin!.write('go\n');
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not listen: ${w.output()}`)), 30_000);
        const check = () => {
          const m = /running at (http:\/\/\S+)/.exec(w.output());
          if (!m) return;
          clearTimeout(timer);
          w.child.stdout!.off('data', check);
          resolve(m[1]!);
        };
        w.child.stdout!.on('data', check);
        w.child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server exited with ${code}: ${w.output()}`));
        });
        check();
      });
      // The next ones load while this one serves.
      refill();
      return {
        url,
        pid: w.child.pid!,
        output: w.output,
        async kill(signal = 'SIGKILL') {
          if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
          await w.exited;
          all.delete(w);
        },
      };
    },
    /** Kills every process this launcher started, the waiting ones included. */
    async close() {
      waiting.length = 0;
      await Promise.all(
        [...all].map(async (w) => {
          if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
          await w.exited;
        }),
      );
      all.clear();
    },
  };
}

/** The same browser (cookies) speaking to a server that came back on another port. */
export function sameBrowser(client: TestClient, url: string): TestClient {
  const c = new TestClient(url);
  for (const [k, v] of client.cookies) c.cookies.set(k, v);
  return c;
}

/** A y-protocols sync "update" message (0, 2, update) carrying any bytes as the update. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

/** Sync step 1 for a document (what a client sends first). */
export function step1Message(doc: Y.Doc = new Y.Doc()): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeSyncStep1(enc, doc);
  return encoding.toUint8Array(enc);
}

/** An awareness message (1) with the given entries, each state given as JSON text. */
export function awarenessMessage(entries: { clientId: number; clock: number; json: string }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, e.json);
  }
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 1);
  encoding.writeVarUint8Array(enc, encoding.toUint8Array(inner));
  return encoding.toUint8Array(enc);
}

/** The p-th percentile (0-100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : NaN;
}

/** Resolves once `doc` emits an update that makes `check` true (no polling, for latency). */
export function whenDoc(doc: Y.Doc, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const on = () => {
      if (!check()) return;
      doc.off('update', on);
      resolve();
    };
    doc.on('update', on);
  });
}

/** A small seeded generator, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KillCycleReport {
  cycles: number;
  seed: number;
  /** Edits the writers made. */
  sent: number;
  /** Distinct edits some watcher was relayed before its server was killed. */
  seen: number;
  /** Of those, missing after a restart (must be 0). */
  lost: number;
  /** Edits found twice on the board (must be 0). */
  duplicated: number;
  /** One line per problem found, naming the cycle. */
  problems: string[];
}

/**
 * Kill-and-restart cycles over one board: each cycle a writer streams edits into one shot's
 * prompt (a Yjs transaction every `editEveryMs`) while a watcher on another socket records what
 * is relayed to it; the server is SIGKILLed at a random moment within `killWindowMs` after the
 * watcher saw the cycle's first edit; the restarted server must then serve every edit any
 * watcher was relayed, each once. `afterKill` runs while no server is up (to inspect storage).
 */
export async function killCycles(opts: {
  launcher: ReturnType<typeof serverLauncher>;
  cycles: number;
  killWindowMs: number;
  editEveryMs: number;
  seed?: number;
  /** Runs once on the first writer's document before the stream starts (e.g. a big filler). */
  prepare?: (doc: Y.Doc) => void;
  afterKill?: (cycle: number) => Promise<void>;
}): Promise<KillCycleReport> {
  const { addShot, getPromptText, shotsInOrder } = await import('../../shared/doc/index.js');
  const { createBoard, signedUpClient } = await import('../helpers/http.js');
  const { connectBoard } = await import('../helpers/sync.js');
  const seed = opts.seed ?? Date.now() % 1_000_000;
  const rand = seededRandom(seed);
  const report: KillCycleReport = { cycles: 0, seed, sent: 0, seen: 0, lost: 0, duplicated: 0, problems: [] };
  const seen = new Set<string>();
  let server = await opts.launcher.start();
  const owner = await signedUpClient(server.url, { name: 'Owner' });
  const boardId = await createBoard(owner.client);
  let shotId: string | null = null;
  const tokensOf = (doc: Y.Doc, id: string) => getPromptText(doc, id).toString().split(';').filter(Boolean);
  try {
    for (let cycle = 0; ; cycle++) {
      const client = sameBrowser(owner.client, server.url);
      const writer = connectBoard(server.url, boardId, client);
      const watcher = connectBoard(server.url, boardId, client);
      try {
        await Promise.all([writer.synced(), watcher.synced()]);
        if (shotId) {
          const served = tokensOf(writer.doc, shotId);
          const present = new Set(served);
          const missing = [...seen].filter((t) => !present.has(t));
          report.lost += missing.length;
          report.duplicated += served.length - present.size;
          if (missing.length > 0) report.problems.push(`after kill ${cycle}: ${missing.length} relayed edits missing, e.g. ${missing.slice(0, 3).join(', ')}`);
          if (served.length !== present.size) report.problems.push(`after kill ${cycle}: ${served.length - present.size} edits twice`);
        }
        if (cycle === opts.cycles) break;
        if (!shotId) {
          opts.prepare?.(writer.doc);
          shotId = addShot(writer.doc, { title: 'Killed often' });
          const id = shotId;
          await whenDoc(watcher.doc, () => shotsInOrder(watcher.doc).some((s) => s.id === id));
        }
        const id = shotId;
        const prompt = getPromptText(writer.doc, id);
        let i = 0;
        const stream = setInterval(() => {
          prompt.insert(prompt.length, `c${cycle}e${i++};`);
          report.sent++;
        }, opts.editEveryMs);
        try {
          await whenDoc(watcher.doc, () => getPromptText(watcher.doc, id).toString().includes(`c${cycle}e`));
          // The random moment is the point, hence a timer rather than a condition.
          await new Promise((r) => setTimeout(r, rand() * opts.killWindowMs));
          await server.kill('SIGKILL');
        } finally {
          clearInterval(stream);
        }
        // Whatever was already on its way to the watcher arrives before its socket reports the close.
        await watcher.closed();
        for (const t of tokensOf(watcher.doc, id)) seen.add(t);
        report.cycles++;
      } finally {
        writer.destroy();
        watcher.destroy();
      }
      await opts.afterKill?.(cycle);
      server = await opts.launcher.start();
    }
  } finally {
    await server.kill('SIGKILL');
  }
  report.seen = seen.size;
  return report;
}

/** One WebSocket frame as a client would send it; every field can be made wrong on purpose. */
export function wsFrame(opcode: number, payload: Uint8Array, opts: { fin?: boolean; mask?: boolean; rsv?: number; declaredLength?: number } = {}): Buffer {
  const len = opts.declaredLength ?? payload.byteLength;
  const mask = opts.mask ?? true;
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  const key = mask ? crypto.randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

export interface FrameSocket {
  socket: net.Socket;
  /** The close code the server sent, once it did. */
  readonly closeCode: number | null;
  /** Resolves when the TCP connection is gone (the server dropped it, or we did). */
  gone: Promise<void>;
  /** Server frames received (opcode and payload). */
  frames: { opcode: number; payload: Buffer }[];
}

/** A board on a server process of its own, its owner (A) and an editor (B) connected, and one shot. */
export interface TwoEditorBoard {
  server: ChildServer;
  owner: TestClient;
  boardId: string;
  shotId: string;
  ca: BoardConnection;
  cb: BoardConnection;
  close(): Promise<void>;
}

export async function twoEditorBoard(shotTitle: string): Promise<TwoEditorBoard> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-adversarial-'));
  const server = await startChildServer({ DATA_DIR: dataDir, WORKER_CONCURRENCY: '0' });
  const a = await signedUpClient(server.url, { name: 'Ana' });
  const b = await signedUpClient(server.url, { name: 'Bo' });
  const boardId = await createBoard(a.client);
  await joinWithRole(a.client, b.client, boardId, 'editor');
  const ca = connectBoard(server.url, boardId, a.client);
  const cb = connectBoard(server.url, boardId, b.client);
  await Promise.all([ca.synced(), cb.synced()]);
  const shotId = addShot(ca.doc, { title: shotTitle });
  await waitFor(() => getPromptText(cb.doc, shotId), 'the shot on B');
  return {
    server,
    owner: a.client,
    boardId,
    shotId,
    ca,
    cb,
    async close() {
      ca.destroy();
      cb.destroy();
      await server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's own two-editor board: started before its tests, closed after them. The fields fill
 * in once `beforeAll` has run, so read them inside tests and hooks, not at the top of the file.
 */
export function twoEditorBoardForSuite(shotTitle: string): TwoEditorBoard {
  const board = {} as TwoEditorBoard;
  let started: TwoEditorBoard | undefined;
  beforeAll(async () => {
    started = await twoEditorBoard(shotTitle);
    Object.assign(board, started);
  }, 60_000);
  afterAll(() => started?.close());
  return board;
}

/** The head of a WebSocket upgrade request for a board's sync socket, as a browser sends it. */
export function upgradeHead(baseUrl: string, boardId: string, opts: { origin?: string; cookie?: string | null } = {}): string {
  const url = new URL(baseUrl);
  return (
    [
      `GET /sync/${boardId} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Origin: ${opts.origin ?? baseUrl}`,
      ...(opts.cookie ? [`Cookie: ${opts.cookie}`] : []),
    ].join('\r\n') + '\r\n\r\n'
  );
}

/**
 * A WebSocket spoken by hand over TCP: the upgrade request with the client's cookie and Origin,
 * then whatever bytes the test writes, valid frames or not. Resolves once the server answered
 * the upgrade (101), with the parsed server frames and the close code as they come.
 */
export function frameSocket(baseUrl: string, boardId: string, client: TestClient | null, origin = baseUrl): Promise<FrameSocket> {
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname === 'localhost' ? '127.0.0.1' : url.hostname);
  socket.write(upgradeHead(baseUrl, boardId, { origin, cookie: client && client.cookies.size > 0 ? client.cookieHeader : null }));
  const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const out: FrameSocket = { socket, closeCode: null, gone, frames: [] };
  return new Promise((resolve, reject) => {
    const parse = () => {
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) return;
        const opcode = buf[0]! & 0x0f;
        const payload = buf.subarray(at, at + len);
        out.frames.push({ opcode, payload });
        if (opcode === 8 && payload.length >= 2) (out as { closeCode: number | null }).closeCode = payload.readUInt16BE(0);
        buf = buf.subarray(at + len);
      }
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buf.subarray(0, end).toString('latin1').split('\r\n')[0]!;
        if (!/^HTTP\/1\.1 101/.test(status)) {
          socket.destroy();
          return reject(new Error(`upgrade refused: ${status}`));
        }
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve(out);
      }
      parse();
    });
    void gone.then(() => {
      if (!upgraded) reject(new Error('connection closed before the upgrade'));
    });
  });
}

/**
 * Relay latency from one client to another: `from` appends a unique token to a shot's prompt and
 * the time until `to` holds it is measured (event-driven, no polling). Probes start at most every
 * `everyMs` (a person typing fast, well under the per-connection update rate limit).
 */
export function relayProbe(from: Y.Doc, to: Y.Doc, text: (doc: Y.Doc) => Y.Text, everyMs = 20) {
  let n = 0;
  let last = 0;
  return async (): Promise<number> => {
    const wait = last + everyMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    last = performance.now();
    const token = `p${n++};`;
    const target = text(to);
    const arrived = whenDoc(to, () => target.toString().endsWith(token));
    const t0 = performance.now();
    const source = text(from);
    source.insert(source.length, token);
    await arrived;
    return performance.now() - t0;
  };
}

/** How one attack round ended: the close code the server sent, and whether it hung up. */
export interface AttackRound {
  code: number | null;
  hungUp: boolean;
  /** Bytes the attacker got to write (streaming attacks). */
  sent?: number;
  /** The upgrade itself was refused, with this HTTP status. */
  refused?: number;
}

export type AttackSpec =
  | { kind: 'ws'; messages: (Uint8Array | string)[]; pauseEvery?: number; pauseMs?: number }
  | { kind: 'tcp'; bytes: Uint8Array }
  | { kind: 'tcp-stream'; head: Uint8Array; total: number }
  | { kind: 'tcp-frames'; first: Uint8Array; next: Uint8Array; count: number };

/**
 * Starts an attack in a process of its own at the lowest CPU priority (sync-attacker.mjs),
 * repeating it round after round until `stop()`, which resolves with every round's outcome.
 */
export function startAttacker(url: string, boardId: string, client: TestClient, attack: AttackSpec) {
  const child = fork(fileURLToPath(new URL('./sync-attacker.mjs', import.meta.url)), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    os.setPriority(child.pid!, 19);
  } catch {
    // not allowed here: it competes at normal priority
  }
  child.send({ url, boardId, cookie: client.cookieHeader, attack });
  const rounds: AttackRound[] = [];
  const done = new Promise<void>((resolve) => {
    child.on('message', (m: { round?: AttackRound; done?: boolean }) => {
      if (m.round) rounds.push(m.round);
      if (m.done) resolve();
    });
    child.on('exit', () => resolve());
  });
  return {
    rounds,
    async stop(): Promise<AttackRound[]> {
      if (child.connected) child.send('stop');
      await done;
      if (child.exitCode === null) child.kill('SIGKILL');
      return rounds;
    },
  };
}

/** CPU time (user + system, all threads) a process has used so far, in ms (Linux). */
export function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
