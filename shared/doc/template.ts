/**
 * A board as a template: its settings, references (with every version), continuity bible and shots, without what
 * was made or said on it (takes, selected takes, comments, approvals, assignees, keep-anyway
 * records, sprint dates). Used by "Duplicate as template": read from one document, written into
 * a new one through the accessors, so the copy passes the same checks as any edit.
 */
import type * as Y from 'yjs';
import { setBibleEntry, setBibleOverride } from './bible.js';
import { getMeta, setMeta, type MetaView } from './meta.js';
import { addReferenceVersion, createReference, listReferences, setCurrentVersion, setReferenceLocked, type ReferenceView } from './references.js';
import { assignReference } from './shot-refs.js';
import { shotsInOrder, type ShotView } from './shot-view.js';
import { addShot, setShotFields } from './shots.js';
import type { BibleOverride, BibleRole } from './schema.js';

export interface BoardTemplate {
  meta: MetaView;
  references: ReferenceView[];
  shots: ShotView[];
}

export function readTemplate(doc: Y.Doc): BoardTemplate {
  return { meta: getMeta(doc), references: listReferences(doc), shots: shotsInOrder(doc) };
}

/** Every asset id a template points at (reference versions, shots' first and last frames). */
export function templateAssets(t: BoardTemplate): string[] {
  const ids = new Set<string>();
  for (const r of t.references) for (const v of r.versions) for (const a of v.assets) ids.add(a);
  for (const s of t.shots) for (const a of [s.startFrame, s.endFrame]) if (a) ids.add(a);
  return [...ids];
}

/**
 * Writes a template into an empty board document under a new title. `assets` maps each source
 * asset id to its copy on the new board; an id without a copy is dropped rather than pointing at
 * another board's file. Shots that were generating, in review or approved start again as drafts
 * (their takes stay behind); 'ready' stays ready.
 */
export function writeTemplate(doc: Y.Doc, t: BoardTemplate, title: string, assets: ReadonlyMap<string, string>): void {
  const { meta } = t;
  setMeta(doc, { title, aspectRatio: meta.aspectRatio, defaultModel: meta.defaultModel, budgetMicroUsd: meta.budgetMicroUsd ?? null, fps: meta.fps, trimOverlap: meta.trimOverlap, crossfadeSec: meta.crossfadeSec });
  const refIds = new Map<string, string>();
  const versionIds = new Map<string, string>();
  for (const r of t.references) {
    const id = createReference(doc, { kind: r.kind, name: r.name, description: r.description });
    refIds.set(r.id, id);
    for (const v of r.versions) {
      const copied = v.assets.flatMap((a) => assets.get(a) ?? []);
      versionIds.set(v.id, addReferenceVersion(doc, id, { beat: v.beat, assets: copied, createdAt: v.createdAt }));
    }
    if (versionIds.has(r.currentVersion)) setCurrentVersion(doc, id, versionIds.get(r.currentVersion)!);
    if (r.locked) setReferenceLocked(doc, id, true);
  }
  // The continuity bible is part of the look a template carries (an entry without its reference is not).
  for (const [refId, pin] of Object.entries(meta.bible ?? {})) {
    if (refIds.has(refId)) setBibleEntry(doc, refIds.get(refId)!, versionIds.get(pin) ?? '');
  }
  const shotIds = new Map<string, string>();
  for (const s of t.shots) {
    const start = s.startFrame ? assets.get(s.startFrame) : undefined;
    const end = s.endFrame ? assets.get(s.endFrame) : undefined;
    const id = addShot(doc, {
      title: s.title,
      prompt: s.prompt,
      mode: s.mode,
      durationSec: s.durationSec,
      model: s.model,
      notes: s.notes,
      status: s.status === 'ready' ? 'ready' : 'draft',
      ...(s.shotSize ? { shotSize: s.shotSize } : {}),
      ...(s.camera ? { camera: s.camera } : {}),
      ...(start ? { startFrame: start } : {}),
      ...(end ? { endFrame: end } : {}),
    });
    shotIds.set(s.id, id);
    for (const [role, override] of Object.entries(s.bible ?? {}) as [BibleRole, BibleOverride][]) setBibleOverride(doc, id, role, override);
    for (const [refId, versionId] of Object.entries(s.refs)) {
      if (refIds.has(refId)) assignReference(doc, id, refIds.get(refId)!, versionIds.get(versionId) ?? '');
    }
  }
  // Chains are linked once every shot exists (a shot may continue one further down the list).
  for (const s of t.shots) {
    if (s.continuesFrom && shotIds.has(s.continuesFrom)) setShotFields(doc, shotIds.get(s.id)!, { continuesFrom: shotIds.get(s.continuesFrom)! });
  }
}
