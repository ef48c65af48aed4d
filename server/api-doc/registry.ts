/**
 * Every routes file's descriptions, in the order the document lists them. A new routes file adds
 * its `*.openapi.ts` group here (one line); a new route in an existing file adds one entry to
 * that file's group. test/api/openapi.test.ts fails while a route the app serves is missing.
 */
import { serviceApi } from '../app.openapi.js';
import { assetsApi } from '../assets/assets.openapi.js';
import { apiTokensApi } from '../auth/api-tokens.openapi.js';
import { authApi } from '../auth/auth.openapi.js';
import { boardsApi } from '../boards/boards.openapi.js';
import { invitesApi } from '../boards/invites.openapi.js';
import { exportApi } from '../export/export.openapi.js';
import { timelineImportApi } from '../export/import/import.openapi.js';
import { generationApi } from '../generation/generation.openapi.js';
import { noteTakesApi } from '../generation/note-takes.openapi.js';
import { keepAnywayApi } from '../generation/keep-anyway.openapi.js';
import { providerCallbacksApi } from '../generation/webhooks.openapi.js';
import { historyApi } from '../history/history.openapi.js';
import { notificationsApi } from '../notifications/notifications.openapi.js';
import { outgoingWebhooksApi } from '../outgoing-webhooks/webhooks.openapi.js';
import { guestApi, reviewLinksApi } from '../review-links/review-links.openapi.js';
import { seamsApi } from '../seams/seams.openapi.js';
import { syncApi } from '../sync/sync.openapi.js';
import type { RouteGroup } from './route-doc.js';

export const API_GROUPS: readonly RouteGroup[] = [
  serviceApi,
  authApi,
  apiTokensApi,
  boardsApi,
  invitesApi,
  assetsApi,
  generationApi,
  keepAnywayApi,
  noteTakesApi,
  historyApi,
  seamsApi,
  exportApi,
  timelineImportApi,
  notificationsApi,
  outgoingWebhooksApi,
  reviewLinksApi,
  guestApi,
  providerCallbacksApi,
  syncApi,
];
