import { describe, expect, it } from 'vitest';
import { asciiName, attachmentFor } from '../../server/export/download-name.js';
import { csvCell, csvField, defuse } from '../../server/export/csv.js';
import { jsonText, xmlEscape } from '../../server/export/escape.js';
import { parseStreamLines } from '../../server/export/stream-info.js';
import { parseTimelineOptions } from '../../server/export/timeline.js';
import { frameRate, rationalSeconds, timecode } from '../../server/export/timecode.js';

describe('export building blocks', () => {
  it('counts timecode and rational time at whole and NTSC rates', () => {
    const r24 = frameRate(24);
    expect(timecode(86400 + 73, r24)).toBe('01:00:03:01');
    expect(rationalSeconds(96, r24)).toBe('96/24s');
    expect(rationalSeconds(0, r24)).toBe('0s');
    const ntsc = frameRate(23.976);
    expect(ntsc).toMatchObject({ num: 24000, den: 1001 });
    expect(rationalSeconds(24, ntsc)).toBe('24024/24000s');
    // One frame: FCPXML's frameDuration.
    expect(rationalSeconds(1, ntsc)).toBe('1001/24000s');
    expect(rationalSeconds(1, r24)).toBe('1/24s');
    expect(timecode(24, ntsc)).toBe('00:00:01:00');
    expect(frameRate(12.5)).toMatchObject({ num: 25, den: 2 });
  });

  it('reads sequence overrides from a query (none: the board decides) and refuses nonsense', () => {
    const q = (o: Record<string, string>) => (k: string) => o[k];
    expect(parseTimelineOptions(q({}))).toEqual({});
    expect(parseTimelineOptions(q({ trimOverlap: '1', crossfade: '0.5' }))).toEqual({ trimOverlap: true, crossfadeSec: 0.5 });
    expect(parseTimelineOptions(q({ trimOverlap: '0' }))).toEqual({ trimOverlap: false });
    expect(parseTimelineOptions(q({ crossfade: '-1' }))).toMatchObject({ field: 'crossfade' });
    expect(parseTimelineOptions(q({ crossfade: 'abc' }))).toMatchObject({ field: 'crossfade' });
    expect(parseTimelineOptions(q({ trimOverlap: 'yes please' }))).toMatchObject({ field: 'trimOverlap' });
  });

  it('names downloads after the board with an ASCII fallback and an RFC 5987 filename*', () => {
    expect(attachmentFor('Ça "va" / (bien)*', 'shots.csv')).toBe(
      `attachment; filename="Ca va bien - shots.csv"; filename*=UTF-8''%C3%87a%20va%20%28bien%29%20-%20shots.csv`,
    );
    expect(asciiName('東京', 'x.edl')).toBe('board - x.edl');
    expect(attachmentFor('a\r\nb', 'x')).not.toMatch(/[\r\n]/);
  });

  it('quotes CSV fields only when RFC 4180 says so and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(defuse('=1+1')).toBe("'=1+1");
    expect(defuse('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuse('a normal title')).toBe('a normal title');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell('-0.5')).toBe("'-0.5");
    expect(csvCell('\uff1dcmd')).toBe("'\uff1dcmd");
    // Provider answers stored as JSON can hold lone surrogates that never passed through Yjs.
    expect(jsonText({ prompt: 'x\ud800', nested: ['\udfff'] }, 0)).toBe('{"prompt":"x\ufffd","nested":["\ufffd"]}');
  });

  it('escapes XML, dropping characters XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'\u0001\n`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;');
  });

  it('reads profile, pixel format and audio layout from ffmpeg’s stream lines', () => {
    const stderr = `Input #0, mov,mp4 from 'file:/x.mp4':
    Stream #0:0(und): Video: h264 (Main) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720, 24 fps
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)
Output #0, null, to 'pipe:':
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv444p, 1280x720, q=2-31
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, 5.1(side), fltp`;
    expect(parseStreamLines(stderr)).toEqual({ profile: 'High', pixFmt: 'yuv444p', audio: { codec: 'aac', sampleRate: 44100, layout: '5.1(side)' } });
    expect(parseStreamLines('Stream #0:0: Video: h264 (avc1 / 0x31637661), yuv420p, 2x2').profile).toBeNull();
  });
});
