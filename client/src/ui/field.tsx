import { splitProps, type JSX } from 'solid-js';

/** A labelled input: the label names the control for screen readers and tests alike. */
export function Field(props: { label: string; hint?: string } & JSX.InputHTMLAttributes<HTMLInputElement>) {
  const [own, input] = splitProps(props, ['label', 'hint']);
  return (
    <label class="field">
      <span class="field-label">{own.label}</span>
      <input {...input} />
      {own.hint && <span class="field-hint">{own.hint}</span>}
    </label>
  );
}
