import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { ARCHIVED_NOTICE, READ_ONLY_NOTICE, SYNC_MESSAGE } from '../../shared/sync.js';
import { initialState, transition, type ConnectionState } from '../../server/sync/connection-state.js';
import { decodeEnvelope, encodeEnvelope, type Envelope } from '../../server/sync/envelope.js';

const run = (s: ConnectionState, ...events: Parameters<typeof transition>[1][]) => events.reduce(transition, s);

describe('a connection’s life', () => {
  it('an editor is live once its board has loaded, and not before', () => {
    const s = initialState('editor', false);
    expect(s.phase).toBe('loading');
    expect(transition(s, { type: 'loaded' }).phase).toBe('live');
  });

  it('a viewer is read-only once loaded, told it cannot edit', () => {
    const s = run(initialState('viewer', false), { type: 'loaded' });
    expect(s).toMatchObject({ phase: 'read-only', reason: READ_ONLY_NOTICE });
  });

  it('an archived board is read-only even for its owner, and live again once restored', () => {
    const s = run(initialState('owner', true), { type: 'loaded' });
    expect(s).toMatchObject({ phase: 'read-only', reason: ARCHIVED_NOTICE });
    expect(transition(s, { type: 'archived', archived: false }).phase).toBe('live');
  });

  it('a demotion makes a live connection read-only, a promotion makes it live again', () => {
    const live = run(initialState('editor', false), { type: 'loaded' });
    const demoted = transition(live, { type: 'role', role: 'viewer' });
    expect(demoted).toMatchObject({ phase: 'read-only', role: 'viewer' });
    expect(transition(demoted, { type: 'role', role: 'editor' })).toMatchObject({ phase: 'live', role: 'editor' });
  });

  it('once an edit was refused, the connection stays read-only with that reason whatever its role becomes', () => {
    const s = run(initialState('commenter', false), { type: 'loaded' }, { type: 'refused', reason: 'comment-only: no' }, { type: 'role', role: 'owner' });
    expect(s).toMatchObject({ phase: 'read-only', reason: 'comment-only: no', role: 'owner' });
    // The first refusal is what it was told; a later one does not replace it.
    expect(transition(s, { type: 'refused', reason: 'other' })).toMatchObject({ reason: 'comment-only: no' });
  });

  it('a connection waiting on a lookup keeps waiting through a role change, then resumes as its access allows', () => {
    const waiting = run(initialState('editor', false), { type: 'loaded' }, { type: 'wait' }, { type: 'role', role: 'viewer' });
    expect(waiting).toMatchObject({ phase: 'waiting', role: 'viewer' });
    expect(transition(waiting, { type: 'resume' })).toMatchObject({ phase: 'read-only', reason: READ_ONLY_NOTICE });
  });

  it('a loading connection learns role and archived changes without becoming synced', () => {
    const s = run(initialState('editor', false), { type: 'wait' }, { type: 'resume' }, { type: 'role', role: 'viewer' });
    expect(s).toMatchObject({ phase: 'loading', role: 'viewer' });
  });

  it('closed is final: nothing reopens it', () => {
    const closed = run(initialState('owner', false), { type: 'loaded' }, { type: 'close', code: 4405, reason: 'removed' });
    expect(run(closed, { type: 'loaded' }, { type: 'role', role: 'owner' }, { type: 'resume' }, { type: 'close', code: 4503, reason: 'x' })).toEqual({
      phase: 'closed',
      code: 4405,
      reason: 'removed',
    });
  });
});

describe('the sync envelope', () => {
  const samples: Envelope[] = [
    { kind: 'step1', stateVector: Y.encodeStateVector(new Y.Doc()) },
    { kind: 'step2', update: new Uint8Array([0, 0]) },
    { kind: 'update', update: new Uint8Array([1, 2, 3]) },
    { kind: 'awareness', update: new Uint8Array([0]) },
    { kind: 'denied', reason: 'read-only: viewers cannot edit this board' },
    { kind: 'notice', notice: { type: 'role', role: 'viewer', by: { id: 'u1', name: 'Ana' } } },
  ];

  it.each(samples)('reads back what it wrote: $kind', (e) => {
    expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e);
  });

  it('writes the bytes y-protocols writes, so stock clients read them', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(doc);
    const stock = encoding.createEncoder();
    encoding.writeVarUint(stock, SYNC_MESSAGE.sync);
    syncProtocol.writeUpdate(stock, update);
    expect(encodeEnvelope({ kind: 'update', update })).toEqual(encoding.toUint8Array(stock));
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, SYNC_MESSAGE.sync);
    syncProtocol.writeSyncStep1(step1, doc);
    expect(decodeEnvelope(encoding.toUint8Array(step1))).toEqual({ kind: 'step1', stateVector: Y.encodeStateVector(doc) });
  });

  it('names an unknown message type or sync step instead of guessing', () => {
    expect(decodeEnvelope(new Uint8Array([7, 0]))).toEqual({ kind: 'unknown', reason: 'unknown message type 7' });
    expect(decodeEnvelope(new Uint8Array([0, 9, 0]))).toEqual({ kind: 'unknown', reason: 'unknown sync message' });
  });

  it('throws on bytes that are not the protocol: truncated, or a state vector that does not decode', () => {
    expect(() => decodeEnvelope(new Uint8Array([]))).toThrow();
    expect(() => decodeEnvelope(new Uint8Array([0, 2, 50, 1]))).toThrow();
    expect(() => decodeEnvelope(new Uint8Array([0, 0, 3, 200, 200, 200]))).toThrow();
  });
});
