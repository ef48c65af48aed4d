/**
 * The actor rules of the sync server's validator (shared/doc/actor.ts): every update is judged
 * with who sent it. Nobody writes a record as someone else, edits or deletes another's comment
 * (an owner may delete, and the board keeps a record of it), or approves for someone else.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  COMMENT,
  REMOVAL_IS_SERVER_ONLY,
  REMOVAL_RECORD_IS_KEPT,
  SHOT,
  addComment,
  addShot,
  deleteComment,
  listComments,
  recordRemoval,
  resolveComment,
  roots,
  setShotFields,
  statusPatch,
  validateDocument,
  type Actor,
  type ValidationResult,
} from '../../../shared/doc/index.js';
import { EDITOR, applyAsServer, judgeClientEdit, replicaOf, serverCopy, updateSince } from './helpers.js';

const ANA: Actor = { userId: 'user_ana', role: 'editor' };
const OWNER: Actor = { userId: 'user_owner', role: 'owner' };

/** A board with one shot and a comment by Ana on it. */
function makeBoard() {
  const doc = new Y.Doc();
  const shot = addShot(doc, { title: 'A' });
  const mine = addComment(doc, { shotId: shot, author: ANA.userId, text: 'too dark' });
  return { doc, shot, mine };
}

function commentMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return roots(doc).comments.get(id) as Y.Map<unknown>;
}

function refused(verdict: ValidationResult, reason: RegExp | string) {
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) expect(verdict.reason).toMatch(reason);
}

describe('comments carry their real author', () => {
  const { doc, shot, mine } = makeBoard();

  it('a comment written as oneself is accepted', () => {
    expect(judgeClientEdit(doc, (c) => void addComment(c, { shotId: shot, author: EDITOR.userId, text: 'ok' }))).toEqual({ ok: true });
  });
  it('a comment written as someone else is refused, naming the field', () => {
    refused(judgeClientEdit(doc, (c) => void addComment(c, { shotId: shot, author: ANA.userId, text: 'forged' })), /comments\.cmt_\w+\.author: must be your own user id "user_2"/);
  });
  it('a forged author hidden behind a second write of the same key is refused', () => {
    refused(judgeClientEdit(doc, (c) => c.transact(() => {
      const id = addComment(c, { shotId: shot, author: ANA.userId, text: 'forged' });
      commentMap(c, id).set(COMMENT.author, ANA.userId);
    })), /author: must be your own user id/);
  });
  it("nobody changes a comment's author, not even its author", () => {
    refused(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.author, EDITOR.userId)), /author/);
    refused(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.author, EDITOR.userId), ANA), /the author of a record never changes/);
  });
  it("another's text is theirs; the author may edit it", () => {
    refused(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.text, 'rewritten')), /comments\.cmt_\w+\.text: only its author may change this \(others may change: resolved\)/);
    refused(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.atSec, 3)), /atSec: only its author/); // its place in the clip too
    expect(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.text, 'too dark, lift it'), ANA)).toEqual({ ok: true });
  });
  it('anyone who may edit resolves or reopens a thread', () => {
    expect(judgeClientEdit(doc, (c) => resolveComment(c, mine))).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => {
      resolveComment(c, mine);
      resolveComment(c, mine, false);
    })).toEqual({ ok: true });
  });
  it('a resolve that also changes the text is refused whole', () => {
    refused(judgeClientEdit(doc, (c) => c.transact(() => {
      resolveComment(c, mine);
      commentMap(c, mine).set(COMMENT.text, 'sneaked in');
    })), /text: only its author/);
  });
  it('a new comment inside a transaction that also edits the shot is judged too', () => {
    refused(judgeClientEdit(doc, (c) => c.transact(() => {
      setShotFields(c, shot, { durationSec: 7, assignee: ANA.userId });
      addComment(c, { shotId: shot, author: ANA.userId, text: 'forged' });
    })), /author: must be your own user id/);
    // Assignees and other plain fields stay anyone's: the same edit with an honest comment passes.
    expect(judgeClientEdit(doc, (c) => c.transact(() => {
      setShotFields(c, shot, { durationSec: 7, assignee: ANA.userId });
      addComment(c, { shotId: shot, author: EDITOR.userId, text: 'assigned to Ana' });
    }))).toEqual({ ok: true });
  });
  it('clients cannot write who removed a comment', () => {
    refused(judgeClientEdit(doc, (c) => commentMap(c, mine).set(COMMENT.removedBy, ANA.userId), ANA), REMOVAL_IS_SERVER_ONLY);
    refused(judgeClientEdit(doc, (c) => {
      const id = addComment(c, { shotId: shot, author: EDITOR.userId, text: 'x' });
      commentMap(c, id).set(COMMENT.removedBy, OWNER.userId);
    }), REMOVAL_IS_SERVER_ONLY);
  });
});

describe('deleting comments', () => {
  const { doc, mine } = makeBoard();

  it('the author deletes their own, with nothing recorded', () => {
    expect(judgeClientEdit(doc, (c) => void deleteComment(c, mine), ANA)).toEqual({ ok: true });
  });
  it("an editor cannot delete another's", () => {
    refused(judgeClientEdit(doc, (c) => void deleteComment(c, mine)), /comments\.cmt_\w+: only its author or a board owner may delete it/);
  });
  it("an editor cannot delete another's after forging its author in the same update", () => {
    refused(judgeClientEdit(doc, (c) => c.transact(() => {
      commentMap(c, mine).set(COMMENT.author, EDITOR.userId);
      deleteComment(c, mine);
    })), /only its author or a board owner may delete it/);
  });
  it("an editor cannot replace another's under the same id", () => {
    refused(judgeClientEdit(doc, (c) => {
      const copy = new Y.Map<unknown>();
      commentMap(c, mine).forEach((v, k) => copy.set(k, k === COMMENT.author ? EDITOR.userId : v));
      roots(c).comments.set(mine, copy);
    }), /only its author or a board owner may delete it/);
  });
  it("an owner deletes another's, and the server gets the record to keep", () => {
    const verdict = judgeClientEdit(doc, (c) => void deleteComment(c, mine), OWNER);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.removals).toHaveLength(1);
    const [removal] = verdict.removals!;
    expect(removal).toMatchObject({ root: 'comments', key: mine, by: OWNER.userId });
    expect(removal!.record).toMatchObject({ author: ANA.userId, text: '', removedBy: OWNER.userId });
    expect(removal!.record).not.toHaveProperty(COMMENT.resolved); // unresolved: the default, not stored
    expect(Date.parse(String(removal!.record[COMMENT.removedAt]))).not.toBeNaN();
  });
});

describe('the record of a removal', () => {
  /** The board after an owner removed Ana's comment and the server recorded it. */
  function removedBoard() {
    const { doc, shot, mine } = makeBoard();
    const server = serverCopy(doc);
    const owner = replicaOf(doc);
    const sv = Y.encodeStateVector(owner);
    deleteComment(owner, mine);
    const verdict = applyAsServer(server, updateSince(owner, sv), OWNER);
    if (!verdict.ok || !verdict.removals) throw new Error('the owner removal was refused');
    const scribe = replicaOf(server); // the server's write, as the hub makes it after the deletion
    const sv2 = Y.encodeStateVector(scribe);
    recordRemoval(scribe, verdict.removals[0]!);
    expect(applyAsServer(server, updateSince(scribe, sv2), 'server')).toEqual({ ok: true });
    return { doc: server, shot, mine };
  }

  it('shows who removed whose comment, without its text, and is valid', () => {
    const { doc, mine } = removedBoard();
    const [c] = listComments(doc);
    expect(c).toMatchObject({ author: ANA.userId, text: '', removedBy: OWNER.userId });
    expect(validateDocument(doc)).toEqual([]);
  });
  it('cannot be edited, deleted or replaced by anyone, owner or author', () => {
    const { doc, shot, mine } = removedBoard();
    for (const actor of [OWNER, ANA, EDITOR]) {
      refused(judgeClientEdit(doc, (c) => resolveComment(c, mine), actor), REMOVAL_RECORD_IS_KEPT);
      refused(judgeClientEdit(doc, (c) => void deleteComment(c, mine), actor), REMOVAL_RECORD_IS_KEPT);
      refused(judgeClientEdit(doc, (c) => {
        const again = new Y.Map<unknown>();
        const fields = { shotId: shot, author: actor.userId, text: 're-created', createdAt: '2026-12-01T10:00:00Z', resolved: false };
        for (const [k, v] of Object.entries(fields)) again.set(k, v);
        roots(c).comments.set(mine, again);
      }, actor), REMOVAL_RECORD_IS_KEPT);
    }
  });
  it('is not written when the id was taken again meanwhile', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'A' });
    const id = addComment(doc, { shotId: shot, author: ANA.userId, text: 'new' });
    recordRemoval(doc, { root: 'comments', key: id, by: OWNER.userId, record: { id, removedBy: OWNER.userId } });
    expect(listComments(doc)[0]).toMatchObject({ text: 'new', author: ANA.userId });
  });
});

describe('approvals name the approver', () => {
  const { doc, shot } = makeBoard();
  const approvedByAna = (() => {
    const d = replicaOf(doc);
    setShotFields(d, shot, statusPatch('approved', ANA.userId));
    return d;
  })();
  const shotMap = (d: Y.Doc) => roots(d).shots.get(shot) as Y.Map<unknown>;

  it('approving as oneself is accepted; other statuses clear the name', () => {
    expect(judgeClientEdit(doc, (c) => setShotFields(c, shot, statusPatch('approved', EDITOR.userId)))).toEqual({ ok: true });
    expect(judgeClientEdit(approvedByAna, (c) => setShotFields(c, shot, statusPatch('review', EDITOR.userId)))).toEqual({ ok: true });
  });
  it('approving without naming oneself, or naming someone else, is refused', () => {
    refused(judgeClientEdit(doc, (c) => setShotFields(c, shot, { status: 'approved' })), /approvedBy: setting status to "approved" records who did it/);
    refused(judgeClientEdit(doc, (c) => setShotFields(c, shot, statusPatch('approved', ANA.userId))), /approvedBy: must be your own user id "user_2"/);
    refused(judgeClientEdit(approvedByAna, (c) => shotMap(c).set(SHOT.approvedBy, OWNER.userId)), /approvedBy: must be your own user id/);
  });
  it("an approval already one's own needs no new signature", () => {
    expect(judgeClientEdit(approvedByAna, (c) => setShotFields(c, shot, { status: 'approved' }), ANA)).toEqual({ ok: true });
  });
  it('a signature is not removed while the shot stays approved', () => {
    refused(judgeClientEdit(approvedByAna, (c) => shotMap(c).delete(SHOT.approvedBy)), /approvedBy: can only be removed together with changing status/);
  });
  it('a shot created approved must name its approver', () => {
    refused(judgeClientEdit(doc, (c) => void addShot(c, { title: 'B', status: 'approved' })), /approvedBy/);
  });
  it('editors still set assignees and other plain fields on an approved shot', () => {
    expect(judgeClientEdit(approvedByAna, (c) => setShotFields(c, shot, { assignee: OWNER.userId, durationSec: 4 }))).toEqual({ ok: true });
  });
  it('an approval that loses a concurrent merge is still accepted (judged on what was sent)', () => {
    const server = serverCopy(approvedByAna);
    const bo = replicaOf(doc); // Bo had not seen Ana's approval
    const sv = Y.encodeStateVector(bo);
    setShotFields(bo, shot, statusPatch('approved', EDITOR.userId));
    expect(applyAsServer(server, updateSince(bo, sv), 'client')).toEqual({ ok: true });
  });
});
