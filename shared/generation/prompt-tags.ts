/**
 * How a model's prompt names the files sent with it. Seedance 2.0 reads `@image1`, `@video1`,
 * `@audio1` (numbered per kind in the order sent, as resellers document it, 2026-12; UNVERIFIED
 * on BytePlus's own pages); Kling 3.0 Omni reads `<<<image_1>>>` and `<<<video_1>>>` (its
 * omni-video prompt field). Models without a style take files by position only: a mention of a
 * reference becomes its plain name there. Pure data, shared by client and server.
 */
export type SentAs = 'image' | 'clip' | 'audio';

export const PROMPT_TAG_STYLES = {
  seedance: { image: (n: number) => `@image${n}`, clip: (n: number) => `@video${n}`, audio: (n: number) => `@audio${n}` },
  kling: { image: (n: number) => `<<<image_${n}>>>`, clip: (n: number) => `<<<video_${n}>>>` },
} as const satisfies Record<string, Partial<Record<SentAs, (n: number) => string>>>;

export type PromptTagStyle = keyof typeof PROMPT_TAG_STYLES;

/** The tag of the `n`th file of kind `as` (1-based) in `style`, or undefined when the style names none. */
export function promptTag(style: PromptTagStyle | undefined, as: SentAs, n: number): string | undefined {
  if (!style) return undefined;
  const styles: Record<PromptTagStyle, Partial<Record<SentAs, (n: number) => string>>> = PROMPT_TAG_STYLES;
  return styles[style][as]?.(n);
}

/**
 * The sentence that names a chained tail sent as reference video `clipSlot`, for a model that reads
 * inputs only where its prompt names them (Kling 3.0 Omni); undefined where videos are taken by
 * position. It leads the prompt, so the shot detail shows it as the provider gets it.
 */
export function tailSentence(style: PromptTagStyle | undefined, clipSlot: number): string | undefined {
  return style === 'kling' ? `Continue the action of ${promptTag(style, 'clip', clipSlot)} from its last frame.` : undefined;
}

/** A sent reference as the prompt mapping needs it. */
export interface TaggedReference {
  name: string;
  role: string;
  /** The tags of its files in the order sent (none on a model without a style). */
  tags: { as: SentAs; tag: string }[];
}

/**
 * The prompt a model gets: each `@Name` a person typed for a reference on the board becomes that
 * reference's tags where the model reads tags (its pictures; its sound when it has no picture),
 * else the plain name; with tags, the sent references the prompt does not mention are named first
 * ("@image1 Mara (character)."), so the model knows what each file is. Other `@words` stay.
 */
export function mapPrompt(prompt: string, sent: readonly TaggedReference[], known: readonly string[]): string {
  const byName = new Map<string, TaggedReference>();
  for (const r of sent) if (r.name.trim()) byName.set(r.name.trim().toLowerCase(), r);
  // Longest names first, so "@Old harbour" is not read as "@Old".
  const names = [...new Set([...known, ...sent.map((r) => r.name)].map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  const mentioned = new Set<TaggedReference>();
  let out = '';
  for (let i = 0; i < prompt.length; ) {
    const name = prompt[i] === '@' ? names.find((n) => startsWithName(prompt, i + 1, n)) : undefined;
    if (name === undefined) {
      out += prompt[i];
      i += 1;
      continue;
    }
    const ref = byName.get(name.toLowerCase());
    const pictures = ref?.tags.filter((t) => t.as !== 'audio') ?? [];
    const tags = (pictures.length > 0 ? pictures : (ref?.tags ?? [])).map((t) => t.tag);
    if (ref) mentioned.add(ref);
    out += tags.length > 0 ? tags.join(' ') : prompt.slice(i + 1, i + 1 + name.length);
    i += 1 + name.length;
  }
  const legend = sent.filter((r) => r.tags.length > 0 && !mentioned.has(r)).map((r) => `${r.tags.map((t) => t.tag).join(' ')} ${r.name.trim() || 'untitled'} (${r.role}).`);
  return legend.length > 0 ? `${legend.join(' ')}\n${out}` : out;
}

/** Whether `text` holds `name` (any case) at `at`, not followed by a letter or digit. */
function startsWithName(text: string, at: number, name: string): boolean {
  if (text.slice(at, at + name.length).toLowerCase() !== name.toLowerCase()) return false;
  const next = text[at + name.length];
  return next === undefined || !/[\p{L}\p{N}_]/u.test(next);
}
