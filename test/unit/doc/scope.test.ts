/**
 * What each role may write at all (shared/doc/scope.ts), as the sync server judges a client's
 * update. A commenter comments, resolves their own threads and approves a take; nothing else.
 * A viewer writes nothing. Refusals say it was the role, so the UI can say so too.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COMMENT_ONLY_NOTICE, READ_ONLY_NOTICE } from '../../../shared/sync.js';
import {
  addComment,
  addShot,
  createReference,
  deleteComment,
  getShotText,
  resolveComment,
  roots,
  selectTake,
  setMeta,
  setShotFields,
  statusPatch,
  upsertTake,
  type Actor,
  type ValidationResult,
} from '../../../shared/doc/index.js';
import { judgeClientEdit } from './helpers.js';

const CORA: Actor = { userId: 'user_cora', role: 'commenter' };
const VIC: Actor = { userId: 'user_vic', role: 'viewer' };
const ED: Actor = { userId: 'user_ed', role: 'editor' };

/** A board with a shot holding two finished takes, a comment by Cora and one by Ed. */
function makeBoard() {
  const doc = new Y.Doc();
  const shot = addShot(doc, { title: 'Opening', prompt: 'a quiet street' });
  for (const id of ['take_1', 'take_2']) upsertTake(doc, shot, id, { jobId: `job_${id}`, model: 'animatic', durationSec: 4, createdBy: ED.userId, status: 'succeeded' });
  const hers = addComment(doc, { shotId: shot, author: CORA.userId, text: 'too dark' });
  const his = addComment(doc, { shotId: shot, author: ED.userId, text: 'trim the end' });
  return { doc, shot, hers, his };
}

function commentOnly(verdict: ValidationResult, field: RegExp) {
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) {
    expect(verdict.reason.startsWith(COMMENT_ONLY_NOTICE)).toBe(true);
    expect(verdict.reason).toMatch(field);
  }
}

const approve = (shot: string, take: string, who: Actor) => (c: Y.Doc) => {
  selectTake(c, shot, take);
  setShotFields(c, shot, statusPatch('approved', who.userId));
};

describe('a commenter', () => {
  const { doc, shot, hers, his } = makeBoard();

  it('comments, and deletes and edits their own comments', () => {
    expect(judgeClientEdit(doc, (c) => void addComment(c, { shotId: shot, takeId: 'take_1', atSec: 1.5, author: CORA.userId, text: 'the cut at 1.5 s jumps' }), CORA)).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => void deleteComment(c, hers), CORA)).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => (roots(c).comments.get(hers) as Y.Map<unknown>).set('text', 'much too dark'), CORA)).toEqual({ ok: true });
  });

  it('resolves and reopens their own threads, not anyone else’s', () => {
    expect(judgeClientEdit(doc, (c) => resolveComment(c, hers), CORA)).toEqual({ ok: true });
    commentOnly(judgeClientEdit(doc, (c) => resolveComment(c, his), CORA), /comments\.cmt_\w+: only your own comments and threads/);
    // An editor still resolves anyone's thread.
    expect(judgeClientEdit(doc, (c) => resolveComment(c, hers), ED)).toEqual({ ok: true });
  });

  it('cannot write a comment as someone else or delete another’s (the author rules still hold)', () => {
    expect(judgeClientEdit(doc, (c) => void addComment(c, { shotId: shot, author: ED.userId, text: 'forged' }), CORA).ok).toBe(false);
    expect(judgeClientEdit(doc, (c) => void deleteComment(c, his), CORA).ok).toBe(false);
  });

  it('approves a take: selects it and signs the approval, and may approve another take later', () => {
    expect(judgeClientEdit(doc, approve(shot, 'take_1', CORA), CORA)).toEqual({ ok: true });
    const approved = new Y.Doc();
    Y.applyUpdate(approved, Y.encodeStateAsUpdate(doc));
    approve(shot, 'take_1', CORA)(approved);
    expect(judgeClientEdit(approved, approve(shot, 'take_2', CORA), CORA)).toEqual({ ok: true });
  });

  it('cannot approve as someone else, approve without signing, or pick a take without approving', () => {
    expect(judgeClientEdit(doc, approve(shot, 'take_1', ED), CORA).ok).toBe(false);
    commentOnly(judgeClientEdit(doc, (c) => selectTake(c, shot, 'take_2'), CORA), /status: you may set it to "approved" only/);
    commentOnly(judgeClientEdit(doc, (c) => (roots(c).shots.get(shot) as Y.Map<unknown>).set('status', 'approved'), CORA), /approvedBy/);
  });

  it('cannot move a shot to another status or undo an approval', () => {
    commentOnly(judgeClientEdit(doc, (c) => setShotFields(c, shot, statusPatch('review', CORA.userId)), CORA), /status: you may set it to "approved" only/);
  });

  it('cannot edit a shot: text, fields, order, new shots, deleting one', () => {
    commentOnly(judgeClientEdit(doc, (c) => getShotText(c, shot, 'title')!.insert(0, 'New '), CORA), /shots\.shot_\w+\.title/);
    commentOnly(judgeClientEdit(doc, (c) => setShotFields(c, shot, { durationSec: 3 }), CORA), /durationSec: a shot only takes your approval/);
    commentOnly(judgeClientEdit(doc, (c) => void addShot(c, { title: 'Sneaky' }), CORA), /shots: only comments and approvals/);
    commentOnly(judgeClientEdit(doc, (c) => roots(c).shots.delete(shot), CORA), /shots/);
  });

  it('cannot touch references or the board’s settings', () => {
    commentOnly(judgeClientEdit(doc, (c) => void createReference(c, { kind: 'character', name: 'Zoë' }), CORA), /references/);
    commentOnly(judgeClientEdit(doc, (c) => setMeta(c, { budgetMicroUsd: 1_000_000 }), CORA), /meta/);
  });

  it('an editor may do all of it', () => {
    expect(judgeClientEdit(doc, (c) => setShotFields(c, shot, { durationSec: 3 }), ED)).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => void addShot(c, { title: 'More' }), ED)).toEqual({ ok: true });
  });
});

describe('a viewer', () => {
  const { doc, shot } = makeBoard();
  it('writes nothing, not even a comment or an approval', () => {
    for (const edit of [
      (c: Y.Doc) => void addComment(c, { shotId: shot, author: VIC.userId, text: 'hi' }),
      approve(shot, 'take_1', VIC),
      (c: Y.Doc) => setShotFields(c, shot, { durationSec: 3 }),
    ]) {
      const verdict = judgeClientEdit(doc, edit, VIC);
      expect(verdict).toEqual({ ok: false, reason: READ_ONLY_NOTICE });
    }
  });
});
