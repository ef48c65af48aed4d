/**
 * Reads FCPXML (1.x): the first `<sequence>`'s spine in order: `<asset-clip>`s (and `<clip>`s
 * wrapping a `<video>`), `<gap>`s our export named for slates, `<transition>`s. Provenance: the
 * `com.takeboard.*` md keys on the asset (or the clip) and the asset's media URL. Times are
 * rational seconds (`72/24s`), converted to the board's frames; a clip's in point is its `start`
 * less its asset's `start`. Parsed with our own safe reader (xml.ts): no DTD, no entities.
 */
import { secondsToFrames, type FrameRate } from '../../../shared/sequence/rate.js';
import {
  assetIdOf, badTimeline, idOf, MAX_TIMELINE_ITEMS, placeDissolve,
  type ImportedIds, type ImportedItem, type ImportedTimeline,
} from './timeline-file.js';
import { childrenNamed, parseXml, XmlError, type XmlElement } from './xml.js';

const at = (el: XmlElement) => `<${el.name}> at line ${el.line}`;

export function readFcpxml(text: string, rate: FrameRate): ImportedTimeline {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (err instanceof XmlError) throw badTimeline('fcpxml', `line ${err.line}`, err.message);
    throw err;
  }
  const fail = (el: XmlElement, why: string) => badTimeline('fcpxml', at(el), why);
  if (root.name !== 'fcpxml') throw fail(root, 'the root element is not <fcpxml>');

  const time = (el: XmlElement, attr: string, fallback?: number): number => {
    const raw = el.attrs[attr];
    if (raw === undefined) {
      if (fallback !== undefined) return fallback;
      throw fail(el, `${attr} is missing`);
    }
    const m = /^(\d{1,15})(?:\/(\d{1,12}))?s$/.exec(raw);
    if (!m || Number(m[2] ?? 1) === 0) throw fail(el, `${attr}="${raw.slice(0, 40)}" is not a time in rational seconds (such as 72/24s)`);
    return Number(m[1]) / Number(m[2] ?? 1);
  };

  const assets = new Map<string, { start: number; ids: ImportedIds }>();
  for (const resources of childrenNamed(root, 'resources')) {
    for (const asset of childrenNamed(resources, 'asset')) {
      const id = asset.attrs.id;
      if (!id) continue;
      const src = asset.attrs.src ?? childrenNamed(asset, 'media-rep')[0]?.attrs.src;
      assets.set(id, { start: time(asset, 'start', 0), ids: { ...mdIds(asset), ...(assetIdOf(src) ? { clipId: assetIdOf(src) } : {}) } });
    }
  }
  const sequence = findFirst(root, 'sequence');
  if (!sequence) throw fail(root, 'there is no <sequence> (a project with a timeline)');
  const spine = childrenNamed(sequence, 'spine')[0];
  if (!spine) throw fail(sequence, 'the sequence has no <spine>');
  if (spine.children.length > MAX_TIMELINE_ITEMS) throw fail(spine, `more than ${MAX_TIMELINE_ITEMS} items`);

  const items: ImportedItem[] = [];
  const notes: string[] = [];
  let pending: XmlElement | null = null;
  let lastEnd = 0;
  for (const el of spine.children) {
    if (el.name === 'transition') {
      pending = el;
      continue;
    }
    const offset = time(el, 'offset', lastEnd);
    const duration = time(el, 'duration');
    const item = spineItem(el, duration);
    if (pending && item) {
      // Where the transition sits around the cut (offset..offset+duration around `offset` of this item).
      const start = time(pending, 'offset');
      const length = time(pending, 'duration');
      placeDissolve(items[items.length - 1], item, secondsToFrames(offset - start, rate), secondsToFrames(start + length - offset, rate));
    }
    if (item) items.push(item);
    pending = null;
    lastEnd = offset + duration;
  }
  if (findFirst(sequence, 'spine', 1)) notes.push('Clips connected above or below the primary storyline were left as they are.');
  return { format: 'fcpxml', items, notes };

  function spineItem(el: XmlElement, duration: number): ImportedItem | null {
    const base = { name: (el.attrs.name ?? '').slice(0, 200), fadeIn: 0, at: at(el) };
    if (el.name === 'gap') {
      const shotId = mdIds(el).shotId;
      // A gap without our ids is filler an editor left: it holds no shot.
      return shotId ? { kind: 'slate', ids: { shotId }, inFrame: 0, outFrame: secondsToFrames(duration, rate), ...base } : null;
    }
    const media = el.name === 'asset-clip' ? el : el.name === 'clip' ? (childrenNamed(el, 'video')[0] ?? childrenNamed(el, 'asset-clip')[0]) : undefined;
    const asset = media?.attrs.ref ? assets.get(media.attrs.ref) : undefined;
    if (!asset) return { kind: 'clip', ids: {}, inFrame: 0, outFrame: 0, ...base };
    // A `<clip>` has its own local time: the source frame is the video's start plus how far into
    // the clip its `start` is past the video's offset there.
    const source = media === el
      ? time(el, 'start', asset.start)
      : time(media!, 'start', asset.start) + time(el, 'start', 0) - time(media!, 'offset', 0);
    const inFrame = secondsToFrames(Math.max(0, source - asset.start), rate);
    return { kind: 'clip', ids: { ...asset.ids, ...mdIds(el) }, inFrame, outFrame: inFrame + secondsToFrames(duration, rate), ...base };
  }
}

/** Our `com.takeboard.shotId` / `takeId` md keys in an element's `<metadata>`. */
function mdIds(el: XmlElement): ImportedIds {
  const out: ImportedIds = {};
  for (const metadata of childrenNamed(el, 'metadata')) {
    for (const md of childrenNamed(metadata, 'md')) {
      const value = idOf(md.attrs.value);
      if (md.attrs.key === 'com.takeboard.shotId' && value) out.shotId = value;
      if (md.attrs.key === 'com.takeboard.takeId' && value) out.takeId = value;
    }
  }
  return out;
}

/** The first element named `name` below `el`, depth first; `skip` ignores that many matches (nested spines). */
function findFirst(el: XmlElement, name: string, skip = 0): XmlElement | undefined {
  let seen = 0;
  const walk = (e: XmlElement): XmlElement | undefined => {
    for (const c of e.children) {
      if (c.name === name && seen++ === skip) return c;
      const found = walk(c);
      if (found) return found;
    }
    return undefined;
  };
  return walk(el);
}
