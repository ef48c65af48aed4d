import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageSize } from '../../server/assets/image-size.js';
import { checkDimensions } from '../../server/assets/media-info.js';
import { refusalFor, sniff, sniffFile, unsafeFormat } from '../../server/assets/sniff.js';
import { makeMediaFixtures, type MediaFixtures } from './media-fixtures.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** An ftyp box: size, 'ftyp', major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  const buf = Buffer.alloc(size + 8);
  buf.writeUInt32BE(size, 0);
  buf.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((b, i) => buf.write(b, 16 + 4 * i, 'latin1'));
  buf.write('\0\0\0\x08free', size, 'latin1');
  return buf;
}

describe('sniff (bytes)', () => {
  it('knows the still formats by their magic numbers', () => {
    expect(sniff(hex('89504e470d0a1a0a 0000000d49484452'))).toEqual({ kind: 'image', mime: 'image/png', ext: 'png' });
    expect(sniff(hex('ffd8ffe000104a464946'))).toEqual({ kind: 'image', mime: 'image/jpeg', ext: 'jpg' });
    expect(sniff(ascii('RIFF\x24\0\0\0WEBPVP8 '))).toEqual({ kind: 'image', mime: 'image/webp', ext: 'webp' });
  });

  it('reads the ftyp brand of ISO media', () => {
    for (const brand of ['isom', 'mp41', 'mp42', 'avc1', 'M4V ', 'iso5', 'dash']) {
      expect(sniff(ftyp(brand, 'isom'))).toEqual({ kind: 'video', mime: 'video/mp4', ext: 'mp4' });
    }
    expect(sniff(ftyp('qt  ', 'qt  '))).toEqual({ kind: 'video', mime: 'video/quicktime', ext: 'mov' });
    expect(sniff(ftyp('zzzz', 'abcd', 'mp42'))).toMatchObject({ mime: 'video/mp4' }); // known compatible brand
    expect(sniff(ftyp('zzzz', 'abcd'))).toBeNull();
  });

  it('does not take HEIF or AVIF stills for video', () => {
    expect(sniff(ftyp('heic', 'mif1', 'heic'))).toBeNull();
    expect(sniff(ftyp('avif', 'avif', 'mif1', 'miaf'))).toBeNull();
    expect(sniff(ftyp('zzzz', 'mif1', 'mp42'))).toBeNull();
  });

  it('tells WebM from Matroska by the EBML DocType', () => {
    expect(sniff(hex('1a45dfa3 9f 4286 81 01 42f7 81 01 42f2 81 04 42f3 81 08 4282 84 7765626d'))).toEqual({
      kind: 'video', mime: 'video/webm', ext: 'webm',
    });
    expect(sniff(hex('1a45dfa3 a3 4286 81 01 4282 88 6d6174726f736b61'))).toEqual({
      kind: 'video', mime: 'video/x-matroska', ext: 'mkv',
    });
    expect(sniff(hex('1a45dfa3 8f 4286 81 01'))).toBeNull();
  });

  it('recognises audio by its magic: WAV, FLAC, Ogg, ID3-tagged MP3, bare MPEG frames and ADTS AAC', () => {
    expect(sniff(ascii('RIFF\x24\0\0\0WAVEfmt '))).toEqual({ kind: 'audio', mime: 'audio/wav', ext: 'wav' });
    expect(sniff(ascii('fLaC\0\0\0\x22'))?.mime).toBe('audio/flac');
    expect(sniff(ascii('OggS\0\x02'))?.mime).toBe('audio/ogg');
    expect(sniff(ascii('ID3\x04\0'))?.mime).toBe('audio/mpeg');
    expect(sniff(hex('fffb9064'))?.mime).toBe('audio/mpeg');
    expect(sniff(hex('fff15080'))?.mime).toBe('audio/aac');
    // Frame syncs with an invalid field are not sound: a UTF-16 BOM before '<' (layer I, reserved
    // rate), a free-format or bad bitrate, a reserved MPEG version, an ADTS sampling index past 12.
    for (const bytes of ['fffe3c00', 'fffb0064', 'fffbf064', 'ffeb9064', 'fff13c80']) expect(sniff(hex(bytes)), bytes).toBeNull();
  });

  it('refuses everything else, including short and empty input', () => {
    const others = [
      ascii('GIF89a\x01\0\x01\0'),
      ascii('RIFF\x24\0\0\0AVI LIST'),
      ascii('ID'),
      ascii('%PDF-1.7\n'),
      ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      ascii('hello, this is text that says ftyp somewhere'),
      hex('89504e47'),
      hex('ffd8'),
      ascii('RIFF'),
      new Uint8Array(0),
    ];
    for (const bytes of others) expect(sniff(bytes)).toBeNull();
  });
});

describe('unsafeFormat', () => {
  it('names scriptable documents and lists of other files, and nothing else', () => {
    expect(unsafeFormat(ascii('\n  <svg viewBox="0 0 1 1"/>'))).toMatch(/^an SVG image/);
    expect(unsafeFormat(ascii('<?xml version="1.0"?>\n<!-- x -->\n<svg>'))).toMatch(/^an SVG image/);
    expect(unsafeFormat(ascii('<!DOCTYPE html><p>hi'))).toMatch(/^an HTML page/);
    expect(unsafeFormat(ascii('<rss version="2.0">'))).toMatch(/^an XML or HTML document/);
    expect(unsafeFormat(ascii('%PDF-1.4'))).toMatch(/^a PDF document/);
    expect(unsafeFormat(ascii('#EXTM3U\n'))).toMatch(/^an HLS\/M3U playlist/);
    expect(unsafeFormat(ascii('ffconcat version 1.0\n'))).toMatch(/^an ffconcat list/);
    for (const other of [hex('89504e470d0a1a0a'), hex('ffd8ffe0'), ascii('GIF89a'), ascii('PK\x03\x04'), ascii('plain text'), new Uint8Array(0)]) {
      expect(unsafeFormat(other)).toBeNull();
    }
    expect(refusalFor(ascii('GIF89a'))).toBe('This file is not a PNG, JPEG or WebP image, an MP4, MOV or WebM video, or a WAV, MP3, AAC/M4A, OGG/Opus or FLAC audio file');
  });
});

describe('imageSize', () => {
  it('reads what a header claims, so a bomb is refused before any decoder runs', () => {
    const ihdr = Buffer.alloc(33);
    hex('89504e470d0a1a0a0000000d49484452').forEach((b, i) => (ihdr[i] = b));
    ihdr.writeUInt32BE(20_000, 16);
    ihdr.writeUInt32BE(12_000, 20);
    const size = imageSize(ihdr);
    expect(size).toEqual({ width: 20_000, height: 12_000 });
    expect(checkDimensions(size as { width: number; height: number })).toMatchObject({ ok: false });
    // JPEG: an APP1 segment before the SOF0 marker is skipped by its length.
    const jpeg = hex('ffd8 ffe1 0006 45786966 ffc0 0011 08 0438 0780 03');
    expect(imageSize(jpeg)).toEqual({ width: 1920, height: 1080 });
    expect(imageSize(hex('ffd8 ffe1 0006'))).toBeNull();
    expect(imageSize(ascii('not an image at all, not even close'))).toBeNull();
  });
});

describe('sniff (files made by ffmpeg)', () => {
  let fx: MediaFixtures;
  beforeAll(async () => {
    fx = await makeMediaFixtures();
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('identifies real files, with the size a still claims, and refuses a renamed text file', async () => {
    expect(await sniffFile(fx.png)).toEqual({ kind: 'image', mime: 'image/png', ext: 'png', width: 400, height: 300 });
    expect(await sniffFile(fx.jpeg)).toMatchObject({ mime: 'image/jpeg', width: 1920, height: 1080 });
    expect(await sniffFile(fx.webp)).toMatchObject({ mime: 'image/webp', width: 200, height: 100 });
    expect(await sniffFile(fx.webpLossless)).toMatchObject({ mime: 'image/webp', width: 120, height: 90 });
    expect(await sniffFile(fx.webpAlpha)).toMatchObject({ mime: 'image/webp', width: 90, height: 60 });
    expect(await sniffFile(fx.clip)).toEqual({ kind: 'video', mime: 'video/mp4', ext: 'mp4' });
    expect(await sniffFile(fx.mov)).toMatchObject({ mime: 'video/quicktime' });
    expect(await sniffFile(fx.webm)).toMatchObject({ mime: 'video/webm' });
    expect(await sniffFile(fx.textAsMp4)).toBeNull();
  });
});
