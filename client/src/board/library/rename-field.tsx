/**
 * A name shown as text (cut with an ellipsis, the whole name on hover) with a Rename button that
 * opens a small form. An empty name is refused there with a message, before anything is written.
 * Used for a reference's name and a version's beat: names people pick cards by.
 */
import { createSignal, createUniqueId, Show, type JSX } from 'solid-js';

export function RenameField(props: {
  value: string;
  /** What the name names, for labels: "reference Mara", "version Act 1 of Mara". */
  what: string;
  /** The field as the message names it ("Name", "Beat"). */
  field: string;
  placeholder: string;
  canEdit: boolean;
  /** Writes the trimmed new name. */
  onRename(name: string): void;
  class?: string;
  children?: JSX.Element;
}) {
  const [editing, setEditing] = createSignal(false);
  const [problem, setProblem] = createSignal('');
  const problemId = createUniqueId();
  let input!: HTMLInputElement;
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) {
      setProblem(`${props.field}: must not be empty; type a name`);
      input.focus();
      return;
    }
    if (name !== props.value) props.onRename(name);
    setEditing(false);
    setProblem('');
  };
  return (
    <Show
      when={editing()}
      fallback={
        <div class={`name-line ${props.class ?? ''}`}>
          <span class="name-text" title={props.value || props.placeholder} classList={{ muted: !props.value }}>
            {props.value || props.placeholder}
          </span>
          {props.children}
          <Show when={props.canEdit}>
            <button type="button" class="link" aria-label={`Rename ${props.what}`} onClick={() => setEditing(true)}>
              Rename
            </button>
          </Show>
        </div>
      }
    >
      <form class="rename-form" onSubmit={save} aria-label={`Rename ${props.what}`} noValidate>
        <input
          ref={(el) => {
            input = el;
            queueMicrotask(() => el.select());
          }}
          value={props.value}
          aria-label={`New ${props.field.toLowerCase()} for ${props.what}`}
          aria-invalid={problem() ? 'true' : undefined}
          aria-describedby={problem() ? problemId : undefined}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        />
        <button type="submit">Save</button>
        <button type="button" class="ghost" onClick={() => (setEditing(false), setProblem(''))}>
          Cancel
        </button>
        <Show when={problem()}>
          <p class="field-error" role="alert" id={problemId}>
            {problem()}
          </p>
        </Show>
      </form>
    </Show>
  );
}
