/**
 * Reads an OpenTimelineIO JSON timeline: the first video track of the timeline's stack, its
 * clips (any Clip.* schema version), named gaps our export wrote for slates, and transitions.
 * Provenance: a clip's `metadata.takeboard` (shotId, takeId, clipId) and its media URL.
 * Times are RationalTime at any rate, converted to the board's.
 */
import { secondsToFrames, type FrameRate } from '../../../shared/sequence/rate.js';
import {
  assetIdOf, badTimeline, idOf, MAX_TIMELINE_ITEMS, placeDissolve,
  type ImportedItem, type ImportedTimeline,
} from './timeline-file.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const schemaOf = (v: Obj) => (typeof v.OTIO_SCHEMA === 'string' ? v.OTIO_SCHEMA.split('.')[0]! : '');

export function readOtio(text: string, rate: FrameRate): ImportedTimeline {
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    throw badTimeline('otio', jsonWhere(text.replace(/^\ufeff/, '')), 'it is not valid JSON');
  }
  const fail = (at: string, why: string) => badTimeline('otio', at, why);
  if (!isObj(root) || schemaOf(root) !== 'Timeline') throw fail('the top object', 'it is not an OTIO Timeline (OTIO_SCHEMA "Timeline.1")');
  const stack = root.tracks;
  if (!isObj(stack) || !Array.isArray(stack.children)) throw fail('tracks', 'the timeline has no Stack of tracks');
  const videos = stack.children.filter((t): t is Obj => isObj(t) && schemaOf(t) === 'Track' && t.kind === 'Video');
  const track = videos[0];
  if (!track || !Array.isArray(track.children)) throw fail('tracks.children', 'the timeline has no video track');
  const notes = videos.length > 1 ? [`Only the first video track was read; ${videos.length - 1} more were left as they are.`] : [];
  if (track.children.length > MAX_TIMELINE_ITEMS) throw fail('tracks.children[0]', `more than ${MAX_TIMELINE_ITEMS} items`);

  const items: ImportedItem[] = [];
  let pending: { inOffset: number; outOffset: number } | null = null;
  track.children.forEach((child, i) => {
    const at = `track 1, item ${i + 1}`;
    if (!isObj(child)) throw fail(at, 'an item that is not an object');
    const kind = schemaOf(child);
    if (kind === 'Transition') {
      pending = { inOffset: frames(child.in_offset, `${at} in_offset`), outOffset: frames(child.out_offset, `${at} out_offset`) };
      return;
    }
    if (kind !== 'Clip' && kind !== 'Gap') {
      // A nested stack or track (a compound clip): not ours to look into.
      items.push({ kind: 'clip', ids: {}, name: str(child.name) || kind || 'item', inFrame: 0, outFrame: 0, fadeIn: 0, at });
      return;
    }
    const tb = isObj(child.metadata) && isObj(child.metadata.takeboard) ? child.metadata.takeboard : {};
    const range = sourceRange(child, at);
    if (kind === 'Gap') {
      const shotId = idOf(tb.shotId);
      // A gap without our ids is filler an editor left: it holds no shot.
      if (!shotId || tb.slate !== true) return;
      items.push({ kind: 'slate', ids: { shotId }, name: str(child.name), inFrame: range.start, outFrame: range.start + range.duration, fadeIn: 0, at });
    } else {
      const ids = { shotId: idOf(tb.shotId), takeId: idOf(tb.takeId), clipId: idOf(tb.clipId) ?? assetIdOf(mediaUrl(child)) };
      items.push({ kind: 'clip', ids: clean(ids), name: str(child.name), inFrame: range.start, outFrame: range.start + range.duration, fadeIn: 0, at });
    }
    if (pending) placeDissolve(items[items.length - 2], items[items.length - 1]!, pending.inOffset, pending.outOffset);
    pending = null;
  });
  return { format: 'otio', items, notes };

  function frames(v: unknown, at: string): number {
    if (!isObj(v) || typeof v.value !== 'number' || typeof v.rate !== 'number' || !Number.isFinite(v.value) || !(v.rate > 0) || v.value < 0 || v.value > 1e9) {
      throw fail(at, 'expected a RationalTime with a non-negative value and a positive rate');
    }
    return secondsToFrames(v.value / v.rate, rate);
  }
  function sourceRange(item: Obj, at: string): { start: number; duration: number } {
    const range = isObj(item.source_range) ? item.source_range : availableRange(item);
    if (!range) throw fail(at, 'a clip without a source_range');
    return { start: frames(range.start_time, `${at} source_range.start_time`), duration: frames(range.duration, `${at} source_range.duration`) };
  }
}

/** The active media reference's available range (a clip used whole has no source_range). */
function availableRange(item: Obj): Obj | undefined {
  const ref = mediaRef(item);
  return ref && isObj(ref.available_range) ? ref.available_range : undefined;
}

function mediaRef(item: Obj): Obj | undefined {
  if (isObj(item.media_references)) {
    const key = typeof item.active_media_reference_key === 'string' ? item.active_media_reference_key : 'DEFAULT_MEDIA';
    const ref = item.media_references[key];
    return isObj(ref) ? ref : undefined;
  }
  return isObj(item.media_reference) ? item.media_reference : undefined; // Clip.1
}

const mediaUrl = (item: Obj) => mediaRef(item)?.target_url;
const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');
const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * "line N" of the first JSON syntax error. V8's message does not say where, so the text is
 * scanned again (only on this error path): a small recursive-descent pass that stops at the
 * first character JSON does not allow there.
 */
const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function jsonWhere(text: string): string {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const value = (depth: number): boolean => {
    ws();
    if (depth > 512) return false;
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return ++i > 0;
      for (;;) {
        if (ch === '{') {
          ws();
          if (text[i] !== '"' || !string()) return false;
          ws();
          if (text[i++] !== ':') return (i--, false);
        }
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return ++i > 0;
        else return false;
      }
    }
    if (ch === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const string = (): boolean => {
    JSON_STRING.lastIndex = i;
    if (!JSON_STRING.exec(text)) return false;
    i = JSON_STRING.lastIndex;
    return true;
  };
  if (value(0)) ws();
  return `line ${text.slice(0, i).split('\n').length}`;
}
