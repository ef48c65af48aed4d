import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/api.js';
import { ARCHIVED_NOTICE } from '../../shared/sync.js';
import {
  addComment, addReferenceVersion, addShot, assignReference, createReference, getMeta, listComments, listReferences, listTakes,
  selectTake, setMeta, setShotFields, shotsInOrder, statusPatch, upsertTake,
} from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';

let srv: TestServer;
let fx: MediaFixtures;
beforeAll(async () => {
  fx = await makeMediaFixtures();
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
}, 60_000);
afterAll(async () => {
  await srv.close();
  await fx.cleanup();
});

async function ownerAndEditor() {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const editor = await signedUpClient(srv.url, { name: 'Emil' });
  const boardId = await createBoard(owner.client, 'Harbour');
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  return { owner, editor, boardId };
}

const listed = async (c: TestClient, query = '') => ((await c.get(`/api/boards${query}`)).body as { id: string; archivedAt: string | null }[]);

describe('renaming a board', () => {
  it('is for owners; empty, too long or wrongly typed names are refused naming the field', async () => {
    const { owner, editor, boardId } = await ownerAndEditor();
    const res = await owner.client.patch(`/api/boards/${boardId}`, { title: '  Harbour at dusk ' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Harbour at dusk');
    expect(await srv.takeboard.hub.read(boardId, (d) => getMeta(d).title)).toBe('Harbour at dusk');
    const denied = await editor.client.patch(`/api/boards/${boardId}`, { title: 'Mine now' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/owner role/);
    for (const [body, field, words] of [
      [{ title: '   ' }, 'title', /is required/],
      [{ title: 'x'.repeat(LIMITS.boardTitleMaxLength + 1) }, 'title', new RegExp(`at most ${LIMITS.boardTitleMaxLength} characters`)],
      [{ title: 42 }, 'title', /board name/],
      [{ archived: 'yes' }, 'archived', /true \(archive\) or false \(restore\)/],
    ] as const) {
      const bad = await owner.client.patch(`/api/boards/${boardId}`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error).toMatchObject({ field, message: expect.stringMatching(words) });
    }
    const empty = await owner.client.patch(`/api/boards/${boardId}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/title, archived/);
    expect((await owner.client.get(`/api/boards/${boardId}`)).body.title).toBe('Harbour at dusk');
  });
});

describe('archiving a board', () => {
  it('hides it from the list unless asked, makes it read-only over HTTP and sync, and restores', async () => {
    const { owner, editor, boardId } = await ownerAndEditor();
    let shotId = '';
    await srv.takeboard.hub.change(boardId, (d) => void (shotId = addShot(d, { title: 'Pier', prompt: 'a pier', model: 'animatic', durationSec: 1 })));
    const ce = connectBoard(srv.url, boardId, editor.client);
    await ce.synced();
    try {
      expect((await editor.client.patch(`/api/boards/${boardId}`, { archived: true })).status).toBe(403);
      const archived = await owner.client.patch(`/api/boards/${boardId}`, { archived: true });
      expect(archived.status).toBe(200);
      expect(archived.body.archivedAt).toEqual(expect.any(String));

      expect((await listed(editor.client)).map((b) => b.id)).not.toContain(boardId);
      expect((await listed(editor.client, '?archived=include')).find((b) => b.id === boardId)?.archivedAt).toEqual(expect.any(String));
      const badQuery = await editor.client.get('/api/boards?archived=all');
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.error).toMatchObject({ field: 'archived', message: 'archived: one of exclude, include' });

      // Read-only: writes over HTTP are refused with the reason; reads still work.
      const gen = await editor.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
      expect(gen.status).toBe(409);
      expect(gen.body.error.message).toMatch(/archived, so it is read-only/);
      expect((await owner.client.patch(`/api/boards/${boardId}`, { title: 'Renamed' })).status).toBe(409);
      expect((await editor.client.get(`/api/boards/${boardId}/costs`)).status).toBe(200);

      // The editor's open socket refuses edits now, saying why (the role itself is unchanged).
      await waitFor(() => ce.notices.some((n) => n.type === 'archived' && n.archived), 'the socket to be told the board is archived');
      expect(ce.notices.filter((n) => n.type === 'role').map((n) => n.type === 'role' && n.role)).toEqual(['editor']);
      addShot(ce.doc, { title: 'Sneaked in while archived' });
      await waitFor(() => ce.denied.includes(ARCHIVED_NOTICE), 'the archived refusal');
      expect(await srv.takeboard.hub.read(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['Pier']);
      ce.provider.disconnect();

      // Restoring (and renaming in the same request) gives editing back.
      const restored = await owner.client.patch(`/api/boards/${boardId}`, { archived: false, title: 'Harbour II' });
      expect(restored.body).toMatchObject({ archivedAt: null, title: 'Harbour II' });
      expect((await listed(editor.client)).map((b) => b.id)).toContain(boardId);
      const again = await editor.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
      expect(again.status).toBe(202);
      const fresh = connectBoard(srv.url, boardId, editor.client);
      await fresh.synced();
      const marker = addShot(fresh.doc, { title: 'After restore' });
      await waitFor(() => srv.takeboard.hub.read(boardId, (d) => shotsInOrder(d).some((s) => s.id === marker)), 'edit stored after restore');
      fresh.destroy();
    } finally {
      ce.destroy();
    }
  });
});

describe('deleting a board', () => {
  it('is for owners only, archived or not', async () => {
    const { owner, editor, boardId } = await ownerAndEditor();
    await owner.client.patch(`/api/boards/${boardId}`, { archived: true });
    expect((await editor.client.delete(`/api/boards/${boardId}`)).status).toBe(403);
    expect((await owner.client.delete(`/api/boards/${boardId}`)).status).toBe(204);
    expect((await owner.client.get(`/api/boards/${boardId}`)).status).toBe(404);
  });
});

describe('duplicating a board as a template', () => {
  it('gives any member a board of their own with settings, references, assets and shots, without takes, comments or approvals', async () => {
    const { owner, boardId } = await ownerAndEditor();
    const viewer = await signedUpClient(srv.url, { name: 'Vera' });
    await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(fx.png))]), 'hero.png');
    const asset = (await owner.client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form })).body as { id: string };
    const src = { wide: '', close: '', hero: '', v1: '', v2: '' };
    await srv.takeboard.hub.change(boardId, (d) => {
      setMeta(d, { budgetMicroUsd: 40_000_000, aspectRatio: '9:16', sprintStart: '2026-12-01T00:00:00.000Z', sprintEnd: '2026-12-09T00:00:00.000Z' });
      src.hero = createReference(d, { kind: 'character', name: 'Hero', description: 'red coat' });
      src.v1 = addReferenceVersion(d, src.hero, { beat: 'day', assets: [asset.id], createdAt: '2026-12-01T10:00:00.000Z' });
      src.v2 = addReferenceVersion(d, src.hero, { beat: 'night', assets: [asset.id], createdAt: '2026-12-01T11:00:00.000Z' });
      src.wide = addShot(d, { title: 'Wide', prompt: 'the harbour', mode: 'image', startFrame: asset.id, model: 'animatic', status: 'ready' });
      src.close = addShot(d, { title: 'Close', prompt: 'her face', model: 'animatic' });
      assignReference(d, src.close, src.hero, src.v1);
      setShotFields(d, src.close, { continuesFrom: src.wide, assignee: owner.user.id, ...statusPatch('approved', owner.user.id) });
      upsertTake(d, src.close, 'take_1', { jobId: 'job_1', status: 'succeeded', model: 'animatic', durationSec: 1, costMicroUsd: 0, createdBy: owner.user.id, createdAt: new Date().toISOString() });
      selectTake(d, src.close, 'take_1');
      addComment(d, { shotId: src.close, author: owner.user.id, text: 'love it' });
    });

    const bad = await viewer.client.post(`/api/boards/${boardId}/duplicate`, { title: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('title');

    const res = await viewer.client.post(`/api/boards/${boardId}/duplicate`, { title: 'Harbour template' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: 'Harbour template', role: 'owner' });
    const copyId = res.body.id as string;
    expect((await owner.client.get(`/api/boards/${copyId}`)).status).toBe(404); // members are not copied
    expect((await viewer.client.get(`/api/boards/${copyId}/members`)).body.map((m: { name: string }) => m.name)).toEqual(['Vera']);

    const copy = await srv.takeboard.hub.read(copyId, (d) => ({
      meta: getMeta(d), shots: shotsInOrder(d), refs: listReferences(d), comments: listComments(d),
      takes: shotsInOrder(d).flatMap((s) => listTakes(d, s.id)),
    }));
    expect(copy.meta).toMatchObject({ title: 'Harbour template', budgetMicroUsd: 40_000_000, aspectRatio: '9:16' });
    expect(copy.meta.sprintStart).toBeUndefined();
    expect(copy.takes).toEqual([]);
    expect(copy.comments).toEqual([]);
    expect(copy.shots.map((s) => [s.title, s.prompt, s.status])).toEqual([['Wide', 'the harbour', 'ready'], ['Close', 'her face', 'draft']]);
    const [wide, close] = copy.shots;
    expect(close).not.toHaveProperty('approvedBy');
    expect(close).not.toHaveProperty('assignee');
    expect(close).not.toHaveProperty('selectedTake');
    expect(close!.continuesFrom).toBe(wide!.id);
    expect(copy.refs).toHaveLength(1);
    const hero = copy.refs[0]!;
    expect(hero).toMatchObject({ name: 'Hero', description: 'red coat', kind: 'character' });
    expect(hero.versions.map((v) => v.beat)).toEqual(['day', 'night']);
    expect(hero.currentVersion).toBe(hero.versions[0]!.id);
    expect(close!.refs).toEqual({ [hero.id]: hero.versions[0]!.id });
    // The image is the copy's own asset: readable by its owner, who could not read the original.
    const copiedAsset = hero.versions[0]!.assets[0]!;
    expect(copiedAsset).not.toBe(asset.id);
    expect(wide!.startFrame).toBe(copiedAsset);
    expect((await viewer.client.get(`/api/assets/${copiedAsset}`)).status).toBe(200);
    expect((await owner.client.get(`/api/assets/${copiedAsset}`)).status).toBe(404);

    // The source is untouched.
    const source = await srv.takeboard.hub.read(boardId, (d) => ({ takes: listTakes(d, src.close).length, comments: listComments(d).length }));
    expect(source).toEqual({ takes: 1, comments: 1 });
  });
});

describe('duplicating over quota', () => {
  it('is refused with the quota named and leaves no half-made board', async () => {
    const png = (await fs.stat(fx.png)).size;
    const small = await startTestServer({ app: { generation: { startWorker: false }, storage: { userQuotaBytes: png + 10 } } });
    try {
      const owner = await signedUpClient(small.url, { name: 'Olga' });
      const other = await signedUpClient(small.url, { name: 'Oskar' });
      const boardId = await createBoard(owner.client, 'Harbour');
      await joinWithRole(owner.client, other.client, boardId, 'viewer');
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(await fs.readFile(fx.png))]), 'hero.png');
      const own = (await owner.client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form })).body as { id: string };
      await small.takeboard.hub.change(boardId, (d) => {
        const ref = createReference(d, { kind: 'character', name: 'Hero' });
        addReferenceVersion(d, ref, { beat: 'day', assets: [own.id] });
      });
      // Oskar's own upload elsewhere fills most of his quota; the copy would not fit.
      const mine = await createBoard(other.client, 'Mine');
      expect((await other.client.request('POST', `/api/boards/${mine}/assets`, undefined, { raw: form })).status).toBe(201);
      const res = await other.client.post(`/api/boards/${boardId}/duplicate`, { title: 'Copy' });
      expect(res.status).toBe(507);
      expect(res.body.error.message).toMatch(/quota/);
      expect((await other.client.get('/api/boards')).body.map((b: { title: string }) => b.title).sort()).toEqual(['Harbour', 'Mine']);
    } finally {
      await small.close();
    }
  });
});
