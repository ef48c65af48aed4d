import type { Migration } from 'kysely';
import * as foundation from './2026_11_24_090000_foundation.js';
import * as boardDocuments from './2026_11_24_100000_board_documents.js';
import * as assets from './2026_11_24_110000_assets.js';
import * as jobs from './2026_11_24_120000_jobs.js';
import * as jobsQueueHeads from './2026_11_24_130000_jobs_queue_heads.js';
import * as jobsRecentFinished from './2026_12_06_200000_jobs_recent_finished.js';
import * as sessionDevices from './2026_12_06_210000_session_devices.js';
import * as assetsByCreator from './2026_12_06_211500_assets_by_creator.js';
import * as commenterRole from './2026_12_07_010000_commenter_role.js';
import * as boardsArchived from './2026_12_07_030000_boards_archived.js';
import * as notifications from './2026_12_07_020000_notifications.js';
import * as shotChanges from './2026_12_07_040000_shot_changes.js';
import * as moneyMicroUsd from './2026_12_07_050000_money_micro_usd.js';
import * as jobsQueuePositionAndTakeMirror from './2026_12_07_060000_jobs_queue_position_and_take_mirror.js';
import * as lighterBoardLayout from './2026_12_07_090000_lighter_board_layout.js';
import * as seamScores from './2026_12_07_110000_seam_scores.js';
import * as apiTokens from './2026_12_07_120000_api_tokens.js';
import * as outgoingWebhooks from './2026_12_07_130000_outgoing_webhooks.js';
import * as audioAssets from './2026_12_07_140000_audio_assets.js';
import * as reviewLinks from './2026_12_07_190000_review_links.js';
import * as webhookSecretRotation from './2026_12_07_210000_webhook_secret_rotation.js';
import * as notificationKinds from './2026_12_07_220000_notification_kinds.js';
import * as jobsQueuePlace from './2026_12_07_230000_jobs_queue_place.js';

/**
 * Every migration in order. Listed by hand rather than read from the directory so the set is
 * checked by the compiler and bundles cleanly; add new ones at the end, never edit landed ones.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_24_090000_foundation': foundation,
  '2026_11_24_100000_board_documents': boardDocuments,
  '2026_11_24_110000_assets': assets,
  '2026_11_24_120000_jobs': jobs,
  '2026_11_24_130000_jobs_queue_heads': jobsQueueHeads,
  '2026_12_06_200000_jobs_recent_finished': jobsRecentFinished,
  '2026_12_06_210000_session_devices': sessionDevices,
  '2026_12_06_211500_assets_by_creator': assetsByCreator,
  '2026_12_07_010000_commenter_role': commenterRole,
  '2026_12_07_020000_notifications': notifications,
  '2026_12_07_030000_boards_archived': boardsArchived,
  '2026_12_07_040000_shot_changes': shotChanges,
  '2026_12_07_050000_money_micro_usd': moneyMicroUsd,
  '2026_12_07_060000_jobs_queue_position_and_take_mirror': jobsQueuePositionAndTakeMirror,
  '2026_12_07_090000_lighter_board_layout': lighterBoardLayout,
  '2026_12_07_110000_seam_scores': seamScores,
  '2026_12_07_120000_api_tokens': apiTokens,
  '2026_12_07_130000_outgoing_webhooks': outgoingWebhooks,
  '2026_12_07_140000_audio_assets': audioAssets,
  '2026_12_07_190000_review_links': reviewLinks,
  '2026_12_07_210000_webhook_secret_rotation': webhookSecretRotation,
  '2026_12_07_220000_notification_kinds': notificationKinds,
  '2026_12_07_230000_jobs_queue_place': jobsQueuePlace,
};
