import { isIP } from 'node:net';
import path from 'node:path';
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from './assets/media-info.js';
import { DEFAULT_QUOTAS } from './assets/storage-guard.js';
import { DEFAULT_STREAMS_PER_USER } from './http/stream-caps.js';
import { DEFAULT_SYNC_LIMITS } from '../shared/sync.js';
import type { ConfigVarName } from './config-vars.js';
import { displayUrl } from './lib/secrets.js';
import { PROVIDERS, providerEnvKeys, type ProviderEnv } from './generation/providers/registry.js';

/** Provider secrets, base URL overrides and options (from the provider registry), passed on untouched to it. */
export const PROVIDER_ENV_KEYS: readonly string[] = providerEnvKeys();

export interface S3Config {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  assetStore: 'fs' | 's3';
  s3?: S3Config;
  redisUrl?: string;
  /** Unset when PORT=0 and no PUBLIC_ORIGIN: main derives it from the bound port. */
  publicOrigin?: string;
  providerEnv: ProviderEnv;
  /**
   * EGRESS_ALLOW_HOSTS: `host` or `host:port` entries that provider requests may reach although
   * they are not public addresses (a provider fake on loopback, an internal proxy). Empty by default.
   */
  egressAllowHosts: readonly string[];
  webhookAllowHosts: readonly string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** How long a generation worker's claim on a job lasts without a heartbeat. */
  jobLeaseMs: number;
  /** Generation jobs this instance runs at once. */
  workerConcurrency: number;
  /** Board-document compaction thresholds (the hub's defaults when unset). */
  syncCompactAfterBytes?: number;
  /** When a board edit's commit is fsynced (server/sync/libsql-storage.ts). */
  syncFsync: 'checkpoint' | 'commit';
  syncCompactAfterUpdates?: number;
  /** A board document's size cap in bytes (the hub's 64 MB default when unset). */
  syncMaxDocumentBytes?: number;
  /** How ffmpeg/ffprobe treat media from outside (uploads, provider clips); see `createMedia`. */
  media: MediaConfig;
  /** Storage one user's / one board's assets may take (0 = no quota). */
  quotaUserBytes: number;
  quotaBoardBytes: number;
  /** Free space kept on the DATA_DIR volume; unset = 1 GB, or 5% of a small volume. */
  diskReserveBytes?: number;
  /** Open event streams (SSE) and board sockets one user may hold on this instance. */
  maxStreamsPerUser: number;
  maxSocketsPerUser: number;
  /** A request head must arrive within this; a body must keep sending at least 1 KB per stall window. */
  headersTimeoutMs: number;
  bodyStallMs: number;
  /** Proxy addresses whose X-Forwarded-For is believed (the client address for throttling). */
  trustedProxies: string[];
}

export interface MediaConfig {
  /**
   * FFMPEG_PATH / FFPROBE_PATH: the binaries to run. Unset: `ffmpeg`/`ffprobe` on PATH (Debian's
   * maintained packages), else the old builds shipped in npm packages, with a warning at start.
   */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** FONT_PATH: the .ttf/.otf font for text drawn into media; unset: DejaVu Sans or what fontconfig offers. */
  fontPath?: string;
  /** Wall-time limit of each ffmpeg/ffprobe child. */
  timeoutMs: number;
  /** Address-space cap of each child reading outside media; 0 = none. */
  memoryLimitBytes: number;
  /** Size, length, frame rate and frame count a probe must stay within before any decode. */
  limits: MediaLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/**
 * Turns an environment into a validated, frozen Config. Every bad variable is named in one
 * ConfigError, so an operator fixes them all in one go instead of one per restart.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (k: string) => {
    const v = env[k]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  // Only names declared in config-vars.ts (documented in the README) can be read; provider variables
  // are declared there from the provider registry, as PROVIDER_ENV_KEYS are (read below).
  const get = (k: ConfigVarName) => read(k);

  const portRaw = get('PORT') ?? '8787';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) problems.push(`PORT must be an integer 0-65535, got "${portRaw}"`);

  const host = get('HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(cwd, get('DATA_DIR') ?? './data');

  const databaseUrl = get('DATABASE_URL') ?? `file:${path.join(dataDir, 'takeboard.db')}`;
  if (!/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    // Shown without its password or query (a token): the URL may hold credentials.
    problems.push(`DATABASE_URL must start with file:, libsql://, http(s)://, ws(s)://, postgres:// or postgresql://, got "${displayUrl(databaseUrl)}"`);
  }

  const assetStore = get('ASSET_STORE') ?? 'fs';
  let s3: S3Config | undefined;
  if (assetStore !== 'fs' && assetStore !== 's3') {
    problems.push(`ASSET_STORE must be "fs" or "s3", got "${assetStore}"`);
  } else if (assetStore === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !get(k));
    for (const k of missing) problems.push(`${k} is required when ASSET_STORE=s3`);
    const endpoint = get('S3_ENDPOINT');
    if (endpoint && !isHttpUrl(endpoint)) problems.push(`S3_ENDPOINT must be an http(s) URL, got "${displayUrl(endpoint)}"`);
    if (missing.length === 0) {
      s3 = {
        endpoint,
        bucket: get('S3_BUCKET')!,
        region: get('S3_REGION') ?? 'us-east-1',
        accessKeyId: get('S3_ACCESS_KEY_ID')!,
        secretAccessKey: get('S3_SECRET_ACCESS_KEY')!,
      };
    }
  }

  const redisUrl = get('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL must start with redis:// or rediss://`);

  let publicOrigin = get('PUBLIC_ORIGIN');
  if (publicOrigin) {
    if (!isHttpUrl(publicOrigin) || new URL(publicOrigin).origin !== publicOrigin.replace(/\/$/, '')) {
      problems.push(`PUBLIC_ORIGIN must be an origin like https://board.example.com (no path), got "${publicOrigin}"`);
    } else {
      publicOrigin = new URL(publicOrigin).origin;
    }
  } else if (port !== 0 && problems.length === 0) {
    publicOrigin = `http://localhost:${port}`;
  }

  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const leaseRaw = get('JOB_LEASE_SECONDS') ?? '30';
  const jobLeaseMs = Number(leaseRaw) * 1000;
  if (!(jobLeaseMs >= 500 && jobLeaseMs <= 3_600_000)) problems.push(`JOB_LEASE_SECONDS must be a number from 0.5 to 3600, got "${leaseRaw}"`);
  const concRaw = get('WORKER_CONCURRENCY') ?? '4';
  const workerConcurrency = Number(concRaw);
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 0 || workerConcurrency > 256) {
    problems.push(`WORKER_CONCURRENCY must be an integer 0-256, got "${concRaw}"`);
  }

  const positiveInt = (k: ConfigVarName): number | undefined => {
    const raw = get(k);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1) return n;
    problems.push(`${k} must be a positive integer, got "${raw}"`);
    return undefined;
  };
  const syncCompactAfterBytes = positiveInt('SYNC_COMPACT_AFTER_BYTES');
  const syncCompactAfterUpdates = positiveInt('SYNC_COMPACT_AFTER_UPDATES');
  const syncMaxDocumentBytes = positiveInt('SYNC_MAX_DOCUMENT_BYTES');
  const syncFsync = get('SYNC_FSYNC') ?? 'checkpoint';
  if (syncFsync !== 'checkpoint' && syncFsync !== 'commit') problems.push(`SYNC_FSYNC must be "checkpoint" or "commit", got "${syncFsync}"`);

  const numberIn = (k: ConfigVarName, fallback: number, min: number, max: number): number => {
    const raw = get(k);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    problems.push(`${k} must be a number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  };
  const d = DEFAULT_MEDIA_LIMITS;
  const media: MediaConfig = {
    ffmpegPath: get('FFMPEG_PATH'),
    ffprobePath: get('FFPROBE_PATH'),
    fontPath: get('FONT_PATH'),
    timeoutMs: numberIn('MEDIA_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
    memoryLimitBytes: Math.round(numberIn('MEDIA_MEMORY_LIMIT_MB', 4096, 0, 1_048_576) * 1024 * 1024),
    limits: {
      maxSide: Math.floor(numberIn('MEDIA_MAX_SIDE', d.maxSide, 16, 65_535)),
      maxPixels: Math.round(numberIn('MEDIA_MAX_MEGAPIXELS', d.maxPixels / 1e6, 0.01, 4096) * 1e6),
      maxDurationSec: numberIn('MEDIA_MAX_DURATION_SECONDS', d.maxDurationSec, 1, 86_400),
      maxFps: numberIn('MEDIA_MAX_FPS', d.maxFps, 1, 100_000),
      maxFrames: Math.floor(numberIn('MEDIA_MAX_FRAMES', d.maxFrames, 1, 100_000_000)),
      maxAudioSec: numberIn('MEDIA_MAX_AUDIO_SECONDS', d.maxAudioSec, 1, 86_400),
      minSampleRate: d.minSampleRate,
      maxSampleRate: d.maxSampleRate,
      maxChannels: d.maxChannels,
    },
  };
  if (media.memoryLimitBytes > 0 && media.memoryLimitBytes < 256 * 1024 * 1024) {
    problems.push(`MEDIA_MEMORY_LIMIT_MB must be 0 (no cap) or at least 256: ffmpeg cannot start below that`);
  }

  const size = (k: ConfigVarName, fallback?: number): number | undefined => {
    const raw = get(k);
    if (raw === undefined) return fallback;
    const n = parseBytes(raw);
    if (n !== undefined) return n;
    problems.push(`${k} must be a size in bytes, or with KB, MB, GB or TB (e.g. 2GB; 0 = none), got "${raw}"`);
    return fallback;
  };
  const quotaUserBytes = size('QUOTA_USER_BYTES', DEFAULT_QUOTAS.userQuotaBytes)!;
  const quotaBoardBytes = size('QUOTA_BOARD_BYTES', DEFAULT_QUOTAS.boardQuotaBytes)!;
  const diskReserveBytes = size('DISK_RESERVE_BYTES');
  const maxStreamsPerUser = positiveInt('MAX_STREAMS_PER_USER') ?? DEFAULT_STREAMS_PER_USER;
  const maxSocketsPerUser = positiveInt('MAX_SOCKETS_PER_USER') ?? DEFAULT_SYNC_LIMITS.maxConnectionsPerUser;
  const headersTimeoutMs = (positiveInt('HEADERS_TIMEOUT_SECONDS') ?? 10) * 1000;
  const bodyStallMs = (positiveInt('BODY_STALL_SECONDS') ?? 10) * 1000;
  const trustedProxies = (get('TRUSTED_PROXIES') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  for (const a of trustedProxies) if (!isIP(a)) problems.push(`TRUSTED_PROXIES must be a comma-separated list of IP addresses, got "${a}"`);

  const providerEnv: Record<string, string> = {};
  for (const k of PROVIDER_ENV_KEYS) {
    const v = read(k);
    if (v === undefined) continue;
    if (PROVIDERS.some((e) => e.baseUrl === k) && !isHttpUrl(v)) problems.push(`${k} must be an http(s) URL`);
    providerEnv[k] = v;
  }

  const hostList = (name: 'EGRESS_ALLOW_HOSTS' | 'WEBHOOK_ALLOW_HOSTS') => {
    const hosts = (get(name) ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    for (const h of hosts) if (!isHostEntry(h)) problems.push(`${name} entries must be host or host:port (e.g. 127.0.0.1:9000, [::1]:9000, fake.test), got "${h}"`);
    return hosts;
  };
  const egressAllowHosts = hostList('EGRESS_ALLOW_HOSTS');
  const webhookAllowHosts = hostList('WEBHOOK_ALLOW_HOSTS');

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port,
    host,
    dataDir,
    databaseUrl,
    databaseAuthToken: get('DATABASE_AUTH_TOKEN'),
    assetStore: assetStore as 'fs' | 's3',
    s3,
    redisUrl,
    publicOrigin,
    providerEnv: Object.freeze(providerEnv),
    egressAllowHosts: Object.freeze(egressAllowHosts),
    webhookAllowHosts: Object.freeze(webhookAllowHosts),
    logLevel: logLevel as Config['logLevel'],
    jobLeaseMs,
    workerConcurrency,
    syncCompactAfterBytes,
    syncCompactAfterUpdates,
    syncMaxDocumentBytes,
    syncFsync: syncFsync as Config['syncFsync'],
    media: Object.freeze(media),
    quotaUserBytes,
    quotaBoardBytes,
    diskReserveBytes,
    maxStreamsPerUser,
    maxSocketsPerUser,
    headersTimeoutMs,
    bodyStallMs,
    trustedProxies: Object.freeze(trustedProxies) as string[],
  });
}

/** `host` or `host:port` and nothing else: no scheme, path, credentials or wildcard. */
function isHostEntry(s: string): boolean {
  try {
    const u = new URL(`http://${s}`);
    return !s.includes('*') && (u.host === s.toLowerCase() || u.hostname === s.toLowerCase());
  } catch {
    return false;
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** "2GB", "500 MB", "1048576" -> bytes (binary units); undefined when it is not a size. */
function parseBytes(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?b?)$/i.exec(raw.trim());
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const n = Math.round(Number(m[1]) * UNITS[unit === '' || unit.endsWith('b') ? unit : `${unit}b`]!);
  return Number.isSafeInteger(n) ? n : undefined;
}
