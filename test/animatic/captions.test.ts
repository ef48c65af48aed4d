import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../server/assets/media.js';
import { renderAnimatic, type AnimaticInput } from '../../server/generation/animatic/index.js';
import { cleanCaptionText, wrapText } from '../../server/assets/captions/caption-text.js';
import { escapeFilterValue } from '../../server/assets/filter-escape.js';
import { grayFrame, meanAbsDiff, rejection, rows, useAnimaticFixtures } from './helpers.js';

const t = useAnimaticFixtures();
let weird: string;
beforeAll(async () => {
  // A directory name that breaks a filter graph unless escaped at both levels.
  weird = path.join(t.fx.dir, "we'ird: dir, [x]; 100% \\ =a ");
  await mkdir(weird);
});

const NASTY_TITLE = `It's "Scene 1": 100% done \\ or %{pts} [x];,=`;
const NASTY_PROMPT = [
  `She says: "don't" — then 50% of the crowd shouts 'NOW!' \\ C:\\path\\to\\file`,
  `%{localtime} %{eif:1+1:d} %% \\n \\\\ :: ;; ,, [in][out] drawtext=text=boom`,
  `tab\there\r\nemoji 🎬 and accents: café, naïve; NUL\u0000end`,
].join('\n');
const shot: AnimaticInput = { durationSec: 2, aspectRatio: '16:9', seed: 21, title: NASTY_TITLE, prompt: NASTY_PROMPT, startFrame: '' };

/** Mean difference of the lower third, mid-shot, between a captioned render and a bare one. */
async function captionInk(file: string, bare: string): Promise<number> {
  const mid = (f: string) => grayFrame(f, 160, 90, 24);
  return meanAbsDiff(rows(await mid(file), 160, 0.6, 1), rows(await mid(bare), 160, 0.6, 1));
}

describe('captions', () => {
  let bare: string;
  beforeAll(async () => {
    bare = t.fx.out('bare.mp4');
    await renderAnimatic(t.media, { ...shot, startFrame: t.fx.start, title: '', prompt: '' }, bare);
  });

  it('user text full of quotes, colons, percents, backslashes and newlines renders, and is drawn', async () => {
    const out = t.fx.out('nasty.mp4');
    await expect(renderAnimatic(t.media, { ...shot, startFrame: t.fx.start }, out)).resolves.toMatchObject({ durationSec: 2 });
    expect(await captionInk(out, bare)).toBeGreaterThan(3);
  });

  it('temp dir, font file and output paths with graph syntax in them', async () => {
    const fontPath = path.join(weird, "font's: [1].ttf");
    await copyFile(t.media.fonts.regular, fontPath);
    const out = path.join(weird, "take: 'one', [1].mp4");
    await renderAnimatic(createMedia({ fontPath }), { ...shot, startFrame: t.fx.start }, out, { tmpDir: weird });
    expect(await captionInk(out, bare)).toBeGreaterThan(3);
  });

  it('cleans up its temp files', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'takeboard-animatic-tmp-'));
    try {
      await renderAnimatic(t.media, { ...shot, startFrame: t.fx.start }, t.fx.out('clean.mp4'), { tmpDir: tmp });
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('caption text', () => {
  it('control characters become spaces, runs collapse', () => {
    expect(cleanCaptionText(' a\nb\r\n\tc\u0000d\u200be  ')).toBe('a b c d e');
  });

  it('wraps at word boundaries, cuts long words, ends cut text with an ellipsis', () => {
    expect(wrapText('the quick brown fox jumps', 10, 3)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapText('abcdefghijklmnop', 6, 5)).toEqual(['abcdef', 'ghijkl', 'mnop']);
    expect(wrapText('one two three four five six', 8, 2)).toEqual(['one two', 'three…']);
    expect(wrapText('abcdefgh ijk', 8, 1)).toEqual(['abcdefg…']);
    expect(wrapText('', 8, 2)).toEqual([]);
  });

  it('composes combining marks (NFC), so drawtext draws the font\'s precomposed letter', () => {
    expect(cleanCaptionText('Zoe\u0308 Łukasiewicz')).toBe('Zoë Łukasiewicz');
  });

  it('filter values: every graph and option metacharacter is escaped', () => {
    expect(escapeFilterValue("/a b/it's:x,[y];z\\")).toBe("/a\\\\\\ b/it\\\\\\'s\\\\:x\\,\\[y\\]\\;z\\\\\\\\");
    expect(() => escapeFilterValue('a\nb')).toThrow();
  });
});
