/** The continuity bible as the client groups it: by role, with each role's title (bible-panel, ref-slots). */
import type { Asset } from '../../../../shared/api';
import type { BibleRole, ReferenceView } from '../../../../shared/doc';
import { referenceRole } from '../../../../shared/generation';

export const BIBLE_ROLE_TITLES: Record<BibleRole, string> = { character: 'Characters', location: 'Locations', style: 'Style', voice: 'Voices' };

/**
 * The role of each reference at a version (the bible's pin, or '' for current), judged as the send
 * plan judges it: by kind, or 'voice' when its files are all sound (so it needs the asset kinds).
 */
export function roleReader(assets: readonly Asset[]): (ref: ReferenceView, pin: string) => BibleRole | undefined {
  const kinds = new Map(assets.map((a) => [a.id, a.kind]));
  return (ref, pin) => referenceRole(ref, pin, (id) => kinds.get(id));
}

/** The references in `bible` whose role is `role`, in library order. */
export function bibleEntries(references: readonly ReferenceView[], bible: Readonly<Record<string, string>>, roleOf: ReturnType<typeof roleReader>, role: BibleRole): ReferenceView[] {
  return references.filter((r) => r.id in bible && roleOf(r, bible[r.id]!) === role);
}
