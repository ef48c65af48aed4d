import { For } from 'solid-js';
import { splitMentions, type Mentionable } from './mentions';

/** A comment's words with the people it mentions marked (only those it really mentions, by id). */
export function MentionText(props: { text: string; mentions: readonly string[]; people: readonly Mentionable[]; me: string }) {
  const parts = () => splitMentions(props.text, props.people.filter((p) => props.mentions.includes(p.userId)));
  return (
    <For each={parts()}>
      {(p) =>
        'userId' in p ? (
          <span class="mention" classList={{ 'mention-me': p.userId === props.me }} data-mention={p.userId}>
            {p.text}
          </span>
        ) : (
          p.text
        )
      }
    </For>
  );
}
