import { MAX_PROMPT_CHARS } from '../../../../shared/generation';

/**
 * "1,234 / 2,000 characters" under the prompt, red past the limit (teammates typing at once can
 * cross it; Generate then says to shorten it). Screen readers hear it only near the limit.
 */
export function PromptCounter(props: { id: string; length: number }) {
  const over = () => props.length > MAX_PROMPT_CHARS;
  const near = () => props.length >= MAX_PROMPT_CHARS * 0.9;
  return (
    <span id={props.id} class="char-count" classList={{ over: over() }} aria-live={near() ? 'polite' : 'off'} data-length={props.length}>
      {props.length.toLocaleString('en')} / {MAX_PROMPT_CHARS.toLocaleString('en')} characters{over() ? ': too long to send, shorten it' : ''}
    </span>
  );
}
