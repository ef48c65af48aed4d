import * as Y from 'yjs';

/** An edit made by a teammate on their own copy of the stored `state`, as the update they would send. */
export function editOnCopy(state: Uint8Array, edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const sv = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, sv);
}
