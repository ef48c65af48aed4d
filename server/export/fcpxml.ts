/**
 * FCPXML 1.10 for Final Cut Pro (and Resolve, Premiere via import): one `<format>` at the
 * board's size and rate, one `<asset>` per clip with its `<media-rep>`, and a project whose
 * sequence spine is the plan's cuts: `<asset-clip>`s, a named `<gap>` for a slate and a
 * `<transition>` (Cross Dissolve) where the plan crossfades. As in the EDL and OTIO, the outgoing
 * clip ends where the dissolve starts and its frames under the dissolve are its handle. Times are
 * rational seconds in frames of the board's rate (`72/24s`). Every user string is XML-escaped.
 * Provenance for the way back (server/export/import/): each asset and slate gap names its shot (and
 * take) in `<metadata>` keys `com.takeboard.*`, and the media URL names the clip asset.
 * Review comments at a time in the cut's take are `<marker>`s inside its asset-clip, after its
 * note as the DTD orders them, `start` in the clip's own (source) time, one frame long; an open
 * comment is a to-do marker (`completed="0"`), a resolved one done (`completed="1"`).
 */
import { xmlEscape as x } from './escape.js';
import { markerName, markerNote, type ReviewMarkers } from './markers.js';
import { fadeIn, type Timeline } from './timeline.js';
import { rationalSeconds as t } from './timecode.js';

export function toFcpxml(timeline: Timeline, origin: string, review: ReviewMarkers): string {
  const { rate, width, height } = timeline;
  const format = `    <format id="r1" frameDuration="${t(1, rate)}" width="${width}" height="${height}" colorSpace="1-1-1 (Rec. 709)"/>`;
  const assets: string[] = [];
  const spine: string[] = [];
  let assetCount = 0;
  timeline.cuts.forEach((cut, i) => {
    const shown = cut.frames - fadeIn(timeline.cuts[i + 1]);
    const fade = fadeIn(cut);
    if (fade > 0) {
      spine.push(`            <transition name="Cross Dissolve" offset="${t(cut.recordIn, rate)}" duration="${t(fade, rate)}"/>`);
    }
    if (cut.kind === 'slate') {
      spine.push(`            <gap name="${x(cut.label)}" offset="${t(cut.recordIn, rate)}" start="0s" duration="${t(shown, rate)}">`,
        `              <note>${x(`Slate for shot ${cut.shotId}: ${cut.reason}`)}</note>`,
        ...provenanceMetadata('              ', { shotId: cut.shotId }),
        '            </gap>');
      return;
    }
    const id = `a${++assetCount}`;
    const name = cut.title || `Shot ${cut.index}`;
    assets.push(
      `    <asset id="${id}" name="${x(name)}" uid="${x(cut.clip.sha256)}" start="0s" duration="${t(cut.sourceFrames, rate)}" hasVideo="1" videoSources="1" format="r1">`,
      `      <media-rep kind="original-media" src="${x(`${origin}/api/assets/${cut.clip.id}`)}"/>`,
      ...provenanceMetadata('      ', { shotId: cut.shotId, takeId: cut.takeId }),
      '    </asset>',
    );
    spine.push(
      `            <asset-clip ref="${id}" name="${x(name)}" offset="${t(cut.recordIn, rate)}" start="${t(cut.inFrame, rate)}" duration="${t(shown, rate)}" format="r1" tcFormat="NDF">`,
      `              <note>${x(`Shot ${cut.shotId}, take ${cut.takeId}`)}</note>`,
      ...(review.byCut.get(cut.index) ?? []).map(
        (m) => `              <marker start="${t(m.sourceFrame, rate)}" duration="${t(1, rate)}" value="${x(markerName(m))}" completed="${m.resolved ? 1 : 0}" note="${x(markerNote(m))}"/>`,
      ),
      '            </asset-clip>',
    );
  });
  const title = x(timeline.title);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE fcpxml>',
    '<fcpxml version="1.10">',
    '  <resources>',
    format,
    ...assets,
    '  </resources>',
    '  <library>',
    `    <event name="${title}">`,
    `      <project name="${title}">`,
    `        <sequence format="r1" duration="${t(timeline.frames, rate)}" tcStart="0s" tcFormat="NDF">`,
    '          <spine>',
    ...spine,
    '          </spine>',
    '        </sequence>',
    '      </project>',
    '    </event>',
    '  </library>',
    '</fcpxml>',
    '',
  ].join('\n');
}

/** The `com.takeboard.*` md keys naming a clip's shot and take, as the import reads them back. */
function provenanceMetadata(indent: string, ids: { shotId: string; takeId?: string }): string[] {
  const md = Object.entries(ids).map(([key, value]) => `${indent}  <md key="com.takeboard.${key}" value="${x(value)}"/>`);
  return [`${indent}<metadata>`, ...md, `${indent}</metadata>`];
}
