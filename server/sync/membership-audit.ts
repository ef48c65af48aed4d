import type { Kysely } from 'kysely';
import type { Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../lib/log.js';
import type { Bus } from '../scale/bus.js';
import type { DocHub } from './hub.js';

/**
 * Role changes and removals reach open sockets as board events; another instance's events
 * travel through Redis, so while Redis is down they do not arrive. Meanwhile (and once when
 * it comes back, for what was missed) the open sockets' memberships are read from the shared
 * database twice a second and applied: a demoted or removed member loses write access within a
 * second even then. (Logouts elsewhere are not re-checked this way: a socket of a session ended
 * on another instance during an outage stays open until its session would have expired.)
 */
export function auditMemberships(opts: { db: Kysely<Database>; hub: DocHub; bus: Bus; log: Logger; everyMs?: number }): () => void {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const open = opts.hub.openMemberships();
      if (open.length === 0) return;
      const boardIds = [...new Set(open.map((m) => m.boardId))];
      const rows = await opts.db.selectFrom('board_members').select(['board_id', 'user_id', 'role']).where('board_id', 'in', boardIds).execute();
      const roles = new Map<string, Role>(rows.map((r) => [`${r.board_id} ${r.user_id}`, r.role]));
      for (const m of open) {
        const role = roles.get(`${m.boardId} ${m.userId}`);
        if (!role) opts.hub.removeMember(m.boardId, m.userId);
        else if (role !== m.role) opts.hub.setRole(m.boardId, m.userId, role);
      }
    } catch (err) {
      opts.log.warn('could not check the memberships of open sockets', { err });
    } finally {
      running = false;
    }
  };
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
