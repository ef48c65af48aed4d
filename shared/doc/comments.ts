/** Review comments on a shot, optionally on one take at a point in time. */
import * as Y from 'yjs';
import { byThenId, inTransaction, readBool, readChildren, readNum, readStr, requireChild, roots, writeFields } from './maps.js';
import type { DocMap } from './maps.js';
import { COMMENT, ID_PREFIX, newId } from './schema.js';
import { COMMENT_SPEC } from './specs.js';

/** A comment as plain data. */
export interface CommentView {
  id: string;
  shotId: string;
  takeId?: string;
  /** Position in the take's clip, in seconds. */
  atSec?: number;
  author: string;
  text: string;
  createdAt: string;
  resolved: boolean;
  /** User ids the author @mentioned (empty when none). */
  mentions: string[];
  /** Set when a board owner removed someone else's comment: who (user id) and when; `text` is then ''. */
  removedBy?: string;
  removedAt?: string;
  /** Set when a guest left it through a review link: the name they typed (`author` is then their guest id, not a user). */
  guestName?: string;
}

/**
 * `author` must be the sender's own user id: the sync server refuses a comment written as
 * someone else, and any change to it by anyone but its author (others may only resolve it).
 */
export interface CommentInit {
  shotId: string;
  takeId?: string;
  atSec?: number;
  author: string;
  text: string;
  /** User ids @mentioned in `text`; the server notifies those still on the board. */
  mentions?: string[];
  createdAt?: string;
  /** A guest's typed name: only the server writes it (server/review-links/), the sync server refuses it from clients. */
  guestName?: string;
}

/** Adds an unresolved comment on an existing shot and returns its id. */
export function addComment(doc: Y.Doc, init: CommentInit): string {
  const { shots, comments } = roots(doc);
  requireChild(shots, init.shotId, 'shot');
  const id = newId(ID_PREFIX.comment);
  const comment: DocMap = new Y.Map<unknown>();
  const { mentions, ...rest } = init;
  const values = { createdAt: new Date().toISOString(), ...rest, ...(mentions?.length ? { mentions } : {}), resolved: false };
  writeFields(comment, values, COMMENT_SPEC.fields, COMMENT_SPEC.required, 'comment', COMMENT_SPEC.defaults);
  inTransaction(doc, () => comments.set(id, comment));
  return id;
}

/** Marks a comment resolved (or reopens it with `resolved = false`). */
export function resolveComment(doc: Y.Doc, commentId: string, resolved = true): void {
  const comment = requireChild(roots(doc).comments, commentId, 'comment');
  inTransaction(doc, () => writeFields(comment, { resolved }, COMMENT_SPEC.fields, [], `comments.${commentId}`, COMMENT_SPEC.defaults));
}

/**
 * Deletes a comment; false if it did not exist. The sync server allows it to the comment's
 * author and to board owners; an owner's deletion of someone else's comment is kept as a record
 * (the comment without its text, `removedBy`/`removedAt`), which nobody can delete.
 */
export function deleteComment(doc: Y.Doc, commentId: string): boolean {
  const comments = roots(doc).comments;
  if (!comments.has(commentId)) return false;
  inTransaction(doc, () => comments.delete(commentId));
  return true;
}

/** Comments oldest first, optionally only those on one shot and/or take. */
export function listComments(doc: Y.Doc, filter: { shotId?: string; takeId?: string } = {}): CommentView[] {
  return readChildren(roots(doc).comments, readComment, byThenId((c: CommentView) => c.createdAt)).filter(
    (c) => (filter.shotId === undefined || c.shotId === filter.shotId) && (filter.takeId === undefined || c.takeId === filter.takeId),
  );
}

/**
 * The comments a transaction created (the server's validated updates: who to notify). Read after
 * the transaction, so a comment created and deleted in the same one is not there.
 */
export function commentsAddedIn(doc: Y.Doc, tr: Y.Transaction): CommentView[] {
  const comments = roots(doc).comments;
  // Y.Map<unknown> and AbstractType<YEvent<any>> differ only in their event handler types.
  const keys = tr.changed.get(comments as unknown as Y.AbstractType<Y.YEvent<any>>);
  if (!keys) return [];
  const out: CommentView[] = [];
  for (const key of keys) {
    const map = key === null ? undefined : comments.get(key);
    if (!(map instanceof Y.Map) || map._item === null) continue;
    const created = map._item.id.clock >= (tr.beforeState.get(map._item.id.client) ?? 0);
    if (created) out.push(readComment(map as DocMap, key!));
  }
  return out;
}

function readComment(map: DocMap, id: string): CommentView {
  const view: CommentView = {
    id,
    shotId: readStr(map, COMMENT.shotId) ?? '',
    author: readStr(map, COMMENT.author) ?? '',
    text: readStr(map, COMMENT.text) ?? '',
    createdAt: readStr(map, COMMENT.createdAt) ?? '',
    resolved: readBool(map, COMMENT.resolved) ?? false,
    mentions: readMentions(map),
  };
  const takeId = readStr(map, COMMENT.takeId);
  const atSec = readNum(map, COMMENT.atSec);
  const removedBy = readStr(map, COMMENT.removedBy);
  const removedAt = readStr(map, COMMENT.removedAt);
  const guestName = readStr(map, COMMENT.guestName);
  if (takeId !== undefined) view.takeId = takeId;
  if (atSec !== undefined) view.atSec = atSec;
  if (removedBy !== undefined) view.removedBy = removedBy;
  if (removedAt !== undefined) view.removedAt = removedAt;
  if (guestName !== undefined) view.guestName = guestName;
  return view;
}

function readMentions(map: DocMap): string[] {
  const v = map.get(COMMENT.mentions);
  return Array.isArray(v) ? v.filter((id): id is string => typeof id === 'string') : [];
}
