import { DEFAULT_MEDIA_LIMITS } from './assets/media-info.js';
import { DEFAULT_QUOTAS } from './assets/storage-guard.js';
import { DEFAULT_STREAMS_PER_USER } from './http/stream-caps.js';
import { DEFAULT_COMPACTION } from './sync/hub.js';
import { DEFAULT_SYNC_LIMITS } from '../shared/sync.js';
import { PROVIDERS, type ProviderEntry } from './generation/providers/registry.js';

/**
 * Every environment variable the server reads, with its default and meaning: the one source of
 * the README's configuration table (`npm run config-table`) and of what compose.yaml may set.
 * `loadConfig` can only read names listed here (its reader is typed by them), and tests check the
 * other way round: every name is read, and each `default` is what the loader does when unset.
 */
export interface ConfigVar {
  /** The value that leaving the variable unset amounts to, as an operator would write it. */
  default?: string;
  /** For a default that is computed or decided elsewhere: how to describe it. */
  defaultText?: string;
  description: string;
}

const GB = 1024 ** 3;
const PROVIDER_BASE_URL: ConfigVar = {
  defaultText: "the provider's public API",
  description:
    "another address for that provider's API (a proxy, or a fake in tests), http(s); one not on a public address must also be listed in EGRESS_ALLOW_HOSTS",
};

/** The rows of each provider's variables, written from its registry entry (keys, base URL, options). */
export function providerConfigVars(entries: readonly ProviderEntry[] = PROVIDERS): Record<string, ConfigVar> {
  const rows: Record<string, ConfigVar> = {};
  for (const e of entries) {
    for (const [name, who] of Object.entries(e.keys)) {
      rows[name] = { description: `${who}; the provider's models are listed as available only when it is set. Keys never leave the server` };
    }
    rows[e.baseUrl] = PROVIDER_BASE_URL;
    for (const [name, description] of Object.entries(e.options ?? {})) rows[name] = { description };
  }
  return rows;
}

/** The server's own variables; `loadConfig` reads them by these names. */
const SERVER_VARS = {
  PORT: { default: '8787', description: 'HTTP port (0 = any free port; the server prints the URL it listens on)' },
  HOST: { default: '127.0.0.1', description: 'bind address (the Docker image sets 0.0.0.0)' },
  DATA_DIR: { default: './data', description: 'embedded database file, local assets and temporary files' },
  DATABASE_URL: {
    defaultText: 'file:$DATA_DIR/takeboard.db',
    description:
      'any libSQL URL: file:, libsql://, http(s):// or ws(s):// (a libSQL server shared by several instances), or postgres:// / postgresql:// for PostgreSQL (see "what does not yet"). Its password and query are never printed',
  },
  DATABASE_AUTH_TOKEN: { description: 'token for a remote libSQL server (Turso, sqld with auth); never printed' },
  ASSET_STORE: { default: 'fs', description: '`fs` (files under DATA_DIR) or `s3` (an S3-compatible bucket, see S3_*)' },
  S3_ENDPOINT: { defaultText: 'AWS S3', description: 'an S3-compatible endpoint (MinIO, R2, …), http(s)' },
  S3_BUCKET: { description: 'bucket for assets; required when ASSET_STORE=s3' },
  S3_REGION: { default: 'us-east-1', description: 'bucket region (used when ASSET_STORE=s3)' },
  S3_ACCESS_KEY_ID: { description: 'access key; required when ASSET_STORE=s3' },
  S3_SECRET_ACCESS_KEY: { description: 'secret key; required when ASSET_STORE=s3' },
  REDIS_URL: {
    description:
      'redis:// or rediss://. Several instances on one database share live edits, presence, membership changes, job and export events and queue wake-ups through it, and take leases there for compaction and sequence builds. Unset: one instance serves alone',
  },
  PUBLIC_ORIGIN: {
    defaultText: 'http://localhost:$PORT',
    description: 'the only Origin accepted for mutations and WebSocket upgrades; `https:` makes cookies Secure',
  },
  LOG_LEVEL: { default: 'info', description: 'debug, info, warn, error, silent (JSON lines on stderr)' },
  JOB_LEASE_SECONDS: {
    default: '30',
    description: "how long a worker's claim on a generation job lasts without a heartbeat; a job whose worker died is resumed after it (0.5-3600)",
  },
  WORKER_CONCURRENCY: { default: '4', description: 'generation jobs this instance runs at once (0 = enqueue only, run no worker)' },
  SYNC_COMPACT_AFTER_BYTES: {
    defaultText: String(DEFAULT_COMPACTION.afterBytes),
    description: "a board's update log is folded into its snapshot once it passes this many bytes (or half the snapshot, if larger)",
  },
  SYNC_COMPACT_AFTER_UPDATES: { defaultText: String(DEFAULT_COMPACTION.afterUpdates), description: "… or once it holds this many updates" },
  SYNC_MAX_DOCUMENT_BYTES: {
    defaultText: `${DEFAULT_SYNC_LIMITS.maxDocumentBytes} (${DEFAULT_SYNC_LIMITS.maxDocumentBytes / 1024 ** 2} MB)`,
    description: "a board document's size cap: an edit that would take it past this is refused (close code 4414, with the reason); the board stays usable",
  },
  SYNC_FSYNC: {
    default: 'checkpoint',
    description:
      "when a board edit reaches the disk. `checkpoint`: it is written to a file before anyone sees it (kill -9 or a crash of Takeboard loses nothing: a lone instance's journal `<db>-updates`, folded into the database every second and replayed at start; with REDIS_URL the database's WAL) and fsynced within 0.5 s (a power loss or kernel crash can take the last half-second). `commit`: every commit is fsynced before relay, on a writer thread (survives power loss; ~0.5 ms more CPU per commit). File databases only",
  },
  MEDIA_MAX_SIDE: { default: String(DEFAULT_MEDIA_LIMITS.maxSide), description: 'widest or tallest picture (uploads and provider clips), read from its header or probe before anything decodes it' },
  MEDIA_MAX_MEGAPIXELS: { default: String(DEFAULT_MEDIA_LIMITS.maxPixels / 1e6), description: 'largest picture area, checked the same way' },
  MEDIA_MAX_DURATION_SECONDS: { default: String(DEFAULT_MEDIA_LIMITS.maxDurationSec), description: 'longest video a probe may claim' },
  MEDIA_MAX_FRAMES: { default: String(DEFAULT_MEDIA_LIMITS.maxFrames), description: "most frames a video may have (the container's count, or duration x rate)" },
  MEDIA_MAX_AUDIO_SECONDS: { default: String(DEFAULT_MEDIA_LIMITS.maxAudioSec), description: 'longest audio reference (voice line, music, ambience) an upload may be' },
  MEDIA_MAX_FPS: { default: String(DEFAULT_MEDIA_LIMITS.maxFps), description: 'highest frame rate a probe may claim' },
  FFMPEG_PATH: {
    defaultText: 'ffmpeg on PATH',
    description:
      "the ffmpeg binary. Unset: `ffmpeg` on PATH (Debian's maintained package: `apt-get install ffmpeg`), else the 2018 build shipped in `@ffmpeg-installer` with a warning at start. A missing, too old (before 4.1) or filter-lacking ffmpeg, or a bad path, stops the start naming it; `/api/ready` says which runs",
  },
  FFPROBE_PATH: { defaultText: 'ffprobe on PATH', description: 'the ffprobe binary, found the same way as FFMPEG_PATH' },
  FONT_PATH: {
    defaultText: 'DejaVu Sans',
    description:
      'the .ttf/.otf font for text drawn into media (slates, captions). Unset: `fonts-dejavu-core`, else the same DejaVu shipped in the `dejavu-fonts-ttf` npm package, else what fontconfig offers; text with CJK uses an installed CJK font (`fonts-wqy-zenhei` or `fonts-noto-cjk`) or shows boxes. A file that is not a font stops the start',
  },
  MEDIA_TIMEOUT_SECONDS: { default: '60', description: 'wall time of each ffmpeg/ffprobe child' },
  MEDIA_MEMORY_LIMIT_MB: {
    default: '4096',
    description:
      'address-space cap (via util-linux `prlimit`, no root needed; 0 = off, else at least 256) of each ffmpeg/ffprobe child reading outside media; renders and exports get twice that (4 threads each, so a 4K clip needs about 1.5 GB)',
  },
  QUOTA_USER_BYTES: {
    default: `${DEFAULT_QUOTAS.userQuotaBytes / GB}GB`,
    description:
      'storage one user\'s files (uploads, takes, exports, on every board) may take; bytes or `500MB`, `2GB`; 0 = no quota. Past it: 507 with a message naming the quota ("Your files use 1.9 GB of your 2 GB quota")',
  },
  QUOTA_BOARD_BYTES: { default: `${DEFAULT_QUOTAS.boardQuotaBytes / GB}GB`, description: "storage one board's files may take, written the same way" },
  DISK_RESERVE_BYTES: {
    defaultText: '1GB (5% of a volume under 20 GB)',
    description: "free space on DATA_DIR's volume that uploads, exports and generations never use (507 \"Storage full\"), so live edits on every board keep being stored",
  },
  MAX_STREAMS_PER_USER: { default: String(DEFAULT_STREAMS_PER_USER), description: 'open event streams (SSE) one account may hold on an instance; past it 429' },
  MAX_SOCKETS_PER_USER: {
    default: String(DEFAULT_SYNC_LIMITS.maxConnectionsPerUser),
    description: 'board sockets one account may hold on an instance; past it closed with 4430, which the board shows',
  },
  HEADERS_TIMEOUT_SECONDS: { default: '10', description: 'a request head must arrive within this (408)' },
  BODY_STALL_SECONDS: {
    default: '10',
    description: 'a request body that delivers less than 1 KB in this window is dropped. No total limit: a long upload works as long as its bytes keep flowing',
  },
  TRUSTED_PROXIES: {
    description: "comma-separated proxy addresses whose X-Forwarded-For names the client for per-address throttles; from any other peer the header is ignored",
  },
  EGRESS_ALLOW_HOSTS: {
    description:
      "comma-separated `host` or `host:port` entries provider requests may reach although they are not public addresses (a provider fake or proxy on loopback or a private network). Without an entry, provider API calls and every URL in a provider's answer (status, output, redirects) go only to public addresses, over https or the scheme of that provider's `*_BASE_URL`, and keys go only to the `*_BASE_URL` origin",
  },
  WEBHOOK_ALLOW_HOSTS: {
    description:
      "comma-separated `host` or `host:port` entries board webhooks may be sent to although they are not public addresses (a receiver on loopback or the private network). Without an entry, webhook URLs naming or resolving to loopback, private, link-local or metadata addresses are refused",
  },
} as const satisfies Record<string, ConfigVar>;

export type ConfigVarName = keyof typeof SERVER_VARS;

/** Every variable: the server's own, then each provider's. */
export const CONFIG_VARS: Readonly<Record<string, ConfigVar>> = Object.freeze({ ...SERVER_VARS, ...providerConfigVars() });
