/**
 * What one accepted client transaction changed on shots, read from the transaction itself while
 * the hub validates it (server/sync/room.ts): the shot, the field, the text before and after.
 * Read in `afterTransaction`, before Yjs garbage-collects what the transaction deleted, so the
 * deleted characters and replaced values are still there to rebuild "before" from.
 *
 * Why not derive history from the update log later: compaction folds the log into a snapshot
 * and the garbage collector drops deleted text, so neither the words that were replaced nor who
 * typed them would survive. Recording at the moment of acceptance, with the socket's user, is the
 * only point where both are known for sure.
 */
import * as Y from 'yjs';
// Yjs types are invariant in their event type: any changed type, whatever it emits.
type AnyType = Y.AbstractType<any>;
import { BIBLE_ROLES, ROOT, SHOT, bibleOverrideKey, shotKeyFamily } from '../../shared/doc/schema.js';
import { SHOT_SPEC, textKeys } from '../../shared/doc/specs.js';
import type { ShotChangeField } from '../../shared/api.js';

export interface ShotChange {
  shotId: string;
  field: ShotChangeField;
  before: string;
  after: string;
  /** Only moves on the person's open entry (its `after`); never starts one (see recorder.ts). */
  extendOnly?: true;
}

/**
 * A change as read from a transaction. A text field's words are not read here: that costs a walk
 * of the whole text, which the recorder does once per entry and then at most once a second.
 * `before()` must be called inside the transaction's `afterTransaction`.
 */
export type ReadChange = (Omit<ShotChange, 'extendOnly'> & { text?: undefined }) | { shotId: string; field: ShotChangeField; text: Y.Text; before(): string };

/** A new shot is recorded as a change of this pseudo-field, from '' to its title. */
export const CREATED = 'created';

const TEXT_FIELDS = new Set<string>(textKeys(SHOT_SPEC));
/** Plain fields worth a line in the history; ids, ranks, takes and server records are not. */
const VALUE_FIELDS = new Set<string>([
  SHOT.mode, SHOT.durationSec, SHOT.model, SHOT.shotSize, SHOT.startFrame, SHOT.endFrame,
  SHOT.continuesFrom, SHOT.status, SHOT.assignee, SHOT.selectedTake, SHOT.leftOut, SHOT.fadeInSec,
  ...BIBLE_ROLES.map(bibleOverrideKey),
]);

/** Every shot field the transaction changed, in the order Yjs lists the changed types. */
export function shotChangesOf(tr: Y.Transaction): ReadChange[] {
  const out: ReadChange[] = [];
  // Runs for every edit the hub accepts: a changed type is placed by identity, not a lookup each.
  const root: unknown = tr.doc.share.get(ROOT.shots);
  if (!(root instanceof Y.Map)) return out;
  const shots = root as Y.Map<unknown>;
  tr.changed.forEach((keys, type: AnyType) => {
    if (type === shots) {
      for (const key of keys) if (key !== null && newlyAdded(shots, tr, key)) out.push({ shotId: key, field: CREATED, before: '', after: textOf(shots.get(key)) });
      return;
    }
    const item = type._item;
    const key = item?.parentSub;
    if (typeof key !== 'string') return;
    const parent = item!.parent as AnyType;
    if (parent === shots) {
      if (type instanceof Y.Map) shotFieldChanges(type, tr, keys, key, out);
      return;
    }
    const shotId = parent._item?.parentSub;
    if (parent._item?.parent === shots && typeof shotId === 'string' && type instanceof Y.Text && TEXT_FIELDS.has(key)) {
      out.push({ shotId, field: key as ShotChangeField, text: type, before: () => textBefore(type, tr) });
    }
  });
  return out;
}

/** The plain fields and the assignments a transaction changed on one shot's map. */
function shotFieldChanges(shot: Y.Map<unknown>, tr: Y.Transaction, keys: Set<string | null>, shotId: string, out: ReadChange[]): void {
  const changes = new Y.YMapEvent(shot, tr, keys).changes.keys;
  for (const [key, change] of changes) {
    if (!VALUE_FIELDS.has(key)) continue;
    // A missing key reads as its default (a shot stores no 'draft' status, SHOT_SPEC.defaults).
    const before = valueText(change.action === 'add' ? SHOT_SPEC.defaults?.[key] : change.oldValue);
    const after = valueText(change.action === 'delete' ? SHOT_SPEC.defaults?.[key] : shot.get(key));
    if (before !== after) out.push({ shotId, field: key as ShotChangeField, before, after });
  }
  const refs = refsChange(shot, changes);
  if (refs) out.push({ shotId, field: REFS, ...refs });
}

/** The history field of a shot's assignments (its `ref:<referenceId>` keys). */
const REFS = 'refs' satisfies ShotChangeField;

/** The assigned reference ids before and after, comma-separated, when the set changed. */
function refsChange(shot: Y.Map<unknown>, changes: Map<string, { action: 'add' | 'update' | 'delete' }>): { before: string; after: string } | null {
  const refIds = (keys: Iterable<string>) => [...keys].map(shotKeyFamily).flatMap((m) => (m?.family === 'ref' ? [m.id] : []));
  const added = refIds([...changes].filter(([, c]) => c.action === 'add').map(([k]) => k));
  const deleted = refIds([...changes].filter(([, c]) => c.action === 'delete').map(([k]) => k));
  if (added.length === 0 && deleted.length === 0) return null;
  const after = refIds(shot.keys()).sort();
  const before = after.filter((id) => !added.includes(id)).concat(deleted).sort();
  return { before: before.join(','), after: after.join(',') };
}

function newlyAdded(map: Y.Map<unknown>, tr: Y.Transaction, key: string): boolean {
  const item = map._map.get(key);
  return !!item && !item.deleted && item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}

/** The text as it read before the transaction: characters that existed then and were not yet deleted. */
function textBefore(text: Y.Text, tr: Y.Transaction): string {
  const event = new Y.YEvent(text, tr);
  let out = '';
  for (let item = text._start; item; item = item.right) {
    if (!(item.content instanceof Y.ContentString) || event.adds(item)) continue;
    if (!item.deleted || event.deletes(item)) out += item.content.str;
  }
  return out;
}

function textOf(shot: unknown): string {
  if (!(shot instanceof Y.Map)) return '';
  const title = shot.get(SHOT.title);
  return title instanceof Y.Text ? title.toString() : typeof title === 'string' ? title : '';
}

function valueText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v instanceof Y.AbstractType ? '' : JSON.stringify(v);
}
