/** Test helpers for the board document: replicas that sync by hand, and a seeded PRNG. */
import * as Y from 'yjs';
import { ensureBoardRoots, roots, validateTransaction, META, REFERENCE, SHOT, VERSION, type Actor, type ValidateOptions, type ValidationResult } from '../../../shared/doc/index.js';

/** Brings `to` up to date with everything `from` has. */
export function syncOneWay(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** Full sync among all docs, until every pair has exchanged state. */
export function syncAll(docs: readonly Y.Doc[]): void {
  for (const a of docs) for (const b of docs) if (a !== b) syncOneWay(a, b);
}

/** A replica that starts from `base`'s state. */
export function replicaOf(base: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  syncOneWay(base, doc);
  return doc;
}

/** Everything `doc` did since `before` (a state vector), as one update. */
export function updateSince(doc: Y.Doc, before: Uint8Array): Uint8Array {
  return Y.encodeStateAsUpdate(doc, before);
}

/** The editor a 'client' update is sent by unless a test names another actor. */
export const EDITOR: Actor = { userId: 'user_2', role: 'editor' };

/** Who sends an update in a test: the server, a client as EDITOR, or a client as `actor`. */
export type Sender = 'client' | 'server' | Actor;

function optionsFor(sender: Sender): ValidateOptions {
  if (sender === 'server') return { role: 'server' };
  return { role: 'client', actor: sender === 'client' ? EDITOR : sender };
}

/**
 * What the sync server does: apply `update` to `server` in one transaction and judge that
 * transaction with validateTransaction from an afterTransaction listener.
 */
export function applyAsServer(server: Y.Doc, update: Uint8Array, sender: Sender): ValidationResult {
  const origin = {};
  let verdict: ValidationResult | undefined;
  const onAfter = (tr: Y.Transaction) => {
    if (tr.origin === origin) verdict = validateTransaction(server, tr, optionsFor(sender));
  };
  server.on('afterTransaction', onAfter);
  try {
    server.transact(() => Y.applyUpdate(server, update), origin);
  } finally {
    server.off('afterTransaction', onAfter);
  }
  if (!verdict) throw new Error('afterTransaction did not fire');
  return verdict;
}

/** A server-side shadow doc holding `base`'s state, loaded the way the sync server loads one. */
export function serverCopy(base: Y.Doc, { typed = false } = {}): Y.Doc {
  const doc = new Y.Doc();
  if (typed) ensureBoardRoots(doc);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  return doc;
}

/**
 * Runs `edit` on a client replica of `base` and judges the resulting update on a server copy of
 * `base`, as the sync server would.
 */
export function judgeClientEdit(base: Y.Doc, edit: (client: Y.Doc) => void, sender: Sender = 'client'): ValidationResult {
  const client = replicaOf(base);
  const before = Y.encodeStateVector(client);
  edit(client);
  return applyAsServer(serverCopy(base), updateSince(client, before), sender);
}

/** A tiny deterministic PRNG (the animatic's mulberry32), so a failing random run can be replayed by its seed. */
export { seededRandom as prng } from '../../../server/generation/animatic/random.js';

/** A random element of a non-empty list. */
export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/**
 * Writes, in one transaction, what a build from before shared titles stored: plain strings in
 * the board title, a shot's title and camera ("shot_1"), a reference's name ("ref_1") and its
 * version's beat ("ver_1").
 */
export function writeLegacyBoard(doc: Y.Doc): void {
  const plain = (map: Y.Map<unknown>, fields: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(fields)) map.set(k, v);
    return map;
  };
  doc.transact(() => {
    const { meta, shots, references } = roots(doc);
    meta.set(META.title, 'Night market');
    const shot = plain(new Y.Map(), { rank: 'a0', title: 'Crane up', mode: 'text', durationSec: 5, model: 'animatic', status: 'draft', camera: 'crane' });
    plain(shot, { [SHOT.prompt]: new Y.Text('a crane shot'), [SHOT.notes]: new Y.Text('') });
    shots.set('shot_1', shot);
    const version = plain(new Y.Map(), { beat: 'act 1', createdAt: '2026-11-24T10:00:00Z', [VERSION.assets]: new Y.Array() });
    const ref = plain(new Y.Map(), { kind: 'character', name: 'Mina', currentVersion: 'ver_1', locked: false });
    plain(ref, { [REFERENCE.description]: new Y.Text('red coat'), [REFERENCE.versions]: plain(new Y.Map(), { ver_1: version }) });
    references.set('ref_1', ref);
  });
}
