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
    loadConfig({ PORT: 'eighty', ASSET_STORE: 's3', PUBLIC_ORIGIN: 'ftp://x/y', DATABASE_URL: 'postgres://x', REDIS_URL: 'http://r' });
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

it('reads fair-use limits: sizes with units, and names a bad one with what it accepts', () => {
  const c = loadConfig({ QUOTA_USER_BYTES: '2GB', QUOTA_BOARD_BYTES: '0', DISK_RESERVE_BYTES: '512 MB', MAX_STREAMS_PER_USER: '4', TRUSTED_PROXIES: '10.0.0.1, ::1' });
  expect(c).toMatchObject({ quotaUserBytes: 2 * 1024 ** 3, quotaBoardBytes: 0, diskReserveBytes: 512 * 1024 ** 2, maxStreamsPerUser: 4, maxSocketsPerUser: 32, trustedProxies: ['10.0.0.1', '::1'] });
  expect(loadConfig({}).diskReserveBytes).toBeUndefined();
  const bad = () => loadConfig({ QUOTA_USER_BYTES: 'lots', TRUSTED_PROXIES: 'proxy.local', BODY_STALL_SECONDS: '0' });
  expect(bad).toThrow(/QUOTA_USER_BYTES must be a size in bytes, or with KB, MB, GB or TB .*got "lots"/);
  expect(bad).toThrow(/TRUSTED_PROXIES must be a comma-separated list of IP addresses, got "proxy.local"/);
  expect(bad).toThrow(/BODY_STALL_SECONDS must be a positive integer, got "0"/);
});
