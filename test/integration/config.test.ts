import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

it('has embedded defaults', () => {
  const c = loadConfig({}, '/srv/app');
  expect(c).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: '/srv/app/data', assetStore: 'fs', publicOrigin: 'http://localhost:8787' });
  expect(c.databaseUrl).toBe('file:/srv/app/data/takeboard.db');
  expect(Object.isFrozen(c)).toBe(true);
});

it('names every bad variable in one error', () => {
  try {
    loadConfig({ PORT: 'eighty', ASSET_STORE: 's3', PUBLIC_ORIGIN: 'ftp://x/y', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://r' });
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as Error).message;
    for (const name of ['PORT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'PUBLIC_ORIGIN', 'DATABASE_URL', 'REDIS_URL']) expect(msg).toContain(name);
  }
});

it('leaves the public origin to be derived when listening on port 0', () => {
  expect(loadConfig({ PORT: '0' }).publicOrigin).toBeUndefined();
  expect(loadConfig({ PORT: '0', PUBLIC_ORIGIN: 'https://board.example.com/' }).publicOrigin).toBe('https://board.example.com');
});

it('reads the board document size cap, and names it when it is not a positive integer', () => {
  expect(loadConfig({ SYNC_MAX_DOCUMENT_BYTES: '1048576' }).syncMaxDocumentBytes).toBe(1048576);
  expect(loadConfig({}).syncMaxDocumentBytes).toBeUndefined();
  for (const bad of ['0', '-5', '64MB', '1.5']) {
    expect(() => loadConfig({ SYNC_MAX_DOCUMENT_BYTES: bad })).toThrow(`SYNC_MAX_DOCUMENT_BYTES must be a positive integer, got "${bad}"`);
  }
});

it('allows no egress exceptions by default, and takes only host or host:port entries', () => {
  expect(loadConfig({}).egressAllowHosts).toEqual([]);
  expect(loadConfig({ EGRESS_ALLOW_HOSTS: ' 127.0.0.1:9000, [::1]:9001 ,fake.test ' }).egressAllowHosts).toEqual(['127.0.0.1:9000', '[::1]:9001', 'fake.test']);
  for (const bad of ['http://127.0.0.1:9000', '127.0.0.1/admin', 'user@host', '*.internal']) {
    expect(() => loadConfig({ EGRESS_ALLOW_HOSTS: bad }), bad).toThrow(new RegExp(`EGRESS_ALLOW_HOSTS entries must be host or host:port .*got "${bad.replace(/[.*]/g, '\\$&')}"`));
  }
});

it('reads the media limits and caps, and names a bad one', () => {
  expect(loadConfig({}).media).toEqual({
    timeoutMs: 60_000,
    memoryLimitBytes: 4096 * 1024 * 1024,
    limits: {
      maxSide: 16_384, maxPixels: 80_000_000, maxDurationSec: 3600, maxFps: 1000, maxFrames: 216_000,
      maxAudioSec: 600, minSampleRate: 8000, maxSampleRate: 192_000, maxChannels: 8,
    },
  });
  expect(loadConfig({ MEDIA_MAX_AUDIO_SECONDS: '120' }).media.limits.maxAudioSec).toBe(120);
  const c = loadConfig({ MEDIA_MAX_SIDE: '8192', MEDIA_MAX_MEGAPIXELS: '40', MEDIA_MAX_DURATION_SECONDS: '600', MEDIA_MAX_FRAMES: '100000', MEDIA_TIMEOUT_SECONDS: '30', MEDIA_MEMORY_LIMIT_MB: '0' });
  expect(c.media).toMatchObject({ timeoutMs: 30_000, memoryLimitBytes: 0, limits: { maxSide: 8192, maxPixels: 40_000_000, maxDurationSec: 600, maxFrames: 100_000 } });
  expect(loadConfig({ FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg', FFPROBE_PATH: '/opt/ffmpeg/bin/ffprobe', FONT_PATH: '/srv/fonts/Noto.ttf' }).media)
    .toMatchObject({ ffmpegPath: '/opt/ffmpeg/bin/ffmpeg', ffprobePath: '/opt/ffmpeg/bin/ffprobe', fontPath: '/srv/fonts/Noto.ttf' });
  expect(() => loadConfig({ MEDIA_MAX_FRAMES: 'lots' })).toThrow(/MEDIA_MAX_FRAMES must be a number from 1 to 100000000, got "lots"/);
  expect(() => loadConfig({ MEDIA_MEMORY_LIMIT_MB: '64' })).toThrow(/MEDIA_MEMORY_LIMIT_MB must be 0 \(no cap\) or at least 256/);
});

it('reads fair-use limits: sizes with units, and names a bad one with what it accepts', () => {
  const c = loadConfig({ QUOTA_USER_BYTES: '2GB', QUOTA_BOARD_BYTES: '0', DISK_RESERVE_BYTES: '512 MB', MAX_STREAMS_PER_USER: '4', TRUSTED_PROXIES: '10.0.0.1, ::1' });
  expect(c).toMatchObject({ quotaUserBytes: 2 * 1024 ** 3, quotaBoardBytes: 0, diskReserveBytes: 512 * 1024 ** 2, maxStreamsPerUser: 4, maxSocketsPerUser: 32, trustedProxies: ['10.0.0.1', '::1'] });
  expect(loadConfig({}).diskReserveBytes).toBeUndefined();
  const bad = () => loadConfig({ QUOTA_USER_BYTES: 'lots', TRUSTED_PROXIES: 'proxy.local', BODY_STALL_SECONDS: '0' });
  expect(bad).toThrow(/QUOTA_USER_BYTES must be a size in bytes, or with KB, MB, GB or TB .*got "lots"/);
  expect(bad).toThrow(/TRUSTED_PROXIES must be a comma-separated list of IP addresses, got "proxy.local"/);
  expect(bad).toThrow(/BODY_STALL_SECONDS must be a positive integer, got "0"/);
});
