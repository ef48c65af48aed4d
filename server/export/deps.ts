import type { BlobStore } from '../assets/blob-store.js';
import type { Media } from '../assets/media.js';
import type { StorageGuard } from '../assets/storage-guard.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { AppDeps } from '../deps.js';
import type { StreamCaps } from '../http/stream-caps.js';
import type { BoardWebhooks } from '../outgoing-webhooks/events.js';
import type { Bus } from '../scale/bus.js';
import type { DocHub } from '../sync/hub.js';

/**
 * What exports need, built once in createApp: only the parts they use, so Export depends on
 * no other capability's internals (createApp passes the same objects Generation gets).
 */
export interface ExportDeps extends AppDeps {
  /** Board documents, read once per export. */
  hub: Pick<DocHub, 'read'>;
  blobs: BlobStore;
  /** ffmpeg for the sequence, its slates and fonts. */
  media: Media;
  /** Quotas and the disk reserve, asked before a sequence is built and stored. */
  storage: StorageGuard;
  /** Open event streams per user (export events share the cap with job events). */
  streams: StreamCaps;
  /** How instances share export events and build leases. */
  bus: Bus;
  /** Membership and session changes (an open export event stream ends when access does). */
  boardEvents?: BoardEvents;
  /** The board's outgoing webhooks: a built sequence is `export.ready`. */
  webhooks?: Pick<BoardWebhooks, 'exportReady'>;
}
