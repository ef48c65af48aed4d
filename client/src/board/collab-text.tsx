import { createEffect, createMemo, onCleanup, splitProps, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { LocalEdit } from './local-edit';
import { bindText } from './text-binding';

/** Marks a field bound to shared text: its Ctrl+Z goes to the board's undo, not the browser's. */
export const COLLAB_ATTR = 'data-collab';

interface Shared {
  /**
   * The shared text to bind. Read again whenever `value` changes, so a field whose text appears
   * later (a camera set for the first time, a board the server has just converted) binds then.
   */
  text: Y.Text | undefined;
  label: string;
  /** The field's current plain value (from the store): shown while there is no Y.Text to bind. */
  value?: string;
  /** Writes a value through the accessors while there is no Y.Text (which then creates it). */
  onCommit?: (value: string) => void;
}

/**
 * Binds `el` to the text while there is one. Without one, the field shows `value` and commits a
 * change through `onCommit` (read-only if there is none).
 */
function useBinding(el: () => HTMLInputElement | HTMLTextAreaElement, own: Shared) {
  const text = createMemo(() => {
    void own.value;
    return own.text;
  });
  createEffect(() => {
    const t = text();
    const field = el();
    if (!t) {
      // Text shown without a Y.Text is a legacy string the server is about to convert: editing it
      // now would race the conversion, so only an empty (missing) field may be committed.
      field.value = own.value ?? '';
      field.readOnly = !own.onCommit || field.value !== '';
      return;
    }
    field.readOnly = false;
    onCleanup(bindText(field, t, new LocalEdit(field)));
  });
  return (e: Event & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
    if (!text() && own.onCommit) own.onCommit(e.currentTarget.value);
  };
}

type AreaProps = Shared & Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onInput' | 'onChange'>;

/**
 * A text area bound to a shared Y.Text (prompt, notes, description): teammates' typing appears
 * live and merges with ours. Reads nothing from the store, so a keystroke never re-renders it.
 */
export function CollabText(props: AreaProps) {
  const [own, rest] = splitProps(props, ['text', 'label', 'value', 'onCommit']);
  let el!: HTMLTextAreaElement;
  const commit = useBinding(() => el, own);
  return <textarea ref={el} aria-label={own.label} spellcheck={true} {...{ [COLLAB_ATTR]: '' }} onChange={commit} {...rest} />;
}

type InputProps = Shared & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'onChange' | 'type'>;

/** A single-line field bound to a shared Y.Text (titles, names, beats, camera), merging like CollabText. */
export function CollabInput(props: InputProps) {
  const [own, rest] = splitProps(props, ['text', 'label', 'value', 'onCommit']);
  let el!: HTMLInputElement;
  const commit = useBinding(() => el, own);
  return <input ref={el} type="text" aria-label={own.label} {...{ [COLLAB_ATTR]: '' }} onChange={commit} {...rest} />;
}
