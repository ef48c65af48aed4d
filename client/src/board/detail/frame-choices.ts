/**
 * What a start or end frame can be, each named for what it is: a reference's image ("Mara, beat 2
 * (character)"), a still of an earlier take ("last frame of shot 3 take #2"), or an upload by its
 * file name. Generated files (clips, tails, stills of deleted takes) never appear under their
 * internal names: a still is listed only through the take that owns it.
 */
import type { Asset } from '../../../../shared/api';
import type { ReferenceView, ShotView, TakeView } from '../../../../shared/doc';
import { takeNumber } from '../takes/take-number';

export type FrameGroup = 'reference' | 'take' | 'upload';

export interface FrameChoice {
  assetId: string;
  /** What the image is, in words. */
  label: string;
  /** A second line: the shot's title, the image's size. */
  detail?: string;
  group: FrameGroup;
}

export const FRAME_GROUP_TITLES: Record<FrameGroup, string> = {
  reference: 'References',
  take: 'Earlier takes',
  upload: 'Uploads',
};

export interface FrameSources {
  shots: readonly ShotView[];
  takes: Readonly<Record<string, readonly TakeView[]>>;
  references: readonly ReferenceView[];
  /** The board's assets as GET /api/boards/:id/assets lists them (anyone's uploads). */
  assets: readonly Asset[];
}

/** Every image a frame picker offers, references first, then takes in board order, then uploads newest first. */
export function frameChoices(src: FrameSources): FrameChoice[] {
  const byId = new Map(src.assets.map((a) => [a.id, a]));
  const seen = new Set<string>();
  const out: FrameChoice[] = [];
  const add = (c: FrameChoice) => {
    if (seen.has(c.assetId)) return;
    seen.add(c.assetId);
    out.push(c);
  };

  for (const ref of src.references) {
    for (const v of ref.versions) {
      // A clip reference's files are videos; other kinds may still hold one, which the list reveals.
      const images = v.assets.filter((id) => {
        const kind = byId.get(id)?.kind;
        return kind ? kind === 'image' : ref.kind !== 'clip';
      });
      images.forEach((id, i) => {
        const name = `${ref.name || 'Unnamed reference'}${v.beat ? `, ${v.beat}` : ''} (${ref.kind})`;
        add({ assetId: id, label: images.length > 1 ? `${name}, image ${i + 1} of ${images.length}` : name, detail: size(byId.get(id)), group: 'reference' });
      });
    }
  }

  src.shots.forEach((shot, i) => {
    const takes = src.takes[shot.id] ?? [];
    takes.forEach((t, j) => {
      const which = `shot ${i + 1} take #${takeNumber(takes, j)}`;
      const detail = shot.title || undefined;
      if (t.lastFrame) add({ assetId: t.lastFrame, label: `last frame of ${which}`, detail, group: 'take' });
      if (t.poster) add({ assetId: t.poster, label: `poster of ${which}`, detail, group: 'take' });
    });
  });

  const uploads = src.assets.filter((a) => a.origin === 'upload' && a.kind === 'image');
  uploads.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  for (const a of uploads) add({ assetId: a.id, label: a.name, detail: size(a), group: 'upload' });
  return out;
}

/** The words for a frame the shot holds; a fallback when it is no longer offered (its take was deleted). */
export function frameName(choices: readonly FrameChoice[], assetId: string): string {
  return choices.find((c) => c.assetId === assetId)?.label ?? 'an image no longer listed on the board';
}

function size(a: Asset | undefined): string | undefined {
  return a ? `${a.width}×${a.height}` : undefined;
}
