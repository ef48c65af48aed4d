import type { AppDeps } from '../deps.js';
import type { BlobStore } from '../assets/blob-store.js';
import type { Media } from '../assets/media.js';
import type { StorageGuard } from '../assets/storage-guard.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { DocHub } from '../sync/hub.js';
import type { JobEvents } from './events.js';
import type { ModelCatalog } from './models.js';
import type { Bus } from '../scale/bus.js';
import type { StreamCaps } from '../http/stream-caps.js';
import type { Notifier } from '../notifications/notifier.js';
import type { BoardWebhooks } from '../outgoing-webhooks/events.js';
import type { TakeMirror } from './take-mirror.js';
import type { SeamScorer } from '../seams/seam-scorer.js';

/** What the generation capability needs, built once in createApp. */
export interface GenerationDeps extends AppDeps {
  hub: DocHub;
  blobs: BlobStore;
  media: Media;
  /** Quotas and the disk reserve, asked before a job is queued and before its files are stored. */
  storage: StorageGuard;
  catalog: ModelCatalog;
  /** Open event streams per user (job and export events share the cap). */
  streams: StreamCaps;
  events: JobEvents;
  /** Writes a job's take into the board document from the job's row (the one writer of takes). */
  takes: TakeMirror;
  /** How instances reach each other (the local no-op bus for one instance). */
  bus: Bus;
  maxAttempts: number;
  /** Asks the worker to look for work now (after an enqueue or a cancel). */
  wake(): void;
  /** Membership and session changes (open event streams end when access does). */
  boardEvents?: BoardEvents;
  /** Inbox entries for takes finished or failed and for budget warnings. */
  notifier?: Notifier;
  /** The board's outgoing webhooks (take finished or failed, budget warning). */
  webhooks?: BoardWebhooks;
  /** Scores a finished take's seam with the upstream take it continues (server/seams). */
  seams?: Pick<SeamScorer, 'takeFinished'>;
}
