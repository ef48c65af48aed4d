/**
 * The one bridge from the Yjs document to Solid: deep observers on the four root maps refresh a
 * Solid store through the shared accessors (shared/doc), reconciled by id so only the rows and
 * fields that changed re-render. Components read `state`, write through shared/doc functions.
 */
import { batch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import * as Y from 'yjs';
import {
  getMeta,
  getShot,
  SHOT,
  listComments,
  listReferences,
  listTakes,
  roots,
  shotsInOrder,
  type CommentView,
  type MetaView,
  type ReferenceView,
  type ShotView,
  type TakeView,
} from '../../../shared/doc';

/** Everything the board renders, as plain reactive data. */
export interface BoardState {
  meta: MetaView;
  shots: ShotView[];
  /** Takes per shot id, oldest first. */
  takes: Record<string, TakeView[]>;
  references: ReferenceView[];
  comments: CommentView[];
}

/** Mirrors `doc` into a store; call dispose() to stop observing. */
export function createDocBridge(doc: Y.Doc) {
  const [state, setState] = createStore<BoardState>(read(doc));
  const r = roots(doc);
  let index = new Map(state.shots.map((s, i) => [s.id, i]));
  const refreshAllShots = () => {
    const shots = shotsInOrder(doc);
    const takes: Record<string, TakeView[]> = {};
    for (const s of shots) takes[s.id] = listTakes(doc, s.id);
    index = new Map(shots.map((s, i) => [s.id, i]));
    batch(() => {
      setState('shots', reconcile(shots, { key: 'id' }));
      setState('takes', reconcile(takes, { key: 'id' }));
    });
  };
  // A keystroke in one prompt re-reads that one shot, not the whole board.
  const refreshShots = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    const ids = changedShots(events);
    if (!ids) return refreshAllShots();
    batch(() => {
      for (const id of ids) {
        const i = index.get(id);
        const view = getShot(doc, id);
        if (i === undefined || !view) return refreshAllShots();
        setState('shots', i, reconcile(view));
        setState('takes', id, reconcile(listTakes(doc, id), { key: 'id' }));
      }
    });
  };

  const refresh = {
    meta: () => setState('meta', reconcile(getMeta(doc))),
    shots: refreshShots,
    references: () => setState('references', reconcile(listReferences(doc), { key: 'id' })),
    comments: () => setState('comments', reconcile(listComments(doc), { key: 'id' })),
  };
  const pairs: Array<[Y.Map<unknown>, (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => void]> = [
    [r.meta, refresh.meta],
    [r.shots, refresh.shots],
    [r.references, refresh.references],
    [r.comments, refresh.comments],
  ];
  // A rendering bug must not break sync: Yjs calls observers inside its update handling.
  const guarded = pairs.map(([map, fn]) => [map, (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    try {
      fn(events);
    } catch (err) {
      console.error('Takeboard could not render a board change', err);
    }
  }] as const);
  for (const [map, fn] of guarded) map.observeDeep(fn);

  return {
    state,
    dispose() {
      for (const [map, fn] of guarded) map.unobserveDeep(fn);
    },
  };
}

export type DocBridge = ReturnType<typeof createDocBridge>;

function read(doc: Y.Doc): BoardState {
  const shots = shotsInOrder(doc);
  const takes: Record<string, TakeView[]> = {};
  for (const s of shots) takes[s.id] = listTakes(doc, s.id);
  return { meta: getMeta(doc), shots, takes, references: listReferences(doc), comments: listComments(doc) };
}

/**
 * Ids of the shots an observeDeep batch touched, or null when the order or the set of shots may
 * have changed (a shot added or removed, a rank written): then everything is re-read.
 */
function changedShots(events: ReadonlyArray<Y.YEvent<Y.AbstractType<unknown>>>): Set<string> | null {
  const ids = new Set<string>();
  for (const e of events) {
    const id = e.path[0];
    if (typeof id !== 'string') return null;
    if (e.path.length === 1 && e.target instanceof Y.Map && e.changes.keys.has(SHOT.rank)) return null;
    ids.add(id);
  }
  return ids;
}
