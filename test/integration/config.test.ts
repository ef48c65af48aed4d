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
