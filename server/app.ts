import type { Server } from 'node:http';
import { Hono } from 'hono';
import { databaseAnswers } from './db/ping.js';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../shared/api.js';
import { authRoutes } from './auth/auth.routes.js';
import { apiTokenRoutes } from './auth/api-tokens.routes.js';
import { requireUser } from './auth/middleware.js';
import { createSessionSockets } from './auth/session-sockets.js';
import { DEFAULT_AUTH_RULES, type AuthThrottleRules } from './auth/throttle.js';
import { createStorageGuard, DEFAULT_QUOTAS, type StorageGuardOptions } from './assets/storage-guard.js';
import { clientAddressOf } from './http/client-address.js';
import { createStreamCaps } from './http/stream-caps.js';
import { auditOpenSockets } from './sync/access-audit.js';
import { createBoardEvents, type BoardEvents } from './boards/board-events.js';
import { boardRoutes } from './boards/boards.routes.js';
import { boardInviteRoutes, inviteRoutes } from './boards/invites.routes.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import type { AppEnv } from './http/env.js';
import { errorHandler } from './http/errors.js';
import { requireSameOrigin } from './http/origin.js';
import { securityHeaders } from './http/security-headers.js';
import { mountClient } from './http/static.js';
import { ensureErrorEvent } from './http/error-event.js';
import { createWsUpgrade } from './http/ws-upgrade.js';
import { CHANNELS, createLocalBus, jsonPayload, type Bus } from './scale/bus.js';
import { DEFAULT_SYNC_LIMITS } from '../shared/sync.js';
import { createDocHub, type DocHub, type DocHubOptions } from './sync/hub.js';
import { createLibsqlStorage, type SyncFsync } from './sync/libsql-storage.js';
import { createPostgresStorage } from './sync/postgres-storage.js';
import { engineOf } from './db/engine.js';
import type { DocStorage } from './sync/storage.js';
import { syncRoutes } from './sync/sync.routes.js';
import { assetRoutes, boardAssetRoutes } from './assets/assets.routes.js';
import type { BlobStore } from './assets/blob-store.js';
import { DEFAULT_ASSET_LIMITS, type AssetLimits } from './assets/limits.js';
import type { Media } from './assets/media.js';
import { createOrphanSweeper } from './assets/orphans.js';
import { assetIdsOf } from './assets/assets.queries.js';
import { mediaReadiness } from './assets/media-readiness.js';
import { getMeta, getShot, readTemplate, setMeta, writeTemplate } from '../shared/doc/index.js';
import { createJobEvents } from './generation/events.js';
import { generationRoutes } from './generation/generation.routes.js';
import { keepAnywayRoutes } from './generation/keep-anyway.routes.js';
import { noteTakeRoutes } from './generation/note-takes.routes.js';
import { historyRoutes } from './history/history.routes.js';
import { webhookRoutes } from './generation/webhooks.routes.js';
import { exportRoutes } from './export/export.routes.js';
import { timelineImportRoutes } from './export/import/import.routes.js';
import { animaticRenderer } from './generation/local-animatic.js';
import { ANIMATIC_MODEL_ID, createModelCatalog } from './generation/models.js';
import { createProviders, type ProviderRegistry } from './generation/providers/registry.js';
import { createWorker, type LocalRenderer, type Worker, type WorkerOptions } from './generation/worker.js';
import { createTakeMirror, type TakeMirrorOptions } from './generation/take-mirror.js';
import { createNotifier } from './notifications/notifier.js';
import { createWebhookDispatcher, type DispatcherOptions } from './outgoing-webhooks/dispatcher.js';
import { boardWebhooks } from './outgoing-webhooks/events.js';
import { outgoingWebhookRoutes } from './outgoing-webhooks/webhooks.routes.js';
import { notificationRoutes } from './notifications/notifications.routes.js';
import { createSeamScorer, type SeamScorerOptions } from './seams/seam-scorer.js';
import { seamRoutes } from './seams/seams.routes.js';
import { openApiDocument } from './api-doc/openapi.routes.js';
import { DEFAULT_REVIEW_LINK_RULES, type ReviewLinkRules } from './review-links/guest-session.js';
import { guestRoutes } from './review-links/guest.routes.js';
import { reviewLinkRoutes } from './review-links/review-links.routes.js';

export interface CreateAppOptions extends AppDeps {
  /** Built client to serve at `/`; a placeholder page when absent. */
  clientDir?: string;
  blobs: BlobStore;
  media: Media;
  assetLimits?: AssetLimits;
  /** How long an unused upload is kept, and how often the sweep runs (0 = never on a timer). */
  orphans?: { graceMs?: number; everyMs?: number };
  /** How instances reach each other (Redis with REDIS_URL); the local no-op bus by default. */
  bus?: Bus;
  /** Hosted providers (enabled by their keys); none by default. The animatic is always there. */
  providers?: ProviderRegistry;
  generation?: Partial<Omit<WorkerOptions, 'renderLocal' | 'shotCamera'>> & { startWorker?: boolean; maxAttempts?: number; renderLocal?: LocalRenderer; takeMirror?: Partial<TakeMirrorOptions> };
  /** Board document storage; the libSQL tables by default. */
  docStorage?: DocStorage;
  /**
   * The libSQL URL `db` was opened with. With a `file:` URL the default board document storage
   * writes through a connection of its own (closed with the app), fsynced as `syncFsync` says.
   */
  databaseUrl?: string;
  /** SYNC_FSYNC (server/sync/libsql-storage.ts); `checkpoint` by default. */
  syncFsync?: SyncFsync;
  /** Sync tuning (limits, unload grace, compaction thresholds). */
  sync?: Omit<DocHubOptions, 'storage' | 'log' | 'clock'>;
  /**
   * Storage quotas and the free-space reserve (DEFAULT_QUOTAS; the disk is checked only when
   * `freeBytes` is given: main.ts reads DATA_DIR's volume, tests simulate one).
   */
  storage?: Partial<StorageGuardOptions>;
  /** Open event streams (SSE) one user may hold (DEFAULT_STREAMS_PER_USER). */
  maxStreamsPerUser?: number;
  /** Proxies whose X-Forwarded-For names the client (for per-address throttling); none by default. */
  trustedProxies?: string[];
  /** Sign-up, login and invite throttles (DEFAULT_AUTH_RULES). */
  authRules?: Partial<AuthThrottleRules>;
  /** Background seam scoring of chained cuts (concurrency, queue bound). */
  seams?: Partial<SeamScorerOptions>;
  /** Outgoing webhooks: hosts allowed although not public (WEBHOOK_ALLOW_HOSTS), retries, timeouts. */
  webhooks?: Partial<DispatcherOptions>;
  /** Guest review links: each link's request and comment allowances (DEFAULT_REVIEW_LINK_RULES). */
  reviewLinks?: Partial<ReviewLinkRules>;
}

export interface TakeboardApp {
  app: Hono<AppEnv>;
  boardEvents: BoardEvents;
  hub: DocHub;
  worker: Worker;
  /** Runs the orphan-asset sweep now. */
  sweepOrphans(graceMs?: number): Promise<{ assets: number; blobs: number }>;
  /** Wires WebSocket upgrades of the HTTP server into the app. */
  attach(server: Server): void;
  /** Stops background work; the caller closes the HTTP server and the database. */
  close(): Promise<void>;
}

const UPLOAD_PATH = /^\/api\/boards\/[^/]+\/assets\/?$/;
/** Timeline files come back as text in JSON, under the import's own (larger) limit. */
const TIMELINE_IMPORT_PATH = /^\/api\/boards\/[^/]+\/timeline-import(\/accept)?\/?$/;

/** Builds the whole HTTP app from its dependencies. Does no I/O until a request arrives. */
export function createApp(opts: CreateAppOptions): TakeboardApp {
  const bus = opts.bus ?? createLocalBus();
  const boardEvents = createBoardEvents(bus);
  const deps = {
    ...opts,
    boardEvents,
    assetLimits: opts.assetLimits ?? DEFAULT_ASSET_LIMITS,
    storage: createStorageGuard(opts.db, { ...DEFAULT_QUOTAS, reserveBytes: 0, ...opts.storage }),
    streams: createStreamCaps(opts.maxStreamsPerUser),
    clientAddress: clientAddressOf(opts.trustedProxies),
    authRules: { ...DEFAULT_AUTH_RULES, ...opts.authRules },
  };
  const app = new Hono<AppEnv>();
  // Storage the app creates is the app's to close; storage passed in is the caller's.
  const ownStorage = opts.docStorage
    ? null
    : engineOf(opts.db) === 'postgres'
      ? createPostgresStorage(opts.db, opts.clock)
      : createLibsqlStorage(opts.db, opts.clock, {
          url: opts.databaseUrl,
          fsync: opts.syncFsync,
          // Alone on its database (no bus to other instances): updates go through the journal.
          ...(opts.bus ? {} : { journal: { log: opts.log.child({ part: 'sync' }) } }),
        });
  const sessionSockets = createSessionSockets();
  const dispatcher = createWebhookDispatcher({ db: opts.db, clock: opts.clock, log: opts.log.child({ part: 'webhooks' }) }, opts.webhooks);
  dispatcher.start();
  const webhooks = boardWebhooks(dispatcher);
  const hub = createDocHub({
    storage: opts.docStorage ?? ownStorage!,
    log: opts.log.child({ part: 'sync' }),
    clock: opts.clock,
    bus,
    assetIndex: (boardId) => assetIdsOf(opts.db, boardId),
    // Called only after a stored update, by which time the notifier (which reads through the hub) exists.
    onComments: (boardId, authorId, comments) => void notifier.commentsAdded(boardId, authorId, comments),
    onShotChanges: (boardId, userId, changes) => webhooks.shotChanges(boardId, userId, changes),
    ...opts.sync,
  });
  const notifier = createNotifier({ db: opts.db, clock: opts.clock, log: opts.log.child({ part: 'notifications' }), hub, bus });
  boardEvents.on((e) => {
    // A removed member's entries of that board stop counting: their open inbox is told.
    if (e.type === 'member-removed') void notifier.recount(e.userId).catch(() => undefined);
    if (e.type === 'member-removed') hub.removeMember(e.boardId, e.userId, e.by);
    else if (e.type === 'member-role-changed') hub.setRole(e.boardId, e.userId, e.role, e.by);
    else if (e.type === 'member-added') hub.memberAdded(e.boardId);
    else if (e.type === 'board-archived') hub.setArchived(e.boardId, e.archived);
    else if (e.type === 'board-deleted') void hub.deleteBoard(e.boardId).catch((err) => opts.log.error('could not delete board document', { err }));
    else if (e.type === 'sessions-ended') sessionSockets.end(e.sessionIds);
  });
  const stopAudit = auditOpenSockets({ db: opts.db, hub, sessions: sessionSockets, bus, clock: opts.clock, log: opts.log.child({ part: 'sync' }) });
  const gen = opts.generation ?? {};
  const seams = createSeamScorer({ ...deps, hub, log: opts.log.child({ part: 'seams' }) }, opts.seams);
  let wake = () => {};
  const genDeps = {
    ...deps,
    hub,
    catalog: createModelCatalog(opts.providers ?? createProviders({})),
    events: createJobEvents(bus),
    takes: createTakeMirror({ db: opts.db, hub, log: opts.log, clock: opts.clock }, gen.takeMirror),
    notifier,
    webhooks,
    seams,
    bus,
    maxAttempts: gen.maxAttempts ?? 5,
    wake: () => {
      wake();
      bus.publish(CHANNELS.queueWake, jsonPayload({}));
    },
  };
  const worker = createWorker(genDeps, {
    limits: gen.limits ?? { total: 4, perProvider: { default: 2, animatic: 2 }, perBoard: 4 },
    leaseMs: gen.leaseMs ?? 30_000,
    retryBaseMs: gen.retryBaseMs ?? 2_000,
    ...(gen.pollMs !== undefined ? { pollMs: gen.pollMs } : {}),
    ...(gen.maxClipBytes !== undefined ? { maxClipBytes: gen.maxClipBytes } : {}),
    ...(gen.downloadStallMs !== undefined ? { downloadStallMs: gen.downloadStallMs } : {}),
    ...(gen.chainSweepMs !== undefined ? { chainSweepMs: gen.chainSweepMs } : {}),
    renderLocal: gen.renderLocal ?? animaticRenderer(opts.media),
    shotCamera: (boardId, shotId) => hub.read(boardId, (doc) => getShot(doc, shotId)?.camera),
  });
  wake = worker.wake;
  bus.subscribe(CHANNELS.queueWake, () => worker.wake());
  if (gen.startWorker !== false) worker.start();
  const sweep = createOrphanSweeper({ ...opts, hub });
  const orphanGraceMs = opts.orphans?.graceMs ?? 24 * 3_600_000;
  const sweepEvery = opts.orphans?.everyMs ?? 3_600_000;
  const sweepTimer = sweepEvery > 0 ? setInterval(() => void sweep(orphanGraceMs).catch((err) => opts.log.warn('orphan sweep failed', { err })), sweepEvery) : null;
  sweepTimer?.unref();
  ensureErrorEvent();
  const nodeWs = createWsUpgrade(app);
  // ws closes oversize frames itself (1009) before buffering them whole.
  nodeWs.wss.options.maxPayload = opts.sync?.limits?.maxMessageBytes ?? DEFAULT_SYNC_LIMITS.maxMessageBytes;

  app.onError(errorHandler(opts.log));
  app.use('*', securityHeaders());
  const sameOrigin = requireSameOrigin(opts.publicOrigin);
  app.use('/api/*', (c, next) => (c.req.path.startsWith('/api/webhooks/') ? next() : sameOrigin(c, next)));
  const jsonLimit = bodyLimit({ maxSize: LIMITS.jsonBodyMaxBytes });
  // Uploads stream to disk under their own per-kind limits; everything else is small JSON.
  app.use('/api/*', (c, next) => (UPLOAD_PATH.test(c.req.path) || TIMELINE_IMPORT_PATH.test(c.req.path) ? next() : jsonLimit(c, next)));

  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/api/openapi.json', openApiDocument(opts.publicOrigin));
  // Readiness for load balancers and operators: can this instance serve right now, and how.
  app.get('/api/ready', async (c) => {
    const database = (await databaseAnswers(opts.db)) ? 'ok' : 'error';
    const redis = bus.status();
    const media = await mediaReadiness(opts.media);
    const providers = genDeps.catalog.registry.providers.map((p) => ({ id: p.id, models: p.models().length }));
    const body = {
      ok: database === 'ok' && !('error' in media),
      database,
      redis,
      media,
      ...(redis === 'down' ? { warning: 'Redis is unreachable: live edits reach only the clients on this instance until it is back' } : {}),
      providers: [{ id: 'animatic', models: 1 }, ...providers],
      worker: { running: worker.running },
      sync: hub.stats(),
    };
    return c.json(body, body.ok ? 200 : 503);
  });
  app.route('/api/auth/tokens', apiTokenRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.get('/api/me', requireUser(deps), (c) => c.json(c.get('user')));
  app.route('/api/boards/:boardId/invites', boardInviteRoutes(deps));
  app.route('/api/boards/:boardId/review-links', reviewLinkRoutes(deps));
  app.route('/api/guest', guestRoutes({ ...deps, hub, notifier, reviewLinkRules: { ...DEFAULT_REVIEW_LINK_RULES, ...opts.reviewLinks } }));
  app.route('/api/boards/:boardId/assets', boardAssetRoutes(deps));
  app.route('/api/assets', assetRoutes(deps));
  app.route(
    '/api/boards',
    boardRoutes({
      ...deps,
      // The document carries the title and a default model from the start, so every client shows
      // the same name and a new shot has a model that runs here. A rename rewrites the shared
      // title only while it still reads as the old name: once people have typed into it, it is
      // the source (the board client renames the list entry after its own typing), and
      // rewriting it from a request could cut off a teammate's characters typed meanwhile.
      describeBoard: (boardId, { title, isNew, previous }) =>
        hub.change(boardId, (doc) => {
          if (isNew) setMeta(doc, { title, defaultModel: ANIMATIC_MODEL_ID });
          else if (previous === undefined || getMeta(doc).title === previous) setMeta(doc, { title });
        }),
      templates: {
        read: (boardId) => hub.read(boardId, readTemplate),
        write: (boardId, template, title, assets) => hub.change(boardId, (doc) => writeTemplate(doc, template, title, assets)),
      },
    }),
  );
  app.route('/api/invites', inviteRoutes(deps));
  app.route('/api/notifications', notificationRoutes({ ...deps, notifier }));
  app.route('/api', generationRoutes(genDeps, worker));
  app.route('/api', keepAnywayRoutes(genDeps));
  app.route('/api', noteTakeRoutes(genDeps));
  app.route('/api', historyRoutes({ ...deps, hub }));
  app.route('/api', seamRoutes(deps, seams));
  app.route('/api', outgoingWebhookRoutes({ ...deps, webhookAllowHosts: opts.webhooks?.allowHosts ?? [], dispatcher }));
  app.route('/api/webhooks', webhookRoutes(genDeps, worker));
  app.route('/api/boards/:boardId/export', exportRoutes(genDeps));
  app.route('/api/boards/:boardId/timeline-import', timelineImportRoutes(genDeps));
  app.all('/api/*', (c) => {
    throw new AppError('not_found', `No API route ${c.req.method} ${c.req.path}`);
  });

  app.route('/sync', syncRoutes(opts, hub, sessionSockets.track(nodeWs.upgradeWebSocket)));
  mountClient(app, opts.clientDir);

  return {
    app,
    boardEvents,
    hub,
    worker,
    sweepOrphans: (graceMs = orphanGraceMs) => sweep(graceMs),
    attach: (server) => nodeWs.injectWebSocket(server),
    async close() {
      stopAudit();
      if (sweepTimer) clearInterval(sweepTimer);
      genDeps.takes.close();
      await worker.stop();
      await seams.close();
      await dispatcher.close();
      await hub.close();
      await ownStorage?.close?.();
    },
  };
}
