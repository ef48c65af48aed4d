import * as Y from 'yjs';

/**
 * Gives back memory a freshly decoded board document holds for nothing, without changing a
 * byte of what it means or encodes (measured with `npm run bench -- --only memory --heap-snapshots`):
 *
 * - Every plain map value (a shot's status, duration, ids) is a ContentAny whose one-element
 *   array Yjs built by pushing onto `[]`: V8 gives such an array room for 17 elements, ~136 B of
 *   slack each; ~70 of them on a small board, ~10 kB. Each becomes an exact-size copy. Yjs treats
 *   these arrays as immutable (it freezes them in dev mode, and splits and merges by replacing
 *   them), so a copy is the same content.
 * - Every map entry's key is its own decoded string (each shot's "prompt", "status", ...): the
 *   item's `parentSub` and the key of its parent's map. Within one document they are made one
 *   string per distinct key; the parent's map is rebuilt with the same entries in the same order.
 * - Every shared text keeps an array of search markers, which speed up finding an index for a
 *   local edit of a long text. The server edits texts rarely (its own writes), and Yjs finds the
 *   index by a walk when a type has none (`null`, as every other type has).
 *
 * Run it on a document nobody is in a transaction on (after load, after waking).
 */
export function slimDoc(doc: Y.Doc): void {
  const keys = new Map<string, string>();
  const intern = (s: string) => {
    const known = keys.get(s);
    if (known !== undefined) return known;
    keys.set(s, s);
    return s;
  };
  const maps = new Set<Y.AbstractType<unknown>>();
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue;
      const content = s.content;
      if (content instanceof Y.ContentAny) content.arr = content.arr.slice();
      else if (content instanceof Y.ContentType && content.type instanceof Y.Text) content.type._searchMarker = null;
      if (s.parentSub !== null) {
        s.parentSub = intern(s.parentSub);
        if (s.parent instanceof Y.AbstractType) maps.add(s.parent);
      }
    }
  }
  for (const type of maps) {
    if (type._map.size === 0) continue;
    const rebuilt = new Map<string, Y.Item>();
    for (const [key, item] of type._map) rebuilt.set(intern(key), item);
    type._map = rebuilt;
  }
}
