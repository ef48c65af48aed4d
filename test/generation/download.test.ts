/** downloadTo: a provider's "clip" must start like a video before anything else sees it. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { downloadTo } from '../../server/generation/finalize.js';
import { ProviderError } from '../../server/generation/providers/provider-error.js';
import { PNG_BASE64 } from '../providers/helpers.js';
import { VIDEO_BYTES } from '../providers/fakes/core.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-download-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const serve = (body: BodyInit) => async () => new Response(body, { headers: { 'content-type': 'video/mp4' } });

it.each([
  ['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>', 'an HTML page'],
  ['an HTML page with leading space', '\n  <html><head><title>403</title></head></html>', 'an HTML page'],
  ['a PNG', Buffer.from(PNG_BASE64, 'base64'), 'an image, image/png'],
  ['a JSON error', '{"error":"expired"}', 'a JSON document'],
  ['an XML error', '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>', 'an XML document'],
  ['an empty body', '', 'empty'],
  ['random bytes', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), 'in no video format we accept'],
])('refuses %s, permanently, in words, and keeps no file', async (_name, body, what) => {
  const file = path.join(dir, 'clip.mp4');
  const err = await downloadTo(serve(body), file, { provider: 'fal' }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).toMatchObject({ kind: 'permanent', code: 'clip_not_video', message: `fal: the finished clip was refused: it is not a video (the download is ${what})` });
  await expect(fs.stat(file)).rejects.toThrow(/ENOENT/);
});

it('keeps a download that starts like a video', async () => {
  const file = path.join(dir, 'ok.mp4');
  await downloadTo(serve(VIDEO_BYTES), file, { provider: 'fal' });
  expect(new Uint8Array(await fs.readFile(file))).toEqual(VIDEO_BYTES);
});
