/**
 * The pure part of @mentions: which word the caret is typing, which members it matches, what
 * picking one writes, and which picked people the final text still names. No DOM here.
 */

export interface Mentionable {
  userId: string;
  name: string;
}

/** The `@query` being typed: where its `@` is and the text after it up to the caret. */
export interface MentionQuery {
  at: number;
  query: string;
}

/** Letters that do not decompose into a base letter and a mark. */
const PLAIN: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe' };
/** Names are matched without case or accents: "zoe" finds "Zoë", "luk" finds "Łukasiewicz". */
const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase().replace(/[łøđßæœ]/g, (c) => PLAIN[c]!);

/**
 * The mention being typed at `caret`, if any: an `@` at the start or after a space, followed by
 * at most two words (names have spaces: "@Zoë Ł").
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]!))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /\s\s|\n/.test(query) || query.split(' ').length > 2) return null;
  return { at, query };
}

/** Members whose name, or a word of it, starts with `query`; whole-name matches first. At most `max`. */
export function matchMembers<M extends Mentionable>(members: readonly M[], query: string, max = 6): M[] {
  const q = fold(query.trim());
  const score = (m: M) => {
    const name = fold(m.name);
    if (name.startsWith(q)) return 0;
    return name.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : -1;
  };
  return members
    .map((m) => ({ m, s: score(m) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || a.m.name.localeCompare(b.m.name))
    .slice(0, max)
    .map((x) => x.m);
}

/** Replaces the `@query` at `q` (up to `caret`) with `@Name `; returns the new text and caret. */
export function insertMention(text: string, caret: number, q: MentionQuery, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, q.at) + inserted + text.slice(caret).replace(/^ /, ''), caret: q.at + inserted.length };
}

/**
 * The people `text` mentions: every member whose `@Name` is in it, picked from the list or typed
 * out (the longest name wins where one name starts another: "@Ana Lisboa" is not also "@Ana").
 */
export function mentionedIds(text: string, members: readonly Mentionable[]): string[] {
  const ids = splitMentions(text, members).flatMap((p) => ('userId' in p ? [p.userId] : []));
  return [...new Set(ids)];
}

/** `text` cut into plain runs and the `@Name`s of the people it mentions, for display. */
export function splitMentions(text: string, people: readonly Mentionable[]): ({ text: string } | { text: string; userId: string })[] {
  const named = [...people].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  if (named.length === 0) return [{ text }];
  const escaped = named.map((p) => `@${p.name}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const out: ({ text: string } | { text: string; userId: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(escaped.join('|'), 'g'))) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], userId: named.find((p) => `@${p.name}` === m[0])!.userId });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
