import type { Kysely } from 'kysely';
import type { SessionSockets } from '../auth/session-sockets.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Bus } from '../scale/bus.js';
import type { DocHub } from './hub.js';
import { liveSessionIds, membershipsOn } from './open-sockets.queries.js';

/**
 * Role changes, removals and logouts reach open sockets as board events; another instance's
 * events travel through Redis, so while Redis is down they do not arrive. Meanwhile (and once
 * when it comes back, for what was missed) the open sockets' memberships and sessions are read
 * from the shared database twice a second and applied: a member demoted, removed or logged
 * out on another instance loses access within a second even then.
 */
export function auditOpenSockets(opts: { db: Kysely<Database>; hub: DocHub; sessions: SessionSockets; bus: Bus; clock: Clock; log: Logger; everyMs?: number }): () => void {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      await checkMemberships();
      await checkSessions();
    } catch (err) {
      opts.log.warn('could not check the access of open sockets', { err });
    } finally {
      running = false;
    }
  };

  async function checkMemberships() {
    const open = opts.hub.openMemberships();
    if (open.length === 0) return;
    const boardIds = [...new Set(open.map((m) => m.boardId))];
    const rows = await membershipsOn(opts.db, boardIds);
    const roles = new Map(rows.map((r) => [`${r.boardId} ${r.userId}`, r.role]));
    for (const r of rows) opts.hub.setArchived(r.boardId, r.archived);
    for (const m of open) {
      const role = roles.get(`${m.boardId} ${m.userId}`);
      if (!role) opts.hub.removeMember(m.boardId, m.userId);
      else if (role !== m.role) opts.hub.setRole(m.boardId, m.userId, role);
    }
  }

  async function checkSessions() {
    const open = opts.sessions.open();
    if (open.length === 0) return;
    const live = await liveSessionIds(opts.db, open, opts.clock.now());
    const ended = open.filter((id) => !live.has(id));
    if (ended.length > 0) opts.sessions.end(ended);
  }

  const timer = setInterval(() => {
    if (opts.bus.status() === 'down') void check();
  }, opts.everyMs ?? 500);
  timer.unref();
  const offRecover = opts.bus.onRecover(() => void check());
  return () => {
    clearInterval(timer);
    offRecover();
  };
}
