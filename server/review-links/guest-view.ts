/**
 * What a guest may see of a board, read from its document: the sequence plan, the finished takes
 * of each shot (clip, poster, length; never prompts, seeds, costs or who made them) and the
 * comments on those takes (members as "Team", guests by their typed name). The media a guest may
 * fetch are exactly the clips and posters named here.
 */
import type * as Y from 'yjs';
import { getMeta, listComments, listTakes, shotsInOrder, type TakeView } from '../../shared/doc/index.js';
import type { GuestComment, GuestShot, GuestTake } from '../../shared/review-links.js';
import { planSequence, type SequencePlan } from '../../shared/sequence/plan.js';

/** The label a guest reads for a member's comment: the team, never a name (member lists stay private). */
export const TEAM_AUTHOR = 'Team';

export interface GuestBoardContent {
  title: string;
  aspectRatio: string;
  plan: SequencePlan;
  shots: GuestShot[];
  /** With the ids each comment @mentions: their names are in its text, and `hideMentions` takes them out. */
  comments: (GuestComment & { mentions: string[] })[];
}

const watchable = (t: TakeView): t is TakeView & { clip: string } => t.status === 'succeeded' && typeof t.clip === 'string';

function guestTake(t: TakeView & { clip: string }): GuestTake {
  return {
    id: t.id,
    ...(t.number !== undefined ? { number: t.number } : {}),
    durationSec: t.durationSec,
    clip: t.clip,
    ...(t.poster ? { poster: t.poster } : {}),
    createdAt: t.createdAt,
  };
}

/** The guest's view of `doc`; `guestId` marks their own comments. */
export function readGuestContent(doc: Y.Doc, guestId: string): GuestBoardContent {
  const meta = getMeta(doc);
  const ordered = shotsInOrder(doc);
  const takes: Record<string, TakeView[]> = {};
  for (const s of ordered) takes[s.id] = listTakes(doc, s.id);
  const plan = planSequence({ meta, shots: ordered, takes });
  const shots: GuestShot[] = ordered.map((s, i) => ({
    id: s.id,
    number: i + 1,
    title: s.title,
    ...(s.selectedTake ? { selectedTake: s.selectedTake } : {}),
    takes: takes[s.id]!.filter(watchable).map(guestTake),
  }));
  const visible = new Set(shots.flatMap((s) => s.takes.map((t) => t.id)));
  const comments = listComments(doc)
    .filter((c) => c.takeId !== undefined && visible.has(c.takeId) && c.removedBy === undefined)
    .map((c) => ({
      id: c.id,
      shotId: c.shotId,
      takeId: c.takeId,
      ...(c.atSec !== undefined ? { atSec: c.atSec } : {}),
      text: c.text,
      createdAt: c.createdAt,
      author: c.guestName ?? TEAM_AUTHOR,
      guest: c.guestName !== undefined,
      mine: c.guestName !== undefined && c.author === guestId,
      mentions: c.mentions,
    }));
  return { title: meta.title, aspectRatio: meta.aspectRatio, plan, shots, comments };
}

/** What a guest reads for a mentioned member: a name would list the team. */
export const MENTION_STAND_IN = '@team member';

/** The comments as a guest reads them: each "@Name" the author mentioned (names by user id) replaced. */
export function hideMentions(comments: GuestBoardContent['comments'], names: ReadonlyMap<string, string>): GuestComment[] {
  return comments.map(({ mentions, ...c }) => {
    // Longest first, so "@Ana Maria" is not left as "@team member Maria" by "@Ana".
    const mentioned = mentions.flatMap((id) => names.get(id) ?? []).sort((x, y) => y.length - x.length);
    return { ...c, text: mentioned.reduce((text, name) => text.split(`@${name}`).join(MENTION_STAND_IN), c.text) };
  });
}

/** The asset ids a guest may fetch: the clips and posters of the takes they can watch. */
function collectGuestMedia(doc: Y.Doc): Set<string> {
  const ids = new Set<string>();
  for (const s of shotsInOrder(doc)) {
    for (const t of listTakes(doc, s.id)) {
      if (!watchable(t)) continue;
      ids.add(t.clip);
      if (t.poster) ids.add(t.poster);
    }
  }
  return ids;
}

/** Per board document: the media guests may fetch, as of its last change (null: changed since). */
const mediaOf = new WeakMap<Y.Doc, { ids: Set<string> | null }>();

/**
 * The asset ids a guest may fetch from `doc` (see `collectGuestMedia`), worked out once per
 * version of the document rather than on every media request (a video plays as many ranges):
 * any transaction on the document (a member's edit, a take finishing, a load) drops the set, and
 * the next request builds it again. Keyed by the document object, so a board the hub unloads or
 * rebuilds (a new Y.Doc) starts afresh and the old set goes with the old document.
 */
export function guestMedia(doc: Y.Doc): ReadonlySet<string> {
  let entry = mediaOf.get(doc);
  if (!entry) {
    const e = (entry = { ids: null as Set<string> | null });
    mediaOf.set(doc, e);
    // afterTransaction, not 'update': an 'update' listener makes Yjs encode every transaction.
    doc.on('afterTransaction', () => {
      e.ids = null;
    });
  }
  return (entry.ids ??= collectGuestMedia(doc));
}
