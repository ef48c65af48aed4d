import { For } from 'solid-js';
import { SHORTCUTS } from './shortcuts';
import { keepOnScreen } from '../ui/keep-on-screen';

/** The keyboard shortcut list, opened with "?" or the help button. */
export function HelpPopover(props: { onClose: () => void }) {
  return (
    <div class="popover help" role="dialog" aria-label="Keyboard shortcuts" ref={keepOnScreen}>
      <h2>Keyboard shortcuts</h2>
      <dl>
        <For each={SHORTCUTS}>
          {([keys, what]) => (
            <>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </>
          )}
        </For>
      </dl>
      <p class="muted">
        Single-key shortcuts work when no text field has the focus. Undo and redo also work in shared text fields
        (titles, prompts, notes), and the ↶ ↷ buttons in the top bar do the same.
      </p>
      <button type="button" onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}
