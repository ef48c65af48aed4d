/**
 * The same edit made to an exported timeline in each format, as an edit suite would write it back:
 * the chained board's second shot now opens the cut (its out point moved to 2s 12f, its last 12
 * frames the handle of a 12-frame dissolve into the first shot), the first shot trimmed to
 * 6..60, the slate (third shot) deleted, and a stock clip the board never made appended.
 * Expected differences: order, trim of the first take, the slate left out, a dissolve into the first.
 */
import { frameRate } from '../../shared/sequence/rate.js';
import { timecode } from '../../server/export/timecode.js';

export interface EditIds {
  first: string;
  second: string;
  take1: string;
  take2: string;
}

const rate = frameRate(24);
const tc = (f: number) => timecode(f, rate);
const STOCK_URL = 'file:///Volumes/Stock/broll-harbour.mov';

/** OTIO, as Resolve or an OTIO script writes it back: metadata kept, items moved and retimed. */
export function editOtio(text: string, ids: EditIds): string {
  const otio = JSON.parse(text);
  const track = otio.tracks.children[0];
  const byShot = (id: string) => track.children.find((c: any) => c.metadata?.takeboard?.shotId === id);
  const first = byShot(ids.first);
  const second = byShot(ids.second);
  const rt = (value: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: 24, value });
  second.source_range = { OTIO_SCHEMA: 'TimeRange.1', start_time: rt(0), duration: rt(60) };
  first.source_range = { OTIO_SCHEMA: 'TimeRange.1', start_time: rt(6), duration: rt(54) };
  const dissolve = { OTIO_SCHEMA: 'Transition.1', metadata: {}, name: 'Cross Dissolve', in_offset: rt(0), out_offset: rt(12), transition_type: 'SMPTE_Dissolve' };
  const stock = {
    OTIO_SCHEMA: 'Clip.2', metadata: {}, name: 'B-roll harbour', source_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: rt(0), duration: rt(24) },
    effects: [], markers: [], enabled: true, active_media_reference_key: 'DEFAULT_MEDIA',
    media_references: { DEFAULT_MEDIA: { OTIO_SCHEMA: 'ExternalReference.1', metadata: {}, name: 'broll', available_range: null, available_image_bounds: null, target_url: STOCK_URL } },
  };
  track.children = [second, dissolve, first, stock];
  return JSON.stringify(otio, null, 2);
}

/**
 * FCPXML as Final Cut writes it back: the resources kept (but our `com.takeboard.*` metadata
 * dropped, as an app that keeps only its own keys would: clips match by their media URL), a
 * new asset for the stock clip, the spine rewritten.
 */
export function editFcpxml(text: string, ids: EditIds, clipOf: (takeId: string) => string): string {
  const resources = /<resources>([\s\S]*?)<\/resources>/.exec(text)![1]!.replace(/\s*<metadata>[\s\S]*?<\/metadata>/g, '');
  const assetFor = (clipId: string) => new RegExp(`<asset id="(a\\d+)"[^>]*>\\s*<media-rep kind="original-media" src="[^"]*/api/assets/${clipId}"`).exec(resources)![1]!;
  const a1 = assetFor(clipOf(ids.take1));
  const a2 = assetFor(clipOf(ids.take2));
  const t = (f: number) => (f === 0 ? '0s' : `${f}/24s`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.10">
  <resources>${resources}
    <asset id="a9" name="B-roll harbour" start="0s" duration="240/24s" hasVideo="1" format="r1">
      <media-rep kind="original-media" src="${STOCK_URL}"/>
    </asset>
  </resources>
  <library>
    <event name="Edit">
      <project name="Edit v2">
        <sequence format="r1" duration="${t(138)}" tcStart="0s" tcFormat="NDF">
          <spine>
            <asset-clip ref="${a2}" name="Rooftop" offset="0s" start="0s" duration="${t(60)}" format="r1" tcFormat="NDF"/>
            <transition name="Cross Dissolve" offset="${t(60)}" duration="${t(12)}">
              <filter-video ref="r2" name="Cross Dissolve"/>
            </transition>
            <asset-clip ref="${a1}" name="Alley" offset="${t(60)}" start="${t(6)}" duration="${t(54)}" format="r1" tcFormat="NDF"/>
            <asset-clip ref="a9" name="B-roll harbour" offset="${t(114)}" start="0s" duration="${t(24)}" format="r1" tcFormat="NDF"/>
          </spine>
        </sequence>
      </project>
    </event>
  </library>
</fcpxml>
`;
}

/**
 * A CMX 3600 EDL as an edit suite re-exports it: events renumbered, record times recomputed, each
 * clip's comment lines carried from the export (its SOURCE FILE and TAKEBOARD lines).
 */
export function editEdl(text: string, ids: EditIds): string {
  const lines = text.split('\r\n');
  const ours = (shotId: string) => {
    const i = lines.findIndex((l) => l.startsWith(`* TAKEBOARD SHOT ${shotId} `));
    return [lines[i - 1]!, lines[i]!]; // SOURCE FILE, TAKEBOARD
  };
  const start = 3600 * 24;
  const ev = (n: number, type: string, src: [number, number], rec: [number, number]) =>
    `${String(n).padStart(3, '0')}  AX       V     ${type.padEnd(8)} ${tc(src[0])} ${tc(src[1])} ${tc(start + rec[0])} ${tc(start + rec[1])}`;
  return [
    'TITLE: Edit v2',
    'FCM: NON-DROP FRAME',
    '',
    ev(1, 'C', [0, 60], [0, 60]),
    '* FROM CLIP NAME: Rooftop',
    ...ours(ids.second),
    '',
    ev(2, 'C', [60, 60], [60, 60]),
    ev(2, 'D    012', [6, 60], [60, 114]),
    '* FROM CLIP NAME: Rooftop',
    '* TO CLIP NAME: Alley',
    ...ours(ids.first),
    '',
    `003  AX       V     C        ${tc(0)} ${tc(24)} ${tc(start + 114)} ${tc(start + 138)}`,
    '* FROM CLIP NAME: B-roll harbour',
    `* SOURCE FILE: ${STOCK_URL}`,
    '',
  ].join('\r\n');
}
