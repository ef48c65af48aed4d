import { onMount, type JSX } from 'solid-js';

/**
 * Asks before something that cannot be undone (removing a member, say): a modal `<dialog>`, so
 * focus stays inside, Escape and "Cancel" back out, and the page behind cannot be clicked.
 * Render it while asking; it opens itself. `confirm` names the act ("Remove Tom"). `tone`:
 * `danger` (the default) for what removes, or spends without a known price; `primary` for an
 * ordinary step the person chose, so a red button does not cry wolf.
 */
export function ConfirmDialog(props: { title: string; children: JSX.Element; confirm: string; tone?: 'danger' | 'primary'; onConfirm: () => void; onCancel: () => void }) {
  let dialog!: HTMLDialogElement;
  onMount(() => dialog.showModal());
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2>{props.title}</h2>
      <div class="confirm-body">{props.children}</div>
      <div class="confirm-actions">
        <button type="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class={props.tone === 'primary' ? 'primary' : 'danger-action'} onClick={() => props.onConfirm()}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
