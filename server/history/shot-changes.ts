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
  tr.changed.forEach((keys, type) => {
    const at = shotPlace(type);
    if (type instanceof Y.Map && isShotsRoot(type)) {
      for (const key of keys) if (key !== null && newlyAdded(type, tr, key)) out.push({ shotId: key, field: CREATED, before: '', after: textOf(type.get(key)) });
    } else if (at && type instanceof Y.Text && at.level === 'field' && TEXT_FIELDS.has(at.key)) {
      out.push({ shotId: at.shotId, field: at.key as ShotChangeField, text: type, before: () => textBefore(type, tr) });
    } else if (at && type instanceof Y.Map && at.level === 'shot') {
      const changes = new Y.YMapEvent(type, tr, keys).changes.keys;
      for (const [key, change] of changes) {
        if (!VALUE_FIELDS.has(key)) continue;
        // A missing key reads as its default (a shot stores no 'draft' status, SHOT_SPEC.defaults).
        const before = valueText(change.action === 'add' ? SHOT_SPEC.defaults?.[key] : change.oldValue);
        const after = valueText(change.action === 'delete' ? SHOT_SPEC.defaults?.[key] : type.get(key));
        if (before !== after) out.push({ shotId: at.shotId, field: key as ShotChangeField, before, after });
      }
      const refs = refsChange(type, changes);
      if (refs) out.push({ shotId: at.shotId, field: REFS, ...refs });
    }
  });
  return out;
}

type Place = { level: 'shot'; shotId: string } | { level: 'field'; shotId: string; key: string };

/** Where a changed type sits: a shot map itself, or a type directly under one (a field). */
function shotPlace(type: AnyType): Place | null {
  const parent = type.parent;
  const key = type._item?.parentSub;
  if (!parent || typeof key !== 'string') return null;
  if (parent instanceof Y.Map && isShotsRoot(parent)) return { level: 'shot', shotId: key };
  const shotKey = parent._item?.parentSub;
  if (parent.parent instanceof Y.Map && isShotsRoot(parent.parent) && typeof shotKey === 'string') return { level: 'field', shotId: shotKey, key };
  return null;
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

function isShotsRoot(type: AnyType): boolean {
  return type.parent === null && type.doc?.share.get(ROOT.shots) === type;
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
