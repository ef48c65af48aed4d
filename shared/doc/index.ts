/**
 * The board document (docs/document-schema.md): schema constants, typed accessors and
 * server-side validation. Client, server and tests go through this module and never spell a
 * field name by hand. Accessors take the Y.Doc first and wrap every mutation in one transaction.
 */
export * from './schema.js';
export { DocError, DOC_ERROR_CODES, type DocErrorCode } from './errors.js';
export { roots, ensureBoardRoots, type BoardRoots, type DocMap } from './maps.js';
export { compareRanked, isValidRank, placeAt, type Placement, type Ranked } from './rank.js';
export { getMeta, getTitleText, setMeta, type MetaPatch, type MetaView } from './meta.js';
export { BOARD_UPDATED } from './checks.js';
export { asConverter, convertLegacyTexts, legacyTexts } from './texts.js';
export { getShot, shotsInOrder, type ShotView, type StaleAccepted, type TakeTrim } from './shot-view.js';
export { setFadeIn, setLeftOut, setTakeTrim } from './shot-edit.js';
export { CHAIN_STATES, chainOf, chainStates, type ChainShot, type ChainState, type ChainTake, type ShotChain } from './chain.js';
export { moveShot, type ShotPosition } from './shot-order.js';
export { moveReference, rankLegacyReferences } from './reference-order.js';
export {
  addShot,
  deleteShot,
  duplicateShot,
  getNotesText,
  getPromptText,
  getShotText,
  setShotFields,
  setStaleAccepted,
  statusPatch,
  SHOT_SIGNATURES,
  type ShotTextField,
  type ShotInit,
  type ShotPatch,
} from './shots.js';
export { assignReference, unassignReference } from './shot-refs.js';
export { removeBibleEntry, setBibleEntry, setBibleOverride, type Bible, type BibleOverrides } from './bible.js';
export {
  addReferenceVersion,
  createReference,
  deleteReference,
  deleteReferenceVersion,
  getReference,
  getReferenceText,
  getVersionBeatText,
  listReferences,
  renameReferenceVersion,
  setCurrentVersion,
  setReferenceFields,
  setReferenceLocked,
  type ReferenceView,
  type VersionView,
} from './references.js';
export { readTemplate, templateAssets, writeTemplate, type BoardTemplate } from './template.js';
export { getTake, listTakes, selectTake, upsertTake, type TailAttachment, type TakePatch, type TakeSent, type TakeView } from './takes.js';
export {
  addComment,
  commentsAddedIn,
  deleteComment,
  listComments,
  resolveComment,
  type CommentInit,
  type CommentView,
} from './comments.js';
export { REMOVAL_IS_SERVER_ONLY, STALE_ACCEPTED_IS_SERVER_ONLY } from './specs.js';
export { REMOVAL_RECORD_IS_KEPT, recordRemoval, type Actor, type Removal } from './actor.js';
export {
  MISSING_DEPENDENCIES,
  TAKES_ARE_SERVER_ONLY,
  UNKNOWN_ASSET,
  validateDocument,
  validateTransaction,
  type ValidateOptions,
  type ValidationResult,
} from './validate.js';
