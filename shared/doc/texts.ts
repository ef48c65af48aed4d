/**
 * Boards stored before titles, names, beats and camera became shared text hold plain strings
 * there. The sync server converts them once, when it loads such a board (server/sync/core.ts),
 * through the same validate, store and relay path as its other writes.
 *
 * Two instances may load the same old board at once and both convert it. The conversion is
 * deterministic so that cannot end with two Y.Texts fighting over one title: it writes under a
 * client id derived from the document's state vector, in key order, so two instances converting
 * the same stored state produce the very same items (the second is a no-op wherever it lands).
 * Instances converting different states (an outdated client wrote a string in between) use
 * different ids; Yjs then keeps one Y.Text per field, and each was made from a string that was
 * stored, so no title is lost.
 */
import * as Y from 'yjs';
import { childMap, newText, roots, type DocMap } from './maps.js';
import { REFERENCE } from './schema.js';
import { META_SPEC, REFERENCE_SPEC, SHOT_SPEC, VERSION_SPEC, textKeys, type EntitySpec } from './specs.js';

interface Legacy {
  map: DocMap;
  key: string;
  value: string;
}

/** Every text field that still holds a plain string, in a replica-independent order. */
export function legacyTexts(doc: Y.Doc): Legacy[] {
  const out: Legacy[] = [];
  const visit = (map: DocMap, spec: EntitySpec) => {
    for (const key of textKeys(spec)) {
      const value = map.get(key);
      if (typeof value === 'string') out.push({ map, key, value });
    }
  };
  const { meta, shots, references } = roots(doc);
  visit(meta, META_SPEC);
  for (const id of [...shots.keys()].sort()) {
    const shot = childMap(shots, id);
    if (shot) visit(shot, SHOT_SPEC);
  }
  for (const id of [...references.keys()].sort()) {
    const ref = childMap(references, id);
    if (!ref) continue;
    visit(ref, REFERENCE_SPEC);
    const versions = ref.get(REFERENCE.versions);
    if (!(versions instanceof Y.Map)) continue;
    for (const vid of [...versions.keys()].sort()) {
      const version = childMap(versions as DocMap, vid);
      if (version) visit(version, VERSION_SPEC);
    }
  }
  return out;
}

/**
 * Turns every legacy string text field into a Y.Text with the same content, in the caller's
 * transaction if there is one. Returns false (writing nothing) when there was nothing to convert,
 * so calling it on every load is cheap and idempotent.
 */
export function convertLegacyTexts(doc: Y.Doc): boolean {
  const todo = legacyTexts(doc);
  if (todo.length === 0) return false;
  asConverter(doc, () => {
    for (const { map, key, value } of todo) map.set(key, newText(value));
  });
  return true;
}

/**
 * Runs a load-time conversion under the client id every instance picks for this document state,
 * so two instances converting the same stored board write the very same update.
 */
export function asConverter(doc: Y.Doc, fn: () => void): void {
  const own = doc.clientID;
  doc.clientID = conversionClientId(doc);
  try {
    doc.transact(fn);
  } finally {
    doc.clientID = own;
  }
}

/**
 * A client id that is a function of the document's state (FNV-1a over its encoded state vector)
 * and not one the document already uses, so every instance converting this state picks it.
 */
function conversionClientId(doc: Y.Doc): number {
  const sv = Y.encodeStateVector(doc);
  const used = Y.decodeStateVector(sv);
  let hash = 0x811c9dc5;
  for (let salt = 0; ; salt++) {
    for (const byte of [...sv, salt]) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    // Yjs client ids are uint32; 0 is avoided only to keep ids obviously "set".
    if (hash !== 0 && !used.has(hash)) return hash;
  }
}
