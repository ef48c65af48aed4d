/**
 * How one shot-history entry reads: the sentence ("Bo changed prompt"), and a short diff of
 * text (the changed middle with a little context) or the old and new value of a picked field in
 * words (model labels, member names, take numbers, reference names).
 */
import type { ShotChangeEntry, ShotChangeField } from '../../../../shared/api';

const FIELD_WORDS: Record<ShotChangeField, string> = {
  created: 'created the shot',
  title: 'title',
  prompt: 'prompt',
  camera: 'camera',
  notes: 'notes',
  mode: 'mode',
  durationSec: 'duration',
  model: 'model',
  shotSize: 'shot size',
  startFrame: 'start frame',
  endFrame: 'end frame',
  continuesFrom: 'continues from',
  status: 'status',
  assignee: 'assignee',
  selectedTake: 'selected take',
  refs: 'references',
  'bible:character': 'bible characters',
  'bible:location': 'bible locations',
  'bible:style': 'bible style',
  'bible:voice': 'bible voices',
  leftOut: 'place in the sequence',
  fadeInSec: 'transition in',
};

/** A shot's bible override in words (shared/doc BIBLE_OVERRIDES). */
const OVERRIDE_WORDS: Record<string, string> = { inherit: 'from the bible', replace: 'its own instead', drop: 'none sent' };

export const TEXT_FIELDS: ReadonlySet<ShotChangeField> = new Set(['title', 'prompt', 'camera', 'notes']);

/** "Bo changed prompt", "Ana created the shot". */
export function changeSentence(e: Pick<ShotChangeEntry, 'field' | 'userName'>): string {
  const who = e.userName || 'A former member';
  return e.field === 'created' ? `${who} ${FIELD_WORDS.created}` : `${who} changed ${FIELD_WORDS[e.field] ?? e.field}`;
}

export interface TextDiff {
  /** Unchanged text just before the change ('…' in front when cut). */
  head: string;
  removed: string;
  added: string;
  tail: string;
}

/** The differing middle of two texts, with up to `context` characters kept around it. */
export function shortDiff(before: string, after: string, context = 24, most = 160): TextDiff {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const headFrom = Math.max(0, start - context);
  const tailTo = Math.min(after.length, after.length - end + context);
  return {
    head: (headFrom > 0 ? '…' : '') + after.slice(headFrom, start),
    removed: clip(before.slice(start, before.length - end), most),
    added: clip(after.slice(start, after.length - end), most),
    tail: after.slice(after.length - end, tailTo) + (tailTo < after.length ? '…' : ''),
  };
}

function clip(s: string, most: number): string {
  return s.length <= most ? s : `${s.slice(0, most)}…`;
}

/** Names for the ids a picked field holds. */
export interface HistoryNames {
  model(id: string): string | undefined;
  member(userId: string): string | undefined;
  shot(shotId: string): string | undefined;
  take(takeId: string): string | undefined;
  reference(refId: string): string | undefined;
}

/** A picked field's value in words; '' reads as "none" (for a transition: the board's usual). */
export function valueWords(field: ShotChangeField, value: string, names: HistoryNames): string {
  if (value === '') return field === 'fadeInSec' ? 'the board’s usual' : 'none';
  switch (field) {
    case 'durationSec':
      return `${value} s`;
    case 'bible:character':
    case 'bible:location':
    case 'bible:style':
    case 'bible:voice':
      return OVERRIDE_WORDS[value] ?? value;
    case 'leftOut':
      return value === 'true' ? 'left out' : 'in the cut';
    case 'fadeInSec':
      return value === '0' ? 'a hard cut' : `a ${value} s dissolve`;
    case 'model':
      return names.model(value) ?? value;
    case 'assignee':
      return names.member(value) ?? 'a former member';
    case 'continuesFrom':
      return names.shot(value) ?? 'a deleted shot';
    case 'selectedTake':
      return names.take(value) ?? 'a deleted take';
    case 'startFrame':
    case 'endFrame':
      return 'an image';
    case 'refs':
      return value
        .split(',')
        .map((id) => names.reference(id) ?? 'a deleted reference')
        .join(', ');
    default:
      return value;
  }
}
