/**
 * Hostile uploads. Polyglots, archives and bombs dressed as images, pictures
 * whose headers claim absurd sizes, and file names built to escape the store. Each is refused
 * cleanly (415/413/400, never 500) with nothing stored, or stored harmlessly and served so that
 * no browser can be talked into treating it as anything but the picture it is.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { FFMPEG } from '../assets/media-fixtures.js';
import { blobFiles, crc32, expectUploadRefused, multipart, tempFiles, upload } from './helpers.js';

const run = promisify(execFile);
let srv: TestServer;
let owner: TestClient;
let boardId: string;
let dir: string;
let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-adv-upload-'));
  const still = async (name: string, ...codec: string[]) => {
    const out = path.join(dir, name);
    await run(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', ...codec, out]);
    return fs.readFile(out);
  };
  [png, jpeg, webp] = await Promise.all([still('a.png'), still('a.jpg'), still('a.webp', '-c:v', 'libwebp', '-lossless', '1')]);
  srv = await startTestServer({ app: { assetLimits: { imageMaxBytes: 2 * 1024 * 1024, videoMaxBytes: 4 * 1024 * 1024, audioMaxBytes: 1024 * 1024 } } });
  owner = (await signedUpClient(srv.url, { name: 'Owner' })).client;
  boardId = await createBoard(owner);
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

// ---- byte surgery -------------------------------------------------------------------------

/** A copy of a PNG whose IHDR claims `w`x`h`, with a correct CRC (so only the size is a lie). */
function pngClaiming(w: number, h: number): Buffer {
  const b = Buffer.from(png);
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b.writeUInt32BE(crc32(b.subarray(12, 29)), 29);
  return b;
}

/** A JPEG whose start-of-frame claims `w`x`h`; `padding` APP15 segments of 64 KiB come first. */
function jpegClaiming(w: number, h: number, padding = 0): Buffer {
  const b = Buffer.from(jpeg);
  for (let i = 2; i + 9 < b.length; i += 2 + b.readUInt16BE(i + 2)) {
    const marker = b[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      b.writeUInt16BE(h, i + 5);
      b.writeUInt16BE(w, i + 7);
      break;
    }
  }
  const app15 = Buffer.alloc(65537);
  app15[0] = 0xff;
  app15[1] = 0xef;
  app15.writeUInt16BE(65535, 2);
  return Buffer.concat([b.subarray(0, 2), ...Array<Buffer>(padding).fill(app15), b.subarray(2)]);
}

/** An extended WebP (VP8X) header claiming `w`x`h` in front of the real lossless picture. */
function webpClaiming(w: number, h: number): Buffer {
  const vp8x = Buffer.alloc(18);
  vp8x.write('VP8X', 0, 'latin1');
  vp8x.writeUInt32LE(10, 4);
  vp8x.writeUIntLE(w - 1, 12, 3);
  vp8x.writeUIntLE(h - 1, 15, 3);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), vp8x, webp.subarray(12)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** A one-entry ZIP whose member inflates 64 MiB of zeros from a few dozen KiB. */
function zipBomb(): Buffer {
  const data = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  const name = Buffer.from('zeros.bin');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(64 * 1024 * 1024, 22);
  local.writeUInt16LE(name.length, 26);
  return Buffer.concat([local, name, data]);
}

const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/me").then(r=>r.text()).then(alert)</script></body></html>\n');

// ---- checks -------------------------------------------------------------------------------

/** Sends `bytes`, expects a clean refusal with one of `statuses`, and that nothing was kept. */
function refused(bytes: Uint8Array, name: string, statuses: number[], message?: RegExp) {
  return expectUploadRefused(srv, owner, boardId, bytes, name, { statuses, ...(message ? { message } : {}) });
}

describe('archives, documents and bombs dressed as images', () => {
  it('refuses a zip bomb renamed .png, .jpg and .mp4 (415) without inflating it', async () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeLessThan(200_000);
    for (const name of ['photo.png', 'photo.jpg', 'clip.mp4']) await refused(bomb, name, [415], /not a PNG, JPEG or WebP/);
  });

  it('refuses a gzip stream, an HTML page, an SVG with a script, a GIF and a PDF (415)', async () => {
    const cases: [Buffer, string][] = [
      [zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024)), 'frame.png'],
      [HTML, 'index.png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'), 'logo.png'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'anim.png'],
      [Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n'), 'doc.jpg'],
      // An HTML page with a whole PNG inside it: the first bytes decide, and they are HTML.
      [Buffer.concat([HTML, png]), 'wrapped.png'],
    ];
    for (const [bytes, name] of cases) await refused(bytes, name, [415]);
  });

  it('refuses image magic followed by something else: PNG or JPEG header + ZIP (415)', async () => {
    await refused(Buffer.concat([png.subarray(0, 33), zipBomb()]), 'header-then-zip.png', [415], /refused|not/);
    await refused(Buffer.concat([jpeg.subarray(0, 20), HTML]), 'header-then-html.jpg', [415], /refused|not/);
  });
});

describe('decompression bombs: headers that claim enormous pictures', () => {
  it('refuses a PNG whose IHDR claims 100000x100000 before any decoder sees it', async () => {
    const started = Date.now();
    await refused(pngClaiming(100_000, 100_000), 'bomb.png', [415], /too large to process: 100000x100000/);
    await refused(pngClaiming(16_000, 16_000), 'wide.png', [415], /megapixels/);
    await refused(pngClaiming(0, 48), 'empty.png', [415]);
    await refused(pngClaiming(2 ** 31, 2 ** 31), 'overflow.png', [415]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses JPEGs and WebPs that claim too many pixels, even with the size marker past the first 128 KiB', async () => {
    await refused(jpegClaiming(65_000, 65_000), 'bomb.jpg', [415]);
    await refused(jpegClaiming(65_000, 65_000, 3), 'far-bomb.jpg', [415]);
    await refused(jpegClaiming(15_000, 15_000, 3), 'far-wide.jpg', [415]);
    await refused(webpClaiming(16_384, 16_384), 'bomb.webp', [415]);
  });

  it('still takes an ordinary JPEG whose size marker sits past 128 KiB of metadata', async () => {
    const res = await upload(owner, boardId, jpegClaiming(64, 48, 3), 'big-exif.jpg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'image', width: 64, height: 48 });
  });
});

describe('polyglots: a valid picture with something else appended', () => {
  /*
   * Decision: a picture that decodes cleanly is accepted even with bytes after its end marker
   * (PNG IEND, JPEG EOI), and stored as sent. Phones write such trailers themselves (motion
   * photos append an MP4 to the JPEG, some cameras append maker data), so refusing them would
   * refuse ordinary uploads; re-encoding would change what people uploaded. What makes the
   * trailer harmless is how it is served: always the sniffed image type (never the name's or the
   * client's), `X-Content-Type-Options: nosniff` (no browser second-guesses it), and a
   * `Content-Security-Policy: sandbox` with `default-src 'none'`, so even a direct visit to the
   * asset URL runs no script and reaches no cookie-bearing origin from the HTML inside.
   */
  const cases: [string, () => Buffer, string][] = [
    ['PNG + ZIP', () => Buffer.concat([png, zipBomb()]), 'image/png'],
    ['PNG + HTML', () => Buffer.concat([png, HTML]), 'image/png'],
    ['JPEG + HTML after EOI', () => Buffer.concat([jpeg, HTML]), 'image/jpeg'],
    [
      'JPEG/HTML polyglot (the page inside a comment segment)',
      () => {
        const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), HTML]);
        com.writeUInt16BE(HTML.length + 2, 2);
        return Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2)]);
      },
      'image/jpeg',
    ],
  ];
  for (const [label, make, mime] of cases) {
    it(`accepts ${label} and serves it only as ${mime}, nosniff, sandboxed`, async () => {
      const bytes = make();
      const res = await upload(owner, boardId, bytes, 'innocent.html', 'text/html');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'image', mime, width: 64, height: 48 });
      expect(res.body.name).toBe(`innocent.${mime === 'image/png' ? 'png' : 'jpg'}`);
      const got = await fetch(`${srv.url}/api/assets/${res.body.id}`, { headers: { cookie: owner.cookieHeader } });
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(mime);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox|sandbox.*default-src 'none'/);
      expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="innocent\.(png|jpg)"/);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
      const poster = await fetch(`${srv.url}/api/assets/${res.body.id}/poster`, { headers: { cookie: owner.cookieHeader } });
      expect(poster.headers.get('content-type')).toBe('image/jpeg');
      expect(poster.headers.get('content-security-policy')).toMatch(/sandbox/);
    });
  }
});

describe('file names built to escape', () => {
  it('stores under the content hash whatever the name: traversal, absolute, NUL, RFC 5987, huge', async () => {
    const tag = `takeboard-pwned-${process.pid}-${Date.now()}`;
    const escapes = [
      path.join(srv.dataDir, '..', `${tag}-a.png`),
      path.join(srv.dataDir, 'blobs', `${tag}-b.png`),
      path.join(os.tmpdir(), `${tag}-c.png`),
      path.join(os.tmpdir(), `${tag}-d.png`),
    ];
    const names: { disposition: string }[] = [
      { disposition: `form-data; name="file"; filename="../${tag}-a.png"` },
      { disposition: `form-data; name="file"; filename="..\\..\\blobs\\${tag}-b.png"` },
      { disposition: `form-data; name="file"; filename="${os.tmpdir()}/${tag}-c.png"` },
      { disposition: `form-data; name="file"; filename*=UTF-8''..%2F..%2F..%2F..%2F..%2F..%2F..%2Ftmp%2F${tag}-d.png` },
      { disposition: `form-data; name="file"; filename="evil\u0000.html\u0000.png"` },
      { disposition: `form-data; name="file"; filename="${'A'.repeat(20_000)}.png"` },
      { disposition: `form-data; name="file"; filename=".htaccess"` },
      { disposition: `form-data; name="file"; filename="%2e%2e%2f%2e%2e%2f${tag}.png"` },
      { disposition: `form-data; name="file"; filename="con:aux|<>*?.png"` },
      { disposition: `form-data; name="file"; filename=""` },
    ];
    let i = 0;
    for (const name of names) {
      // A distinct picture each time, so dedupe does not hide a second write.
      const bytes = Buffer.concat([png, Buffer.from(`#${i++}`)]);
      const res = await upload(owner, boardId, bytes, name);
      expect([201, 400], `${name.disposition.slice(0, 80)}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
      if (res.status !== 201) continue;
      const stored: string = res.body.name;
      expect(stored).toMatch(/\.png$/);
      expect(stored).not.toMatch(/[/\\\u0000-\u001f"<>|:*?]/);
      expect(stored.startsWith('.')).toBe(false);
      expect(stored.length).toBeLessThanOrEqual(130);
      const got = await fetch(`${srv.url}/api/assets/${res.body.id}`, { headers: { cookie: owner.cookieHeader } });
      expect(got.headers.get('content-disposition')).not.toMatch(/[\r\n\u0000]/);
    }
    for (const p of escapes) await expect(fs.stat(p)).rejects.toThrow();
    // Every file in the store is named by its SHA-256 (ab/cd/<sha>).
    for (const f of await blobFiles(srv.dataDir)) expect(f).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await tempFiles(srv.dataDir)).toEqual([]);
  });

  it('answers malformed multipart bodies with 400, never 500, and keeps nothing', async () => {
    const before = await blobFiles(srv.dataDir);
    const mp = multipart(png, 'form-data; name="file"; filename="a.png"');
    const bodies: [Buffer | string, string][] = [
      [mp.body.subarray(0, mp.body.length - 40), mp.contentType], // cut off mid-file
      [mp.body, 'multipart/form-data'], // no boundary
      [mp.body, 'multipart/form-data; boundary=wrong'],
      [png, 'image/png'], // not multipart at all
      ['', mp.contentType],
      [Buffer.concat([mp.body.subarray(0, 60), Buffer.alloc(1000, 0xff)]), mp.contentType], // garbage headers
    ];
    for (const [raw, type] of bodies) {
      const res = await owner.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: new Uint8Array(Buffer.from(raw)), headers: { 'content-type': type } });
      expect([400, 415], `${type}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    }
    expect(await blobFiles(srv.dataDir)).toEqual(before);
    expect(await tempFiles(srv.dataDir)).toEqual([]);
  });

  it('refuses cut-off pictures (415), including a JPEG whose decoder only mutters about it', async () => {
    await refused(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'cut.jpg', [415], /truncated or damaged/);
    await refused(png.subarray(0, png.length - 20), 'cut.png', [415], /refused/);
    // A WebP says its own length in its RIFF header: bytes past it are not a WebP we can vouch for.
    await refused(Buffer.concat([webp, HTML]), 'trailer.webp', [415], /truncated or damaged/);
  });

  it('refuses a picture past the image limit while it streams (413), with nothing left behind', async () => {
    await refused(Buffer.concat([png, Buffer.alloc(3 * 1024 * 1024, 1)]), 'padded.png', [413], /2 MB/);
  });
});
