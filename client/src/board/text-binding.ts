/**
 * Binds a <textarea> or <input> to a Y.Text so concurrent typing merges: local input becomes
 * Y.Text insert/delete deltas (never a whole-text replace), remote deltas are applied to the
 * element with the caret and selection shifted past them.
 */
import type * as Y from 'yjs';

type Field = HTMLTextAreaElement | HTMLInputElement;

/**
 * Starts the binding; the returned function ends it. `origin` marks this field's writes (its own
 * changes are not echoed back to it); it must be unique to the field.
 */
export function bindText(el: Field, text: Y.Text, origin: object = { binding: el }): () => void {
  let composing = false;
  let behind = false; // a remote change arrived mid-composition; apply it afterwards
  el.value = text.toString();

  const onInput = () => {
    if (composing) return;
    const before = text.toString();
    const after = el.value;
    if (before === after) return;
    const caret = el.selectionEnd ?? after.length;
    const { start, removed, inserted } = diff(before, after, caret);
    text.doc!.transact(() => {
      if (removed > 0) text.delete(start, removed);
      if (inserted) text.insert(start, inserted);
    }, origin);
  };

  const onRemote = (event: Y.YTextEvent) => {
    if (event.transaction.origin === origin) return;
    if (composing) {
      behind = true;
      return;
    }
    const focused = el.ownerDocument.activeElement === el;
    const s = el.selectionStart ?? 0;
    const e = el.selectionEnd ?? 0;
    const dir = el.selectionDirection ?? 'none';
    el.value = text.toString();
    if (focused) el.setSelectionRange(shift(s, event.delta), shift(e, event.delta), dir);
  };

  const onCompositionStart = () => (composing = true);
  const onCompositionEnd = () => {
    composing = false;
    onInput();
    if (behind) {
      behind = false;
      if (el.value !== text.toString()) el.value = text.toString();
    }
  };

  el.addEventListener('input', onInput);
  el.addEventListener('compositionstart', onCompositionStart);
  el.addEventListener('compositionend', onCompositionEnd);
  text.observe(onRemote);
  return () => {
    el.removeEventListener('input', onInput);
    el.removeEventListener('compositionstart', onCompositionStart);
    el.removeEventListener('compositionend', onCompositionEnd);
    text.unobserve(onRemote);
  };
}

/**
 * The single edit turning `before` into `after`. The caret (end of the edit) disambiguates runs of
 * equal characters, so typing "a" into "aa" at the start is an insert at 0, not at 2.
 */
export function diff(before: string, after: string, caret: number) {
  const grown = Math.max(0, after.length - before.length);
  const limit = Math.max(0, Math.min(before.length, after.length, caret - grown));
  let start = 0;
  while (start < limit && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  // Never cut a surrogate pair (an emoji swapped for another shares half of it): a lone half
  // would not survive the update's UTF-8 encoding.
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLow(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { start, removed: endBefore - start, inserted: after.slice(start, endAfter) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Where index `i` moves after a remote delta. Text inserted exactly at `i` stays after it, so a
 * teammate typing at the same spot does not push this user's caret and their words stay whole.
 */
export function shift(i: number, delta: Y.YTextEvent['delta']): number {
  let pos = 0; // walks the document as the delta rewrites it, in the caret's coordinates
  let out = i;
  for (const op of delta) {
    if (pos > out) break;
    if (op.retain !== undefined) pos += op.retain;
    else if (typeof op.insert === 'string') {
      if (pos < out) out += op.insert.length;
      pos += op.insert.length;
    } else if (op.delete !== undefined && pos < out) {
      out -= Math.min(op.delete, out - pos);
    }
  }
  return Math.max(0, out);
}
