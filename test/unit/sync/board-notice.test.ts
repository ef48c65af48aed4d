/**
 * Board notices (shared/sync.ts) are read by every client from the socket: anything that is not
 * exactly a notice this version knows is ignored, never half-read.
 */
import { describe, expect, it } from 'vitest';
import { COMMENT_ONLY_NOTICE, isRoleRefusal, parseBoardNotice, READ_ONLY_NOTICE } from '../../../shared/sync.js';

describe('parseBoardNotice', () => {
  it('reads the three notices, with or without who made the change', () => {
    expect(parseBoardNotice('{"type":"role","role":"commenter","by":{"id":"u1","name":"Olga"}}')).toEqual({ type: 'role', role: 'commenter', by: { id: 'u1', name: 'Olga' } });
    expect(parseBoardNotice('{"type":"role","role":"viewer"}')).toEqual({ type: 'role', role: 'viewer' });
    expect(parseBoardNotice('{"type":"removed","by":{"id":"u1","name":"Olga"}}')).toEqual({ type: 'removed', by: { id: 'u1', name: 'Olga' } });
    expect(parseBoardNotice('{"type":"members"}')).toEqual({ type: 'members' });
  });

  it('ignores unknown roles and types, junk, and a malformed `by`', () => {
    for (const junk of ['', 'null', '42', '"role"', '{"type":"role","role":"admin"}', '{"type":"role"}', '{"type":"promoted"}', '{', '[]']) {
      expect(parseBoardNotice(junk), junk).toBeNull();
    }
    expect(parseBoardNotice('{"type":"removed","by":{"id":7,"name":"x"}}')).toEqual({ type: 'removed' });
    expect(parseBoardNotice('{"type":"role","role":"editor","by":"Olga"}')).toEqual({ type: 'role', role: 'editor' });
  });
});

it('isRoleRefusal tells a role refusal from any other reason', () => {
  expect(isRoleRefusal(READ_ONLY_NOTICE)).toBe(true);
  expect(isRoleRefusal(`${COMMENT_ONLY_NOTICE} (shots.s1.title: only comments and approvals)`)).toBe(true);
  expect(isRoleRefusal('shots.s1.title: expected a Y.Text')).toBe(false);
  expect(isRoleRefusal(null)).toBe(false);
});
