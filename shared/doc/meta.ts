/** Board-level settings (`meta` map): title, aspect ratio, default model, budget, sprint, fps, sequence options. */
import type * as Y from 'yjs';
import { assertValid, isStr } from './checks.js';
import { readBible, type Bible } from './bible.js';
import { inTransaction, readBool, readEnum, readNum, readStr, readText, roots, textAt, writeFields, writeText } from './maps.js';
import { ASPECT_RATIOS, DEFAULT_ASPECT_RATIO, DEFAULT_FPS, META, type AspectRatio } from './schema.js';
import { META_SPEC } from './specs.js';

/** A plain snapshot of `meta`, with defaults filled in for fields a new board has not set. */
export interface MetaView {
  title: string;
  aspectRatio: AspectRatio;
  defaultModel: string;
  /** Integer micro-dollars. */
  budgetMicroUsd?: number;
  sprintStart?: string;
  sprintEnd?: string;
  fps: number;
  /** Sequence plan: trim what a chained clip repeats of its source (default off). */
  trimOverlap: boolean;
  /** Sequence plan: crossfade at chain cuts, seconds (default 0: hard cuts). */
  crossfadeSec: number;
  /** The continuity bible: referenceId -> pinned version id, or '' for current (bible.ts); absent while empty. */
  bible?: Bible;
}

/** Fields to change; `null` removes an optional one (it then reads as its default). */
export interface MetaPatch {
  title?: string;
  aspectRatio?: AspectRatio;
  defaultModel?: string;
  budgetMicroUsd?: number | null;
  sprintStart?: string | null;
  sprintEnd?: string | null;
  fps?: number | null;
  trimOverlap?: boolean | null;
  crossfadeSec?: number | null;
}

/** Reads the board settings. */
export function getMeta(doc: Y.Doc): MetaView {
  const meta = roots(doc).meta;
  const view: MetaView = {
    title: readText(meta, META.title),
    aspectRatio: readEnum(meta, META.aspectRatio, ASPECT_RATIOS, DEFAULT_ASPECT_RATIO),
    defaultModel: readStr(meta, META.defaultModel) ?? '',
    fps: readNum(meta, META.fps) ?? DEFAULT_FPS,
    trimOverlap: readBool(meta, META.trimOverlap) ?? false,
    crossfadeSec: readNum(meta, META.crossfadeSec) ?? 0,
  };
  const bible = readBible(meta);
  if (Object.keys(bible).length > 0) view.bible = bible;
  const budgetMicroUsd = readNum(meta, META.budgetMicroUsd);
  const sprintStart = readStr(meta, META.sprintStart);
  const sprintEnd = readStr(meta, META.sprintEnd);
  if (budgetMicroUsd !== undefined) view.budgetMicroUsd = budgetMicroUsd;
  if (sprintStart !== undefined) view.sprintStart = sprintStart;
  if (sprintEnd !== undefined) view.sprintEnd = sprintEnd;
  return view;
}

/**
 * Sets the given settings in one transaction; throws a DocError (writing nothing) on a bad value.
 * The title is shared text: only its changed part is rewritten.
 */
export function setMeta(doc: Y.Doc, patch: MetaPatch): void {
  const meta = roots(doc).meta;
  const { title, ...fields } = patch;
  if (title !== undefined) assertValid(isStr, title, 'meta.title');
  inTransaction(doc, () => {
    writeFields(meta, fields, META_SPEC.fields, META_SPEC.required, 'meta');
    if (title !== undefined) writeText(meta, META.title, title);
  });
}

/** The board title as its shared Y.Text (undefined until the server has set or converted it). */
export function getTitleText(doc: Y.Doc): Y.Text | undefined {
  return textAt(roots(doc).meta, META.title);
}
