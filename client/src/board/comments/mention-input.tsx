import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { insertMention, matchMembers, mentionAt, mentionedIds, type Mentionable, type MentionQuery } from './mentions';

/**
 * A comment box where `@` offers the board's members: arrows move, Enter or Tab picks, Escape
 * closes the list; on a phone the list is a column of large rows to tap. Submits the text with
 * the ids of the members it names as `@Name`.
 */
export function MentionInput(props: {
  members: readonly Mentionable[];
  label: string;
  placeholder: string;
  submitLabel: string;
  onSubmit(text: string, mentions: string[]): void;
}) {
  const id = createUniqueId();
  const [text, setText] = createSignal('');
  const [query, setQuery] = createSignal<MentionQuery | null>(null);
  const [active, setActive] = createSignal(0);
  let input!: HTMLInputElement;
  const options = () => {
    const q = query();
    return q ? matchMembers(props.members, q.query) : [];
  };
  const open = () => options().length > 0;

  const look = () => {
    setText(input.value);
    setQuery(mentionAt(input.value, input.selectionStart ?? input.value.length));
    setActive(0);
  };
  const pick = (m: Mentionable) => {
    const q = query();
    if (!q) return;
    const next = insertMention(input.value, input.selectionStart ?? input.value.length, q, m.name);
    input.value = next.text;
    input.setSelectionRange(next.caret, next.caret);
    setText(next.text);
    setQuery(null);
    input.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!open()) return;
    const n = options().length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(options()[active()]!);
    } else if (e.key === 'Escape') {
      // Closes the list only; the board's own Escape (panels) is not triggered.
      e.preventDefault();
      e.stopPropagation();
      setQuery(null);
    }
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const value = text().trim();
    if (!value) return;
    props.onSubmit(value, mentionedIds(value, props.members));
    input.value = '';
    setText('');
    setQuery(null);
  };

  return (
    <form class="comment-form mention-form" onSubmit={submit}>
      <div class="mention-box">
        <input
          ref={input}
          name="text"
          autocomplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open()}
          aria-controls={`${id}-list`}
          aria-activedescendant={open() ? `${id}-${active()}` : undefined}
          aria-label={props.label}
          placeholder={props.placeholder}
          onInput={look}
          onClick={look}
          onKeyDown={onKeyDown}
          onBlur={() => setQuery(null)}
        />
        <Show when={open()}>
          <ul class="mention-list" id={`${id}-list`} role="listbox" aria-label="People on this board">
            <For each={options()}>
              {(m, i) => (
                <li
                  id={`${id}-${i()}`}
                  role="option"
                  aria-selected={i() === active()}
                  data-user={m.userId}
                  // Before the input's blur, so the tap picks instead of closing the list.
                  onPointerDown={(e) => {
                    e.preventDefault();
                    pick(m);
                  }}
                  onPointerEnter={() => setActive(i())}
                >
                  {m.name}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}
