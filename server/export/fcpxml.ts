/**
 * FCPXML 1.10 for Final Cut Pro (and Resolve, Premiere via import): one `<format>` at the
 * board's size and rate, one `<asset>` per clip with its `<media-rep>`, and a project whose
 * sequence spine is the cuts as `<asset-clip>`s. Times are rational seconds in frames of the
 * board's rate (`72/24s`). Every user string is XML-escaped.
 */
import { xmlEscape as x } from './escape.js';
import type { Timeline } from './timeline.js';
import { rationalSeconds as t } from './timecode.js';

export function toFcpxml(timeline: Timeline, origin: string): string {
  const { rate, width, height } = timeline;
  const frameDuration = rate.den === 1 ? `1/${rate.num}s` : `${rate.den}/${rate.num}s`;
  const format = `    <format id="r1" frameDuration="${frameDuration}" width="${width}" height="${height}" colorSpace="1-1-1 (Rec. 709)"/>`;
  const assets = timeline.cuts.map((cut, i) => {
    const name = cut.title || `Shot ${cut.entry.order}`;
    return [
      `    <asset id="a${i + 1}" name="${x(name)}" uid="${x(cut.clip.sha256)}" start="0s" duration="${t(cut.sourceFrames, rate)}" hasVideo="1" videoSources="1" format="r1">`,
      `      <media-rep kind="original-media" src="${x(`${origin}/api/assets/${cut.clip.id}`)}"/>`,
      '    </asset>',
    ].join('\n');
  });
  const clips = timeline.cuts.map((cut, i) => {
    const name = cut.title || `Shot ${cut.entry.order}`;
    return [
      `            <asset-clip ref="a${i + 1}" name="${x(name)}" offset="${t(offsetOf(timeline, i), rate)}" start="${t(cut.inFrame, rate)}" duration="${t(cut.frames, rate)}" format="r1" tcFormat="NDF">`,
      `              <note>${x(`Shot ${cut.shotId}, take ${cut.takeId}`)}</note>`,
      '            </asset-clip>',
    ].join('\n');
  });
  const title = x(timeline.title);
  const total = timeline.cuts.reduce((n, c) => n + c.frames, 0);
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
    `        <sequence format="r1" duration="${t(total, rate)}" tcStart="0s" tcFormat="NDF">`,
    '          <spine>',
    ...clips,
    '          </spine>',
    '        </sequence>',
    '      </project>',
    '    </event>',
    '  </library>',
    '</fcpxml>',
    '',
  ].join('\n');
}

/** Cuts butt against each other on the spine (no crossfades in timeline exports). */
function offsetOf(timeline: Timeline, index: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) at += timeline.cuts[i]!.frames;
  return at;
}
