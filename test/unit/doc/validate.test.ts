import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  SHOT,
  TAKE,
  MISSING_DEPENDENCIES,
  TAKES_ARE_SERVER_ONLY,
  BOARD_UPDATED,
  refKey,
  takeKey,
  addComment,
  addReferenceVersion,
  addShot,
  assignReference,
  createReference,
  deleteReference,
  deleteShot,
  duplicateShot,
  getPromptText,
  moveShot,
  resolveComment,
  roots,
  selectTake,
  setMeta,
  setShotFields,
  shotsInOrder,
  upsertTake,
  validateDocument,
} from '../../../shared/doc/index.js';
import { applyAsServer, judgeClientEdit, replicaOf, serverCopy, updateSince } from './helpers.js';

const TAKE_FIELDS = {
  jobId: 'job_1', model: 'animatic', durationSec: 4, createdBy: 'user_1', createdAt: '2026-11-24T10:00:00.000Z',
};

/** A board with two shots (the first with one server-written take) and a reference. */
function makeBoard() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Night market', defaultModel: 'animatic' });
  const a = addShot(doc, { title: 'A', prompt: 'wide of the market' });
  const b = addShot(doc, { title: 'B', continuesFrom: a });
  upsertTake(doc, a, 'take_1', { ...TAKE_FIELDS, status: 'succeeded' });
  const ref = createReference(doc, { kind: 'character', name: 'Mina' });
  const ver = addReferenceVersion(doc, ref, { beat: 'act 1', assets: ['asset_1'] });
  return { doc, a, b, ref, ver };
}

function shotMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return roots(doc).shots.get(id) as Y.Map<unknown>;
}


describe('validateTransaction accepts normal client edits', () => {
  const { doc, a, b, ref, ver } = makeBoard();
  it.each([
    ['add a shot', (c: Y.Doc) => void addShot(c, { title: 'C', after: a })],
    ['edit prompt text', (c: Y.Doc) => getPromptText(c, a).insert(0, 'night, ')],
    ['assign a reference', (c: Y.Doc) => assignReference(c, b, ref, ver)],
    ['reorder', (c: Y.Doc) => moveShot(c, b, { before: a })],
    ['set fields, unknown ones too', (c: Y.Doc) => {
      setShotFields(c, a, { durationSec: 8, mode: 'reference', shotSize: 'CU', camera: 'push-in' });
      shotMap(c, a).set('x-lighting', { key: 'tungsten' });
    }],
    ['clear an optional field', (c: Y.Doc) => setShotFields(c, b, { continuesFrom: null })],
    ['delete a shot that has takes', (c: Y.Doc) => void deleteShot(c, a)],
    ['duplicate a shot that has takes', (c: Y.Doc) => void duplicateShot(c, a)],
    ['select a take', (c: Y.Doc) => selectTake(c, a, 'take_1')],
    ['add a reference version', (c: Y.Doc) => void addReferenceVersion(c, ref, { beat: 'act 2', assets: [] })],
    ['comment and resolve', (c: Y.Doc) => resolveComment(c, addComment(c, { shotId: a, author: 'user_2', text: 'too dark' }))],
    ['edit meta', (c: Y.Doc) => setMeta(c, { aspectRatio: '9:16', budgetMicroUsd: 50_000_000, sprintEnd: '2026-12-01' })],
  ])('%s', (_name, edit) => {
    expect(judgeClientEdit(doc, edit)).toEqual({ ok: true });
  });
});

describe('validateTransaction rejects', () => {
  const { doc, a, b } = makeBoard();
  const rejects = (edit: (c: Y.Doc) => void, reason: RegExp | string, role: 'client' | 'server' = 'client') => {
    const verdict = judgeClientEdit(doc, edit, role);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  };

  it('a client writing a take', () => {
    rejects((c) => upsertTake(c, b, 'take_forged', { ...TAKE_FIELDS, status: 'succeeded' }), TAKES_ARE_SERVER_ONLY);
  });
  it("a client changing a take's status", () => {
    rejects((c) => upsertTake(c, a, 'take_1', { status: 'failed' }), TAKES_ARE_SERVER_ONLY);
  });
  it('a client deleting a take', () => {
    rejects((c) => shotMap(c, a).delete(takeKey('take_1')), TAKES_ARE_SERVER_ONLY);
  });
  it('a client writing a take record by hand, even a valid one', () => {
    const record = { ...TAKE_FIELDS, status: 'succeeded', costMicroUsd: 0, createdAt: '2026-12-01T10:00:00Z' };
    rejects((c) => shotMap(c, b).set(takeKey('take_hand'), record), TAKES_ARE_SERVER_ONLY);
    expect(judgeClientEdit(doc, (c) => shotMap(c, b).set(takeKey('take_hand'), record), 'server')).toEqual({ ok: true });
  });
  it('a take that is not one plain record, even from the server', () => {
    rejects((c) => shotMap(c, b).set(takeKey('take_x'), new Y.Map()), /take:take_x/, 'server');
    const record = { ...TAKE_FIELDS, costMicroUsd: 0, createdAt: '2026-12-01T10:00:00Z' };
    rejects((c) => shotMap(c, b).set(takeKey('take_x'), { ...record, status: 'lost' }), /take:take_x\.status: expected one of/, 'server');
    rejects((c) => shotMap(c, b).set(takeKey('take_x'), { status: 'queued' }), /take:take_x\.jobId: required/, 'server');
  });
  it('a client creating a shot that already holds a take', () => {
    const handMadeShot = (takeCount: number) => (c: Y.Doc) => {
      const shot = new Y.Map<unknown>();
      const fields = { rank: 'a5', mode: 'text', durationSec: 5, model: 'm', status: 'draft' };
      for (const [k, v] of Object.entries(fields)) shot.set(k, v);
      shot.set(SHOT.title, new Y.Text('hand made'));
      shot.set(SHOT.prompt, new Y.Text());
      for (let i = 0; i < takeCount; i++) shot.set(takeKey(`t${i}`), { ...TAKE_FIELDS, status: 'succeeded', costMicroUsd: 0, createdAt: '2026-12-01T10:00:00Z' });
      roots(c).shots.set('shot_hand', shot);
    };
    expect(judgeClientEdit(doc, handMadeShot(0))).toEqual({ ok: true }); // the control: same shot, no take
    rejects(handMadeShot(1), TAKES_ARE_SERVER_ONLY);
    expect(judgeClientEdit(doc, handMadeShot(1), 'server')).toEqual({ ok: true });
  });
  it('wrong-typed fields', () => {
    rejects((c) => shotMap(c, a).set(SHOT.title, 42), /shots\..*\.title: expected a Y.Text/);
    rejects((c) => shotMap(c, a).set(SHOT.durationSec, 0), /durationSec/);
    rejects((c) => shotMap(c, a).set(SHOT.durationSec, 61), /durationSec/);
    rejects((c) => shotMap(c, a).set(SHOT.durationSec, '5'), /durationSec/);
    rejects((c) => shotMap(c, a).set(SHOT.mode, 'dream'), /mode: expected one of/);
    rejects((c) => shotMap(c, a).set(SHOT.prompt, 'plain string'), /prompt is shared text now/);
    rejects((c) => shotMap(c, a).set(refKey('ref_x'), 7), /ref:ref_x: expected a string/);
    rejects((c) => shotMap(c, a).set(refKey('ref_x'), new Y.Map()), /ref:ref_x: expected a string/);
    rejects((c) => shotMap(c, a).set(SHOT.rank, 'not a rank!'), /rank/);
    rejects((c) => roots(c).meta.set('aspectRatio', '2:1'), /meta\.aspectRatio/);
  });
  it('an outdated client writing the old layout (ids inside, nested refs and takes maps): told to reload', () => {
    const reload = (what: string) => new RegExp(`^${BOARD_UPDATED} \\(${what}`);
    rejects((c) => shotMap(c, a).set('id', a), reload(`shots\\.${a}\\.id is its key in its collection now`));
    rejects((c) => shotMap(c, a).set('refs', new Y.Map([['ref_x', '']])), reload(`shots\\.${a}\\.refs is one ref:<referenceId> key per reference now`));
    rejects((c) => shotMap(c, a).set('takes', new Y.Map()), reload(`shots\\.${a}\\.takes is one take:<takeId> record per take now`));
    // What the old addShot wrote: an id, an empty refs map and an empty takes map.
    rejects((c) => {
      const shot = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ id: 'shot_old', rank: 'a5', mode: 'text', durationSec: 5, model: 'm', status: 'draft' })) shot.set(k, v);
      for (const k of [SHOT.title, SHOT.prompt, SHOT.camera, SHOT.notes]) shot.set(k, new Y.Text());
      shot.set('refs', new Y.Map());
      shot.set('takes', new Y.Map());
      roots(c).shots.set('shot_old', shot);
    }, reload('shots\\.shot_old\\.id'));
    rejects((c) => {
      const comment = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ id: 'cmt_old', shotId: a, author: 'user_2', text: 'hi', createdAt: '2026-12-01T10:00:00Z', resolved: false })) comment.set(k, v);
      roots(c).comments.set('cmt_old', comment);
    }, reload('comments\\.cmt_old\\.id'));
  });
  it('an outdated client writing the retired float budget: told to reload, not silently ignored', () => {
    rejects((c) => roots(c).meta.set('budgetUsd', 12.5), /reload the page \(meta\.budgetUsd is budgetMicroUsd now\)/);
    rejects((c) => roots(c).meta.set('budgetMicroUsd', 12.5), /meta\.budgetMicroUsd: expected a whole number/);
    expect(judgeClientEdit(doc, (c) => roots(c).meta.set('budgetMicroUsd', 12_500_000))).toEqual({ ok: true });
  });
  it('deleting a required field', () => {
    rejects((c) => shotMap(c, a).delete(SHOT.title), /title: required/);
  });
  it('a new shot missing required fields', () => {
    rejects((c) => roots(c).shots.set('shot_bare', new Y.Map()), /shots\.shot_bare\.rank: required/);
  });
  it('an unknown top-level type', () => {
    rejects((c) => c.getMap('evil').set('x', 1), /unknown top-level type "evil"/);
    rejects((c) => c.getText('notes').insert(0, 'hi'), /unknown top-level type "notes"/);
  });
  it('list content inside a known top-level map', () => {
    rejects((c) => {
      const shadow = new Y.Doc(); // a replica whose "shots" was never typed can be made a Y.Array
      Y.applyUpdate(shadow, Y.encodeStateAsUpdate(c));
      const before = Y.encodeStateVector(shadow);
      shadow.getArray('comments').push(['x']);
      Y.applyUpdate(c, updateSince(shadow, before));
    }, /comments: a map cannot hold list content/);
  });
  it('wrong types from the server too', () => {
    rejects((c) => shotMap(c, a).set(SHOT.title, 1), /title/, 'server');
    rejects((c) => shotMap(c, a).set(takeKey('take_1'), { ...(shotMap(c, a).get(takeKey('take_1')) as object), [TAKE.status]: 'done' }), /status: expected one of/, 'server');
  });
});

describe('validateTransaction lets the server write takes', () => {
  const { doc, a, b } = makeBoard();
  it('a new take, a status change, a deletion', () => {
    expect(judgeClientEdit(doc, (c) => upsertTake(c, b, 'take_2', TAKE_FIELDS), 'server')).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => upsertTake(c, a, 'take_1', { status: 'failed', error: 'boom' }), 'server')).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => shotMap(c, a).delete(takeKey('take_1')), 'server')).toEqual({ ok: true });
  });
});

describe('validateTransaction cost and roots', () => {
  it('judges only what the transaction touched', () => {
    const { doc, a, b } = makeBoard();
    shotMap(doc, b).set(SHOT.title, 99); // pre-existing damage elsewhere (written without validation)
    expect(validateDocument(doc)).not.toEqual([]);
    expect(judgeClientEdit(doc, (c) => setShotFields(c, a, { title: 'fine' }))).toEqual({ ok: true });
  });

  it('works whether or not the server typed its roots before loading', () => {
    const { doc, a } = makeBoard();
    for (const typed of [false, true]) {
      const client = replicaOf(doc);
      const before = Y.encodeStateVector(client);
      setShotFields(client, a, { title: 'retitled' });
      const good = applyAsServer(serverCopy(doc, { typed }), updateSince(client, before), 'client');
      expect(good).toEqual({ ok: true });
      const client2 = replicaOf(doc);
      const before2 = Y.encodeStateVector(client2);
      upsertTake(client2, a, 'take_1', { status: 'failed' });
      const server = serverCopy(doc, { typed });
      expect(applyAsServer(server, updateSince(client2, before2), 'client').ok).toBe(false);
      expect(applyAsServer(server, updateSince(client, before), 'client')).toEqual({ ok: true });
      expect(shotsInOrder(server)[0]?.title).toBe('retitled');
    }
  });
});

describe('validateTransaction on one server document over many transactions', () => {
  /** An update `edit` makes on `client`, which then stays as it is (it sees nothing else). */
  const updateOf = (client: Y.Doc, edit: (c: Y.Doc) => void) => {
    const before = Y.encodeStateVector(client);
    edit(client);
    return updateSince(client, before);
  };
  const versionAssets = (c: Y.Doc, ref: string, ver: string) =>
    ((roots(c).references.get(ref) as Y.Map<unknown>).get('versions') as Y.Map<Y.Map<unknown>>).get(ver)!.get('assets') as Y.Array<string>;

  it('does not judge what a concurrent edit made inside a shot or a reference deleted since', () => {
    const { doc, a, ref, ver } = makeBoard();
    const server = serverCopy(doc);
    const stale = replicaOf(doc);
    const other = replicaOf(doc);
    expect(applyAsServer(server, updateOf(stale, (c) => setShotFields(c, a, { durationSec: 8 })), 'client')).toEqual({ ok: true });
    expect(applyAsServer(server, updateOf(stale, (c) => versionAssets(c, ref, ver).push(['asset_2'])), 'client')).toEqual({ ok: true });
    expect(applyAsServer(server, updateOf(other, (c) => { deleteShot(c, a); deleteReference(c, ref); }), 'client')).toEqual({ ok: true });
    // Both would be refused where they were before the deletion.
    expect(applyAsServer(server, updateOf(stale, (c) => shotMap(c, a).set(SHOT.durationSec, 'long')), 'client')).toEqual({ ok: true });
    expect(applyAsServer(server, updateOf(stale, (c) => versionAssets(c, ref, ver).push([''])), 'client')).toEqual({ ok: true });
  });

  it('judges a shot where it is after a move, and refuses the same way again', () => {
    const { doc, a, b } = makeBoard();
    const server = serverCopy(doc);
    const client = replicaOf(doc);
    expect(applyAsServer(server, updateOf(client, (c) => moveShot(c, a, { after: b })), 'client')).toEqual({ ok: true });
    for (let i = 0; i < 2; i++) {
      const verdict = applyAsServer(server, updateOf(replicaOf(server), (c) => shotMap(c, a).set(SHOT.durationSec, 'long')), 'client');
      expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^shots\\.${a}\\.durationSec: `)) });
    }
  });

  it('names a top-level type typed on the server since the last transaction', () => {
    const { doc } = makeBoard();
    const server = serverCopy(doc);
    const client = replicaOf(doc);
    expect(applyAsServer(server, updateOf(client, (c) => c.getMap('evil').set('x', 1)), 'client')).toEqual({ ok: false, reason: 'unknown top-level type "evil"' });
    server.getMap('evil'); // the placeholder is replaced by a typed instance
    expect(applyAsServer(server, updateOf(client, (c) => c.getMap('evil').set('y', 2)), 'client')).toEqual({ ok: false, reason: 'unknown top-level type "evil"' });
  });

  it('judges a known top-level type that arrives after the first transaction', () => {
    const source = new Y.Doc();
    addShot(source, { title: 'A' });
    const server = new Y.Doc();
    const client = replicaOf(source);
    expect(applyAsServer(server, Y.encodeStateAsUpdate(source), 'client')).toEqual({ ok: true });
    expect(server.share.has('meta')).toBe(false);
    expect(applyAsServer(server, updateOf(client, (c) => roots(c).meta.set('title', 1)), 'client')).toEqual({ ok: false, reason: expect.stringMatching(/^meta\.title: /) });
  });
});

describe('validateTransaction and causality', () => {
  it('rejects an update that builds on changes the server has not seen', () => {
    const { doc, b } = makeBoard();
    const client = replicaOf(doc);
    const sv0 = Y.encodeStateVector(client);
    setShotFields(client, b, { title: 'first' });
    const sv1 = Y.encodeStateVector(client);
    getPromptText(client, b).insert(0, 'second');
    const second = updateSince(client, sv1);
    const verdict = applyAsServer(serverCopy(doc), second, 'client');
    expect(verdict).toEqual({ ok: false, reason: MISSING_DEPENDENCIES });
    expect(applyAsServer(serverCopy(doc), updateSince(client, sv0), 'client')).toEqual({ ok: true });
  });

  it('so a parked take write cannot ride in on a later server write', () => {
    const { doc, a } = makeBoard();
    const serverWriter = replicaOf(doc);
    const sv = Y.encodeStateVector(serverWriter);
    upsertTake(serverWriter, a, 'take_2', TAKE_FIELDS);
    const serverUpdate = updateSince(serverWriter, sv);
    const attacker = replicaOf(serverWriter); // pretends to know the server's next write
    const svA = Y.encodeStateVector(attacker);
    upsertTake(attacker, a, 'take_2', { status: 'succeeded', costMicroUsd: 0 });
    const shadow = serverCopy(doc);
    expect(applyAsServer(shadow, updateSince(attacker, svA), 'client').ok).toBe(false);
    expect(applyAsServer(serverCopy(doc), serverUpdate, 'server')).toEqual({ ok: true });
  });
});

describe('validateDocument', () => {
  it('finds nothing wrong in a board built by the accessors', () => {
    expect(validateDocument(makeBoard().doc)).toEqual([]);
  });
  it('lists every problem of a damaged board', () => {
    const { doc, a, b } = makeBoard();
    shotMap(doc, a).set(SHOT.mode, 'dream');
    shotMap(doc, b).delete(SHOT.prompt);
    doc.getMap('stray').set('k', 1);
    const problems = validateDocument(doc);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/mode/);
    expect(problems.join('\n')).toMatch(/prompt: required/);
    expect(problems.join('\n')).toMatch(/unknown top-level type "stray"/);
  });
});
