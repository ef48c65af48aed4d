import type { IncomingMessage } from 'node:http';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { systemClock, type Clock } from '../lib/clock.js';

/**
 * What stands before a sync upgrade is admitted (session and membership lookups), so that
 * nobody can make the server hold unbounded state before it knows who they are:
 * - a malformed handshake is refused before any lookup (`ws` would only refuse it after the
 *   admission ran);
 * - at most `maxPending` admissions run at once, each for at most `admitTimeoutMs`;
 * - a session the server keeps cutting off for misbehaving (malformed input, oversize frames,
 *   rate limits) is refused new sockets for a while, before any lookup: an offender who
 *   reconnects at once costs an HTTP 429, not a session lookup and a board join. Stock clients
 *   never reconnect after such a close; this only slows down someone who does on purpose.
 */
export interface UpgradeGuardOptions {
  maxPending?: number;
  admitTimeoutMs?: number;
  clock?: Clock;
}

export type Refusal = { status: 400 | 429 | 503; reason: string; retryAfterSec?: number };

const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** Offences a session may commit before it is held off (a few tests of the limits are fine). */
const ALLOWANCE = 5;
/** First hold-off after the allowance; it doubles with each further offence, up to MAX_PENALTY_MS. */
const BASE_PENALTY_MS = 1000;
const MAX_PENALTY_MS = 60_000;
/** Offences older than this are forgotten. */
const FORGET_MS = 10 * 60_000;
/** Offending sessions remembered at most (the oldest forgotten first). */
const MAX_TRACKED = 10_000;

interface Strikes {
  strikes: number;
  last: number;
  until: number;
}

export function createUpgradeGuard(opts: UpgradeGuardOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const maxPending = opts.maxPending ?? 256;
  const admitTimeoutMs = opts.admitTimeoutMs ?? 10_000;
  let pending = 0;
  const records = new Map<string, Strikes>();

  const heldOff = (key: string) => {
    const r = records.get(key);
    return r && r.until > clock.now() ? Math.ceil((r.until - clock.now()) / 1000) : 0;
  };

  /** One offence by `key`; it is held off once it has more than ALLOWANCE of them. */
  function strike(key: string) {
    const now = clock.now();
    const r = records.get(key);
    const strikes = r && now - r.last < FORGET_MS ? r.strikes + 1 : 1;
    const over = strikes - ALLOWANCE;
    const until = over > 0 ? now + Math.min(MAX_PENALTY_MS, BASE_PENALTY_MS * 2 ** Math.min(over - 1, 16)) : 0;
    records.delete(key);
    records.set(key, { strikes, last: now, until });
    if (records.size > MAX_TRACKED) records.delete(records.keys().next().value!);
  }

  return {
    /** Checks an upgrade request before anything is looked up; null when it may proceed. */
    precheck(req: IncomingMessage, sessionKey: string | null): Refusal | null {
      const h = req.headers;
      const version = h['sec-websocket-version'];
      if (req.method !== 'GET' || h.upgrade?.toLowerCase() !== 'websocket' || !KEY.test(h['sec-websocket-key'] ?? '') || (version !== '13' && version !== '8')) {
        return { status: 400, reason: 'not a valid WebSocket handshake' };
      }
      const wait = sessionKey ? heldOff(sessionKey) : 0;
      if (wait > 0) return { status: 429, reason: 'this session was cut off too often; try again later', retryAfterSec: wait };
      if (pending >= maxPending) return { status: 503, reason: 'too many connections being set up; try again', retryAfterSec: 1 };
      return null;
    },

    /** Runs an admission lookup, counted among those in flight and cut off after the timeout. */
    async admit<T>(lookup: () => Promise<T>): Promise<T | Refusal> {
      pending++;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<Refusal>((resolve) => {
          timer = setTimeout(() => resolve({ status: 503, reason: 'the server is busy; try again', retryAfterSec: 1 }), admitTimeoutMs);
        });
        return await Promise.race([lookup(), timeout]);
      } finally {
        clearTimeout(timer);
        pending--;
      }
    },

    /** True while the client is still there to be upgraded (it may have left during the lookup). */
    present(req: IncomingMessage): boolean {
      const s = req.socket;
      return !s.destroyed && s.readable && s.writable;
    },

    /** A socket of this session was cut off for misbehaving. */
    offence(sessionKey: string) {
      strike(sessionKey);
    },

    get pending() {
      return pending;
    },
  };
}

export type UpgradeGuard = ReturnType<typeof createUpgradeGuard>;

const OFFENCES = new Set<number>([SYNC_CLOSE.malformed, SYNC_CLOSE.messageTooLarge, SYNC_CLOSE.schemaViolation, SYNC_CLOSE.rateLimited]);

/** A close code that means the client misbehaved (not the server failing, going away or refusing entry). */
export function isOffence(code: number): boolean {
  return OFFENCES.has(code);
}
