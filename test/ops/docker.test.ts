/**
 * Docker cannot run on this machine, so the image and the scale-out set are checked for drift
 * instead: every environment key of the app services in compose.yaml and of the Dockerfile is a
 * variable server/config-vars.ts declares, the configuration loader accepts each app's
 * environment as the image would see it, and the services are wired to each other (database,
 * Redis, bucket and its credentials, published ports and origins).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { CONFIG_VARS } from '../../server/config-vars.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string) => fs.readFileSync(path.join(repo, f), 'utf8');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  entrypoint?: string[];
}

/** compose.yaml is JSON (which is YAML) behind whole-line `#` comments. */
function compose(): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  const text = read('compose.yaml');
  const json = text.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n');
  try {
    return JSON.parse(json);
  } catch (err) {
    throw new Error(`compose.yaml must stay JSON-compatible YAML (whole-line # comments only): ${(err as Error).message}`);
  }
}

/** The Dockerfile's instructions of the final stage, continuation lines joined. */
function finalStage(): { op: string; args: string }[] {
  const lines = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const all = lines.map((l) => ({ op: l.split(/\s/)[0]!.toUpperCase(), args: l.slice(l.indexOf(' ') + 1).trim() }));
  return all.slice(all.map((i) => i.op).lastIndexOf('FROM'));
}

function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of finalStage().filter((i) => i.op === 'ENV')) {
    for (const pair of i.args.split(/\s+/)) {
      const [k, ...v] = pair.split('=');
      env[k!] = v.join('=');
    }
  }
  return env;
}

/** Node's own variable, not Takeboard's. */
const NOT_OURS = new Set(['NODE_ENV']);
const unknownKeys = (env: Record<string, string>) => Object.keys(env).filter((k) => !(k in CONFIG_VARS) && !NOT_OURS.has(k));

describe('Dockerfile', () => {
  const stage = finalStage();
  const arg = (op: string) => stage.filter((i) => i.op === op).map((i) => i.args);

  it('runs Node 20 on bookworm-slim with Debian ffmpeg and fonts, as a non-root user', () => {
    expect(arg('FROM')).toEqual(['node:20-bookworm-slim']);
    const run = arg('RUN').join(' ');
    expect(run).toMatch(/apt-get install[^&]*\bffmpeg\b/);
    expect(run).toMatch(/apt-get install[^&]*\bfonts-dejavu-core\b/);
    expect(arg('USER')).toHaveLength(1);
    expect(arg('USER')[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(arg('CMD')[0]).toContain('dist/server/main.js');
  });

  it('declares only configuration variables, with its data volume, port and health check matching them', () => {
    const env = imageEnv();
    expect(unknownKeys(env)).toEqual([]);
    const config = loadConfig(env, '/app');
    expect(config.host).toBe('0.0.0.0');
    expect(arg('VOLUME')).toEqual([config.dataDir]);
    expect(arg('EXPOSE')).toEqual([String(config.port)]);
    expect(arg('HEALTHCHECK')[0]).toMatch(/CMD .*\/api\/health/);
  });
});

describe('compose.yaml', () => {
  const { services, volumes } = compose();
  const apps = Object.entries(services).filter(([, s]) => s.build !== undefined);
  const host = (url: string) => new URL(url).hostname;
  const byImage = (prefix: string) => Object.keys(services).filter((name) => services[name]!.image?.startsWith(prefix));

  it('runs two app instances from this image, each with its own data volume', () => {
    expect(apps.map(([name]) => name)).toEqual(['app1', 'app2']);
    const dataVolumes = apps.map(([, s]) => s.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0]);
    expect(new Set(dataVolumes).size).toBe(2);
    for (const v of dataVolumes) expect(volumes).toHaveProperty(v!);
  });

  it.each(['app1', 'app2'])('%s: every environment key is a configuration variable and the loader accepts it', (name) => {
    const env = services[name]!.environment ?? {};
    expect(unknownKeys(env)).toEqual([]);
    const config = loadConfig({ ...imageEnv(), ...env }, '/app');
    // The scale-out set: a shared database, Redis and a bucket, never per-instance files.
    expect(config.databaseUrl).not.toMatch(/^file:/);
    expect(config.redisUrl).toBeTruthy();
    expect(config.assetStore).toBe('s3');
    // The published host port is the one PUBLIC_ORIGIN names, mapped to the port the app listens on.
    const published = services[name]!.ports!.map((p) => p.split(':'));
    expect(published).toEqual([[new URL(config.publicOrigin!).port, String(config.port)]]);
  });

  it('wires the instances to the libSQL server, Redis and the S3 store, with matching credentials and bucket', () => {
    const [libsql] = byImage('ghcr.io/tursodatabase/libsql-server');
    const [redis] = byImage('redis:');
    const [minio] = byImage('minio/minio');
    const [bucketMaker] = byImage('minio/mc');
    expect([libsql, redis, minio, bucketMaker].every(Boolean)).toBe(true);
    const store = services[minio!]!.environment!;
    const mc = new URL(services[bucketMaker!]!.environment!.MC_HOST_store!);
    for (const [, app] of apps) {
      const env = app.environment!;
      expect(host(env.DATABASE_URL!)).toBe(libsql);
      expect(host(env.REDIS_URL!)).toBe(redis);
      expect(host(env.S3_ENDPOINT!)).toBe(minio);
      expect([env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]).toEqual([store.MINIO_ROOT_USER, store.MINIO_ROOT_PASSWORD]);
      expect(services[bucketMaker!]!.entrypoint!.join(' ')).toContain(`mc mb --ignore-existing store/${env.S3_BUCKET}`);
      expect(Object.keys(app.depends_on ?? {}).sort()).toEqual([bucketMaker, libsql, redis].sort());
    }
    expect([decodeURIComponent(mc.username), decodeURIComponent(mc.password), mc.hostname]).toEqual([store.MINIO_ROOT_USER, store.MINIO_ROOT_PASSWORD, minio]);
  });
});
