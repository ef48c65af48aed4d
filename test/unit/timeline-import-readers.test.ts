/**
 * The timeline readers on hostile and foreign files: each refusal is a 400 naming the line or
 * element that failed; XML without entity declarations, DTD subsets or unbounded nesting; and
 * the dissolve arithmetic for files whose dissolves sit around the cut rather than after it.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.js';
import { readEdl } from '../../server/export/import/edl.js';
import { readFcpxml } from '../../server/export/import/fcpxml.js';
import { readOtio } from '../../server/export/import/otio.js';
import { sniffFormat } from '../../server/export/import/timeline-file.js';
import { parseXml, XmlError } from '../../server/export/import/xml.js';
import { frameRate } from '../../shared/sequence/rate.js';

const rate = frameRate(24);

/** The 400 a read throws, as the client sees its message. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return (err as AppError).message;
  }
  throw new Error('the file was read, not refused');
}

const fcpxml = (spine: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>${extra}
<fcpxml version="1.10">
  <resources>
    <asset id="a1" name="A" start="0s" duration="72/24s"><media-rep kind="original-media" src="https://board.example/api/assets/clipA"/></asset>
    <asset id="a2" name="B" start="3600s" duration="72/24s"><media-rep kind="original-media" src="https://board.example/api/assets/clipB"/></asset>
  </resources>
  <library><event name="e"><project name="p"><sequence format="r1" duration="144/24s">
    <spine>
${spine}
    </spine>
  </sequence></project></event></library>
</fcpxml>
`;

describe('XML', () => {
  it('refuses entity declarations, an internal DTD subset and unknown entities, naming the line', () => {
    const laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>';
    expect(() => parseXml(laughs)).toThrow(XmlError);
    expect(refusal(() => readFcpxml(laughs, rate))).toBe('This FCPXML file cannot be read (line 2): a DOCTYPE with an internal subset (entity declarations are not allowed)');
    const external = '<?xml version="1.0"?>\n<!DOCTYPE fcpxml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<fcpxml>&xxe;</fcpxml>';
    expect(refusal(() => readFcpxml(external, rate))).toMatch(/\(line 2\): a DOCTYPE with an internal subset/);
    // Without a DOCTYPE subset, a reference to an undeclared entity is refused, never looked up.
    expect(refusal(() => readFcpxml('<fcpxml>\n<x>&xxe;</x></fcpxml>', rate))).toBe('This FCPXML file cannot be read (line 2): the entity "&xxe;" is not allowed (only &lt; &gt; &amp; &quot; &apos; and character references)');
    expect(parseXml('<a b="&lt;&#65;&#x42;&amp;">x &gt; y</a>')).toMatchObject({ name: 'a', attrs: { b: '<AB&' }, text: 'x > y' });
  });

  it('refuses unbalanced, unclosed and runaway documents at their line', () => {
    expect(refusal(() => readFcpxml('<fcpxml>\n<resources>\n</library>\n</fcpxml>', rate))).toBe('This FCPXML file cannot be read (line 3): </library> closes <resources> (line 2)');
    expect(refusal(() => readFcpxml('<fcpxml>\n  <spine>\n', rate))).toMatch(/\(line \d\): <spine> \(line 2\) is never closed/);
    expect(refusal(() => readFcpxml(`<fcpxml>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</fcpxml>`, rate))).toMatch(/nested deeper than 64/);
    expect(refusal(() => readFcpxml('<fcpxml a="1" a="2"/>', rate))).toMatch(/a appears twice in <fcpxml>/);
    expect(refusal(() => readFcpxml('<xmeml version="5"><sequence/></xmeml>', rate))).toBe('This FCPXML file cannot be read (<xmeml> at line 1): the root element is not <fcpxml>');
  });
});

describe('FCPXML', () => {
  it('names the element whose time is not rational seconds', () => {
    const bad = fcpxml('      <asset-clip ref="a1" offset="0s" start="0s" duration="3.0s"/>');
    expect(refusal(() => readFcpxml(bad, rate))).toBe('This FCPXML file cannot be read (<asset-clip> at line 10): duration="3.0s" is not a time in rational seconds (such as 72/24s)');
  });

  it('reads a dissolve centred on the cut into the plan’s model, and in points relative to the asset start', () => {
    const spine = [
      '      <asset-clip ref="a1" offset="0s" start="0s" duration="60/24s"/>',
      '      <transition offset="54/24s" duration="12/24s"/>',
      '      <asset-clip ref="a2" offset="60/24s" start="86418/24s" duration="48/24s"/>',
    ].join('\n');
    const t = readFcpxml(fcpxml(spine), rate);
    // A: 0..60 shown, +6 of handle after the cut. B: starts 6 frames earlier (18 - 6), dissolve 12.
    expect(t.items.map((i) => [i.ids.clipId, i.inFrame, i.outFrame, i.fadeIn])).toEqual([['clipA', 0, 66, 0], ['clipB', 12, 66, 12]]);
  });

  it('reads a <clip> wrapping its <video> in the clip’s own local time', () => {
    const spine = '      <clip name="A" offset="0s" start="10/24s" duration="24/24s"><video ref="a1" offset="4/24s" start="2/24s" duration="48/24s"/></clip>';
    // Local 10 is 6 past the video's offset 4, whose source starts at 2: source frame 8.
    expect(readFcpxml(fcpxml(spine), rate).items[0]).toMatchObject({ ids: { clipId: 'clipA' }, inFrame: 8, outFrame: 32 });
  });
});

describe('OTIO', () => {
  it('says the line of a JSON syntax error, and refuses what is not a Timeline', () => {
    expect(refusal(() => readOtio('{\n  "OTIO_SCHEMA": "Timeline.1",\n  "tracks": [1,]\n}', rate))).toBe('This OpenTimelineIO file cannot be read (line 3): it is not valid JSON');
    expect(refusal(() => readOtio('{"OTIO_SCHEMA": "Clip.2"}', rate))).toBe('This OpenTimelineIO file cannot be read (the top object): it is not an OTIO Timeline (OTIO_SCHEMA "Timeline.1")');
    const noVideo = { OTIO_SCHEMA: 'Timeline.1', tracks: { OTIO_SCHEMA: 'Stack.1', children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Audio', children: [] }] } };
    expect(refusal(() => readOtio(JSON.stringify(noVideo), rate))).toMatch(/\(tracks\.children\): the timeline has no video track/);
    const negative = { OTIO_SCHEMA: 'Timeline.1', tracks: { OTIO_SCHEMA: 'Stack.1', children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Video', children: [
      { OTIO_SCHEMA: 'Clip.2', source_range: { start_time: { value: -5, rate: 24 }, duration: { value: 10, rate: 24 } } },
    ] }] } };
    expect(refusal(() => readOtio(JSON.stringify(negative), rate))).toBe('This OpenTimelineIO file cannot be read (track 1, item 1 source_range.start_time): expected a RationalTime with a non-negative value and a positive rate');
  });

  it('converts times at another rate to the board’s frames', () => {
    const rt = (value: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: 48, value });
    const clip = { OTIO_SCHEMA: 'Clip.2', metadata: { takeboard: { shotId: 'shot_a', takeId: 'take_a' } }, source_range: { start_time: rt(12), duration: rt(96) } };
    const t = readOtio(JSON.stringify({ OTIO_SCHEMA: 'Timeline.1', tracks: { OTIO_SCHEMA: 'Stack.1', children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Video', children: [clip] }] } }), rate);
    expect(t.items[0]).toMatchObject({ ids: { shotId: 'shot_a', takeId: 'take_a' }, inFrame: 6, outFrame: 54 });
  });
});

describe('EDL', () => {
  it('refuses a line that is no CMX 3600 line, and a bad timecode, by line number', () => {
    const edl = 'TITLE: x\r\nFCM: NON-DROP FRAME\r\n\r\n001  AX       V     C        00:00:00:00 00:00:03:00 01:00:00:00 01:00:03:00\r\nrm -rf /\r\n';
    expect(refusal(() => readEdl(edl, rate))).toBe('This CMX 3600 EDL cannot be read (line 5): "rm -rf /" is not a CMX 3600 event, comment or note');
    expect(refusal(() => readEdl('001  AX  V  C  00:00:00:00 00:00:03:30 01:00:00:00 01:00:03:00', rate))).toBe('This CMX 3600 EDL cannot be read (line 1): "00:00:03:30" is not a timecode at 24 frames a second');
    expect(refusal(() => readEdl('TITLE: x\n002  AX  V  D  00:00:00:00 00:00:03:00 01:00:00:00 01:00:03:00', rate))).toMatch(/\(line 2\): the D transition has no length in frames/);
    expect(refusal(() => readEdl('TITLE: empty\n', rate))).toMatch(/there is no event in it/);
  });

  it('counts drop-frame timecode as drop frame', () => {
    const edl = 'FCM: DROP FRAME\n001  AX  V  C  00:01:00;02 00:01:00;12 01:00:00;00 01:00:00;10\n* TAKEBOARD SHOT shot_a TAKE take_a';
    // 00:01:00;02 is frame 1800 at 29.97 drop frame (frames 00 and 01 of minute 1 do not exist).
    expect(readEdl(edl, frameRate(29.97)).items[0]).toMatchObject({ inFrame: 1800, outFrame: 1810, ids: { shotId: 'shot_a', takeId: 'take_a' } });
  });
});

describe('format', () => {
  it('is read from the content; anything else is refused at line 1', () => {
    expect(sniffFormat('\ufeff  {"OTIO_SCHEMA": "Timeline.1"}')).toBe('otio');
    expect(sniffFormat('<?xml version="1.0"?><fcpxml/>')).toBe('fcpxml');
    expect(sniffFormat('TITLE: cut\r\n')).toBe('edl');
    expect(refusal(() => sniffFormat('\u0000\u0001PK\u0003\u0004 binary'))).toBe('The file cannot be read (line 1): it is not an OpenTimelineIO (.otio), FCPXML (.fcpxml) or CMX 3600 EDL (.edl) file');
  });
});
