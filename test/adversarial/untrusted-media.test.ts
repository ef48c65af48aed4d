/**
 * Untrusted media handled as untrusted. Files built to make ffmpeg reach past
 * them (HLS playlists and ffconcat lists pointing at /etc/passwd, an SDP description pointing at a
 * metadata address), to run script where someone opens them (SVG, HTML, XML, PDF, PostScript, under
 * any name and in UTF-16), and to exhaust the host while looking small (a hand-made PNG claiming
 * 30000x30000, MP4s claiming ten million frames, a day's running time or a million frames a
 * second). Each is refused through the real upload route with a message that names what was
 * refused and why (or the limit it passed) and nothing kept; the same media layer refuses them
 * when a provider delivers one as its "finished clip"; the ffmpeg options themselves are tried on
 * both binaries; and ordinary uploads keep working throughout.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia, MediaError, untrustedInput } from '../../server/assets/media.js';
import { addShot, getShot } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { BUNDLED_FFMPEG, BUNDLED_FFPROBE, ffmpeg } from '../assets/media-fixtures.js';
import { jobReaches } from '../generation/helpers.js';
import { setServedVideo } from '../providers/fakes/core.js';
import { blobFiles, crc32, expectUploadRefused, startFalServer, tempFiles, upload } from './helpers.js';

const run = promisify(execFile);
let dir: string;
let srv: TestServer;
let owner: TestClient;
let boardId: string;
/** Ordinary media made by ffmpeg, and the bombs crafted from them. */
const files: Record<'clip' | 'png' | 'secretTs' | 'frameBomb' | 'dayLong' | 'fpsBomb', Buffer> = {} as never;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-adv-media-'));
  const f = (name: string) => path.join(dir, name);
  await Promise.all([
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', f('clip.mp4')),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', f('still.png')),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', f('secret.ts')),
    // Five frames stamped a microsecond apart: a real, decodable clip at 1,000,000 fps.
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-r', '1000000', f('fps.mp4')),
  ]);
  files.clip = await readFile(f('clip.mp4'));
  files.png = await readFile(f('still.png'));
  files.secretTs = await readFile(f('secret.ts'));
  files.fpsBomb = await readFile(f('fps.mp4'));
  files.frameBomb = claimFrames(files.clip, 10_000_000);
  files.dayLong = claimDuration(files.clip);
  srv = await startTestServer();
  owner = (await signedUpClient(srv.url, { name: 'Owner' })).client;
  boardId = await createBoard(owner);
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

// ---- hand-made hostile files --------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A whole PNG written byte by byte: IHDR claiming `w`x`h` 8-bit RGBA, with valid CRCs, and one IDAT
 * of a few deflated rows. Decoding it would need w*h*4 bytes (3.6 GB at 30000x30000); it is 100 bytes.
 */
function pixelBomb(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // depth 8, RGBA, deflate, adaptive filter, no interlace
  const idat = zlib.deflateSync(Buffer.alloc(4 * w + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Offset of an MP4 box's fourcc in `b` (the box's fields follow it). */
function box(b: Buffer, type: string): number {
  const at = b.indexOf(Buffer.from(type, 'latin1'));
  if (at < 0) throw new Error(`no ${type} box`);
  return at;
}

/** The clip with its sample table (stts) claiming `frames` frames; the data still holds ten. */
function claimFrames(clip: Buffer, frames: number): Buffer {
  const b = Buffer.from(clip);
  b.writeUInt32BE(frames, box(b, 'stts') + 12); // [ver/flags][entry count][sample count][sample delta]
  return b;
}

/** The clip with every duration field (movie, track, edit list, sample deltas) stretched to ~27 hours. */
function claimDuration(clip: Buffer): Buffer {
  const b = Buffer.from(clip);
  b.writeUInt32BE(0xfffffff0, box(b, 'mvhd') + 20);
  b.writeUInt32BE(0xfffffff0, box(b, 'mdhd') + 20);
  b.writeUInt32BE(0xfffffff0, box(b, 'tkhd') + 24);
  b.writeUInt32BE(0xfffffff0, box(b, 'elst') + 12);
  b.writeUInt32BE(100_000_000, box(b, 'stts') + 16);
  return b;
}

const text = (s: string) => Buffer.from(s, 'utf8');
const HLS = text('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
const FFCONCAT = text("ffconcat version 1.0\nfile '/etc/passwd'\nfile 'http://169.254.169.254/latest/meta-data/'\n");
const SDP = text('v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 169.254.169.254\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\n');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/api/me\')"><script>alert(document.cookie)</script></svg>';
/** What Inkscape writes: an XML prologue, a comment and a DOCTYPE push `<svg` well past 64 bytes. */
const SVG_INKSCAPE = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape (http://www.inkscape.org/) -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${SVG}`;

// ---- through the upload route -------------------------------------------------------------

function refused(bytes: Uint8Array, name: string, message: RegExp, partType?: string) {
  return expectUploadRefused(srv, owner, boardId, bytes, name, { statuses: [415], message, ...(partType ? { partType } : {}) });
}

describe('files that make ffmpeg open other files or URLs', () => {
  it('refuses an HLS playlist pointing at file:///etc/passwd, whatever it is called', async () => {
    for (const name of ['clip.mp4', 'clip.m3u8', 'clip.mov', 'still.png']) {
      await refused(HLS, name, /^Refused: this file is an HLS\/M3U playlist, which makes ffmpeg open other files or URLs\. Upload a PNG, JPEG or WebP image, an MP4, MOV or WebM video, or a WAV, MP3, AAC\/M4A, OGG\/Opus or FLAC audio file instead$/, 'video/mp4');
    }
    // A UTF-8 BOM and blank lines in front change nothing.
    await refused(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('\n\n'), HLS]), 'bom.mp4', /HLS\/M3U playlist/);
  });

  it('refuses an ffconcat list and an SDP description (a list of files, a network stream)', async () => {
    await refused(FFCONCAT, 'reel.mp4', /this file is an ffconcat list, which makes ffmpeg open other files/);
    await refused(SDP, 'stream.mp4', /this file is an SDP description, which makes ffmpeg open network streams/);
  });

  it('refuses polyglots: an MP4 ftyp box in front of a playlist, PNG magic in front of an ffconcat list', async () => {
    const ftyp = files.clip.subarray(0, files.clip.readUInt32BE(0));
    await refused(Buffer.concat([ftyp, HLS]), 'ftyp-then-hls.mp4', /video\/mp4 file was refused: it could not be read/);
    await refused(Buffer.concat([files.png.subarray(0, 8), FFCONCAT]), 'magic-then-ffconcat.png', /image\/png file was refused/);
  });
});

describe('scriptable formats', () => {
  it('refuses SVG with a script, as .svg and disguised as a PNG (name and part type), in UTF-8 and UTF-16', async () => {
    const svgMessage = /^Refused: this file is an SVG image, which can carry scripts\. Upload a PNG, JPEG or WebP image/;
    await refused(text(SVG), 'logo.svg', svgMessage, 'image/svg+xml');
    await refused(text(SVG_INKSCAPE), 'photo.png', svgMessage, 'image/png');
    await refused(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SVG_INKSCAPE, 'utf16le')]), 'utf16.png', svgMessage, 'image/png');
  });

  it('refuses HTML, XML with an external entity, PDF with JavaScript, PostScript and EPS by name', async () => {
    const cases: [Buffer, string, RegExp][] = [
      [text('<!-- hi -->\n<html><body><script>alert(1)</script></body></html>'), 'page.jpg', /an HTML page, which can carry scripts/],
      [text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), 'data.webp', /an XML or HTML document, which can carry scripts or point at other files/],
      [text('%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n'), 'doc.jpg', /a PDF document, which can carry scripts/],
      [text('%!PS-Adobe-3.0\n(/etc/passwd) (r) file\n'), 'print.png', /a PostScript file, which is a program/],
      [Buffer.concat([Buffer.from([0xc5, 0xd0, 0xd3, 0xc6]), Buffer.alloc(60)]), 'figure.jpg', /a PostScript file/],
    ];
    for (const [bytes, name, message] of cases) await refused(bytes, name, message);
  });
});

describe('bombs: small files that claim enormous work', () => {
  it('refuses a hand-made 100-byte PNG claiming 30000x30000 from its header, naming the limit', async () => {
    const bomb = pixelBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    await refused(bomb, 'tiny.png', /^The picture is too large to process: 30000x30000 exceeds the limit of 16384 px on a side$/);
    await refused(pixelBomb(9_000, 9_000), 'square.png', /9000x9000 exceeds the limit of 80 megapixels/);
  });

  it('refuses an MP4 claiming ten million frames, one claiming 27 hours, and one at a million fps', async () => {
    await refused(files.frameBomb, 'frames.mp4', /^The video is too large to process: 10000000 frames exceeds the limit of 216000 frames$/);
    // Debian's ffprobe and the bundled one read the forged duration differently (4294967 s, 97656 s): both past the limit.
    await refused(files.dayLong, 'long.mp4', /^The video is too large to process: it lasts \d+ s, more than the limit of 3600 s$/);
    await refused(files.fpsBomb, 'fast.mp4', /^The video is too large to process: 1000000 frames per second exceeds the limit of 1000$/);
  });

  it('applies the limits a server is configured with', async () => {
    const strict = await startTestServer({ app: { media: createMedia({ limits: { maxSide: 32 } }) } });
    try {
      const client = (await signedUpClient(strict.url, { name: 'Strict' })).client;
      const board = await createBoard(client);
      const opts = { statuses: [415] };
      await expectUploadRefused(strict, client, board, files.png, 'a.png', { ...opts, message: /64x48 exceeds the limit of 32 px on a side/ });
      await expectUploadRefused(strict, client, board, files.clip, 'a.mp4', { ...opts, message: /64x48 exceeds the limit of 32 px/ });
    } finally {
      await strict.close();
    }
    const long = await startTestServer({ app: { media: createMedia({ limits: { maxDurationSec: 0.5 } }) } });
    try {
      const client = (await signedUpClient(long.url, { name: 'Long' })).client;
      const board = await createBoard(client);
      await expectUploadRefused(long, client, board, files.clip, 'a.mp4', { statuses: [415], message: /it lasts 1 s, more than the limit of 0.5 s/ });
    } finally {
      await long.close();
    }
  });
});

describe('nothing else broke', () => {
  it('still takes an ordinary PNG and MP4 after all that, and another user still uploads to their board', async () => {
    const png = await upload(owner, boardId, files.png, 'ok.png');
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ kind: 'image', width: 64, height: 48 });
    const mp4 = await upload(owner, boardId, files.clip, 'ok.mp4');
    expect(mp4.status).toBe(201);
    expect(mp4.body).toMatchObject({ kind: 'video', width: 64, height: 48 });
    const other = (await signedUpClient(srv.url, { name: 'Other' })).client;
    const theirs = await createBoard(other);
    expect((await upload(other, theirs, files.png, 'theirs.png')).status).toBe(201);
    expect(await tempFiles(srv.dataDir)).toEqual([]);
  });
});

// ---- a provider's "finished clip" goes through the same media layer ------------------------

describe('a provider that delivers a hostile clip', () => {
  afterAll(() => setServedVideo(null));

  it('fails the take in words and stores nothing: a frame bomb (limit named), an HLS playlist, an SVG', async () => {
    const s = await startFalServer();
    let c: BoardConnection | undefined;
    try {
      const me = (await signedUpClient(s.srv.url, { name: 'Producer' })).client;
      const board = await createBoard(me);
      c = connectBoard(s.srv.url, board, me);
      await c.synced();
      const doc = c.doc;
      const cases: [Uint8Array, RegExp][] = [
        [files.frameBomb, /^fal: the finished clip was refused\. The video is too large to process: 10000000 frames exceeds the limit of 216000 frames$/],
        // Refused by the download's sniff (provider egress) before the media layer is reached.
        [HLS, /^fal: the finished clip was refused: it is not a video \(the download is in no video format we accept\)$/],
        [text(SVG), /^fal: the finished clip was refused: it is not a video \(the download is an XML document\)$/],
      ];
      for (const [bytes, error] of cases) {
        setServedVideo(bytes);
        const shot = addShot(doc, { title: 'Paid', prompt: 'a lighthouse at dusk', durationSec: 4, model: 'fal:veo3' });
        await waitFor(() => s.srv.takeboard.hub.read(board, (d) => getShot(d, shot)), 'shot stored');
        const before = await blobFiles(s.srv.dataDir);
        const { jobId } = (await me.post(`/api/boards/${board}/shots/${shot}/generate`, {})).body as { jobId: string };
        const job = await jobReaches(me, jobId, 'failed', 30_000);
        expect(job.error).toMatch(error);
        expect(await blobFiles(s.srv.dataDir)).toEqual(before);
        expect(await tempFiles(s.srv.dataDir)).toEqual([]);
      }
    } finally {
      c?.destroy();
      await s.close();
    }
  });
});

// ---- the media layer below the route --------------------------------------------------------

describe('the media layer on its own', () => {
  it('refuses unsafe formats and bombs in probe, the call every upload and provider clip goes through', async () => {
    const media = createMedia();
    const cases: [Buffer, string, RegExp][] = [
      [HLS, 'refused', /HLS\/M3U playlist/],
      [FFCONCAT, 'refused', /ffconcat list/],
      [text(SVG_INKSCAPE), 'refused', /SVG image/],
      [pixelBomb(30_000, 30_000), 'over_limit', /30000x30000/],
      [files.frameBomb, 'over_limit', /10000000 frames/],
    ];
    for (const [bytes, code, message] of cases) {
      const file = path.join(dir, 'probe-me');
      await writeFile(file, bytes);
      const err = await media.probe(file).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    }
  });

  it('refuses a pixel bomb from its header before ffprobe starts', async () => {
    const log = path.join(dir, 'ffprobe-calls.log');
    const fake = path.join(dir, 'logging-ffprobe');
    await writeFile(fake, `#!/bin/sh\necho called >> '${log}'\nexit 1\n`);
    await chmod(fake, 0o755);
    const bomb = path.join(dir, 'bomb.png');
    await writeFile(bomb, pixelBomb(30_000, 30_000));
    await expect(createMedia({ ffprobePath: fake }).probe(bomb)).rejects.toMatchObject({ code: 'over_limit' });
    await expect(stat(log)).rejects.toMatchObject({ code: 'ENOENT' });
    // The same fake is started for an ordinary still: it is the header check that kept it away.
    await writeFile(bomb, files.png);
    await expect(createMedia({ ffprobePath: fake }).probe(bomb)).rejects.toMatchObject({ code: 'probe_failed' });
    expect(await readFile(log, 'utf8')).toBe('called\n');
  });

  // Below the sniff: even a list that reached ffmpeg or ffprobe unrecognised is not followed. Asked
  // plainly, each binary we may run does something with these lists (the first assertion): both
  // ffmpeg builds and Debian's ffprobe open them and read the file they name; the bundled 2023
  // ffprobe refuses the HLS list by its extension and crashes (SIGSEGV) on the ffconcat list. With
  // our options every one refuses both before reading anything.
  type Plain = { hls: string; concat: string };
  const binaries: [string, string, string[], Plain][] = [
    ['bundled ffmpeg', BUNDLED_FFMPEG, ['-f', 'null', '-'], { hls: 'opened', concat: 'opened' }],
    ['Debian ffmpeg', '/usr/bin/ffmpeg', ['-f', 'null', '-'], { hls: 'opened', concat: 'opened' }],
    ['bundled ffprobe', BUNDLED_FFPROBE, [], { hls: 'refused', concat: 'crashed' }],
    ['Debian ffprobe', '/usr/bin/ffprobe', [], { hls: 'opened', concat: 'opened' }],
  ];
  for (const [label, bin, output, plain] of binaries.filter(([, b]) => existsSync(b))) {
    it(`${label} asked plainly: HLS list ${plain.hls}, ffconcat list ${plain.concat}; through untrustedInput both refused`, async () => {
      await writeFile(path.join(dir, 'secret.ts'), files.secretTs);
      const lists: [keyof Plain, string, string][] = [
        ['hls', 'hls-list.mp4', '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nsecret.ts\n#EXT-X-ENDLIST\n'],
        ['concat', 'concat-list.mp4', 'ffconcat version 1.0\nfile secret.ts\n'],
      ];
      for (const [kind, name, body] of lists) {
        const file = path.join(dir, name);
        await writeFile(file, body);
        const outcome = await run(bin, ['-v', 'error', '-i', `file:${file}`, ...output]).then(
          () => 'opened',
          (e: { signal?: string | null }) => (e.signal ? 'crashed' : 'refused'),
        );
        expect(outcome, `${name} asked plainly`).toBe(plain[kind]);
        const guarded = await run(bin, ['-v', 'error', ...untrustedInput(file, undefined), ...output]).then(
          () => ({ outcome: 'opened', stderr: '' }),
          (e: { signal?: string | null; stderr: string }) => ({ outcome: e.signal ? 'crashed' : 'refused', stderr: e.stderr }),
        );
        expect(guarded.outcome, name).toBe('refused');
        // Where the binary itself already turned the list away, our options need not be the reason.
        if (plain[kind] !== 'refused') expect(guarded.stderr, name).toMatch(/not on whitelist/);
      }
    });
  }
});
