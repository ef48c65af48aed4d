/**
 * The one bridge from the Yjs document to Solid: deep observers on the four root maps refresh a
 * Solid store through the shared accessors (shared/doc), reconciled by id so only the rows and
 * fields that changed re-render. Components read `state`, write through shared/doc functions.
 */
import { batch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type * as Y from 'yjs';
import {
  getMeta,
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

type Slice = 'meta' | 'shots' | 'references' | 'comments';

/** Mirrors `doc` into a store; call dispose() to stop observing. */
export function createDocBridge(doc: Y.Doc) {
  const [state, setState] = createStore<BoardState>(read(doc));
  const r = roots(doc);

  const refresh: Record<Slice, () => void> = {
    meta: () => setState('meta', reconcile(getMeta(doc))),
    shots: () => {
      const shots = shotsInOrder(doc);
      const takes: Record<string, TakeView[]> = {};
      for (const s of shots) takes[s.id] = listTakes(doc, s.id);
      batch(() => {
        setState('shots', reconcile(shots, { key: 'id' }));
        setState('takes', reconcile(takes, { key: 'id' }));
      });
    },
    references: () => setState('references', reconcile(listReferences(doc), { key: 'id' })),
    comments: () => setState('comments', reconcile(listComments(doc), { key: 'id' })),
  };
  const pairs: Array<[Y.Map<unknown>, () => void]> = [
    [r.meta, refresh.meta],
    [r.shots, refresh.shots],
    [r.references, refresh.references],
    [r.comments, refresh.comments],
  ];
  // A rendering bug must not break sync: Yjs calls observers inside its update handling.
  const guarded = pairs.map(([map, fn]) => [map, () => {
    try {
      fn();
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
