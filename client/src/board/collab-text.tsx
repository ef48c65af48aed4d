import { onCleanup, onMount, splitProps, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { bindText } from './text-binding';

type Props = {
  text: Y.Text;
  label: string;
  multiline?: boolean;
} & Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onInput'>;

/**
 * A text field bound to a shared Y.Text (prompt, notes, description): teammates' typing appears
 * live and merges with ours. Reads nothing from the store, so a keystroke never re-renders it.
 */
export function CollabText(props: Props) {
  const [own, rest] = splitProps(props, ['text', 'label', 'multiline']);
  let el!: HTMLTextAreaElement;
  onMount(() => {
    const unbind = bindText(el, own.text);
    onCleanup(unbind);
  });
  return <textarea ref={el} aria-label={own.label} spellcheck={true} {...rest} />;
}
