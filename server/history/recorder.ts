/**
 * Turns what accepted transactions changed into history entries, cheaply enough for the sync
 * hub's hot path. Plain fields are recorded as they change. Typing is one entry per person and
 * field: its text before is read once, when the entry opens; after that the text is read (a walk
 * of the whole text, costly for a long prompt many people typed into) only by the hub's timer
 * (`takeDirty`, once a second while the entry was typed into), never in an edit's own path,
 * where the walk and the row it writes held up that edit's relay (one keystroke a second per
 * typist). The stored entry ends where the typing ended, a second later at most.
 */
import type * as Y from 'yjs';
import type { ShotChangeField } from '../../shared/api.js';
import { COALESCE_MS } from './shot-changes.queries.js';
import { shotChangesOf, type ShotChange } from './shot-changes.js';

interface Open {
  userId: string;
  shotId: string;
  field: ShotChangeField;
  text: Y.Text;
  changedAt: number;
  dirty: boolean;
}

export interface HistoryRecorder {
  /** In `afterTransaction` of an accepted client transaction by `userId`. */
  record(tr: Y.Transaction, userId: string): ShotChange[];
  /** Entries typed into since their text was last stored: their text now, per person. */
  takeDirty(): { userId: string; changes: ShotChange[] }[];
}

/**
 * An entry stays open in memory a little less long than the stored one may be extended
 * (COALESCE_MS), so an extension never arrives for a stored entry that has just closed.
 */
const OPEN_MS = COALESCE_MS - 5_000;

export function createHistoryRecorder(now: () => number): HistoryRecorder {
  const open = new Map<string, Open>();
  // Per text, per person: their entry's key, built once rather than built and hashed per keystroke
  // (a text's shot and field never change).
  const keys = new WeakMap<Y.Text, Map<string, string>>();
  const keyOf = (userId: string, shotId: string, field: string, text: Y.Text) => {
    let byUser = keys.get(text);
    if (byUser === undefined) keys.set(text, (byUser = new Map()));
    let key = byUser.get(userId);
    if (key === undefined) byUser.set(userId, (key = `${userId}\u0000${shotId}\u0000${field}`));
    return key;
  };
  return {
    record(tr, userId) {
      const t = now();
      const out: ShotChange[] = [];
      for (const c of shotChangesOf(tr)) {
        if (!c.text) {
          out.push(c);
          continue;
        }
        const key = keyOf(userId, c.shotId, c.field, c.text);
        const o = open.get(key);
        if (!o || o.text !== c.text || t - o.changedAt > OPEN_MS) {
          const before = c.before();
          const after = c.text.toString();
          if (before === after) continue;
          out.push({ shotId: c.shotId, field: c.field, before, after });
          open.set(key, { userId, shotId: c.shotId, field: c.field, text: c.text, changedAt: t, dirty: false });
        } else {
          o.changedAt = t;
          o.dirty = true;
        }
      }
      return out;
    },
    takeDirty() {
      const t = now();
      const byUser = new Map<string, ShotChange[]>();
      for (const [key, o] of open) {
        if (o.dirty) {
          const list = byUser.get(o.userId) ?? byUser.set(o.userId, []).get(o.userId)!;
          list.push({ shotId: o.shotId, field: o.field, before: '', after: o.text.toString(), extendOnly: true });
          o.dirty = false;
        } else if (t - o.changedAt > OPEN_MS) {
          open.delete(key);
        }
      }
      return [...byUser].map(([userId, changes]) => ({ userId, changes }));
    },
  };
}
