import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia, MediaToolsError, type Media } from '../../server/assets/media.js';
import { fontFor, locateFonts } from '../../server/assets/fonts.js';
import { renderSlate } from '../../server/export/slate.js';
import { frameRate } from '../../shared/sequence/rate.js';
import { grayFrame, meanAbsDiff } from '../animatic/helpers.js';

const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
/** A code point no font has (plane 16 private use): drawtext draws the font's "missing glyph" box. */
const TOFU = '\u{10FFFD}';
const OTHER_TOFU = '\u{10FFFC}';

let dir: string;
let media: Media;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-fonts-'));
  media = createMedia();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('which font: FONT_PATH, then Debian\'s fonts, then fontconfig', () => {
  it('without FONT_PATH: DejaVu Sans from fonts-dejavu-core, regular and bold', () => {
    expect(locateFonts()).toMatchObject({ regular: DEJAVU, bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', source: 'system' });
  });

  it('FONT_PATH wins, for both weights', () => {
    const mono = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
    expect(locateFonts(mono)).toMatchObject({ regular: mono, bold: mono, source: 'env' });
  });

  it('a FONT_PATH that is missing or not a font stops the start, naming it', async () => {
    const notAFont = path.join(dir, 'not-a-font.ttf');
    await writeFile(notAFont, 'plain text');
    for (const bad of ['/nope/font.ttf', notAFont, dir]) {
      expect(() => createMedia({ fontPath: bad })).toThrow(MediaToolsError);
      expect(() => locateFonts(bad)).toThrow(`FONT_PATH=${bad} is not a readable TrueType/OpenType font file; point it at a .ttf/.otf/.ttc font or unset it to use the system's`);
    }
  });

  it('text holding CJK characters gets the CJK face; other text the regular or bold one', () => {
    const fonts = { regular: 'r.ttf', bold: 'b.ttf', cjk: 'cjk.ttc', source: 'system' as const };
    expect(fontFor(fonts, 'Shot 2: 山田 花子', 'bold')).toBe('cjk.ttc');
    expect(fontFor(fonts, 'ソウル / 서울', 'regular')).toBe('cjk.ttc');
    expect(fontFor(fonts, 'Zoë Łukasiewicz', 'bold')).toBe('b.ttf');
    expect(fontFor({ ...fonts, cjk: null }, '山田', 'regular')).toBe('r.ttf');
  });
});

/** The text area of a one-frame slate titled `label`, as grey pixels. */
async function slateText(label: string, m = media): Promise<Buffer> {
  const work = await mkdtemp(path.join(dir, 'slate-'));
  const out = path.join(work, 'slate.mp4');
  await renderSlate(m, { width: 640, height: 360, rate: frameRate(24), frames: 1, label, reason: '' }, work, out);
  const frame = await grayFrame(out, 640, 360);
  return frame.subarray(280 * 640);
}

/** `text` with every character outside ASCII replaced by one no font has. */
const tofu = (text: string) => [...text].map((c) => (c.charCodeAt(0) < 128 ? c : TOFU)).join('');

describe('names render in their own letters, not as boxes', () => {
  it('the comparison can tell: two different missing characters draw the same box', async () => {
    expect((await slateText(`Ярослава ${TOFU}`)).equals(await slateText(`Ярослава ${OTHER_TOFU}`))).toBe(true);
  });

  /** Replaces one letter outside ASCII at a time with the missing character: had it no glyph, both pictures would be the same. */
  async function expectEveryLetterDrawn(name: string): Promise<Buffer> {
    const drawn = await slateText(name);
    const chars = [...name];
    for (const [i, c] of chars.entries()) {
      if (c.charCodeAt(0) < 128) continue;
      const boxed = await slateText(chars.map((x, j) => (j === i ? TOFU : x)).join(''));
      expect(meanAbsDiff(drawn, boxed), `"${c}" in ${name}`).toBeGreaterThan(0.05);
    }
    return drawn;
  }

  for (const name of ['Zoë Łukasiewicz', 'Ярослава', 'Ελένη', 'Željko Ćosić', 'Ørjan Ødegård']) {
    it(`"${name}": every letter outside ASCII is drawn from the font, none as the missing-glyph box`, async () => {
      const drawn = await expectEveryLetterDrawn(name);
      expect(meanAbsDiff(drawn, await slateText(tofu(name)))).toBeGreaterThan(0.2);
    }, 60_000);
  }

  it('a decomposed "ë" (e + combining diaeresis) draws as the precomposed letter', async () => {
    expect((await slateText('Zoe\u0308')).equals(await slateText('Zoë'))).toBe(true);
  });

  it('CJK text is drawn with the CJK font (fonts-wqy-zenhei), where DejaVu alone shows boxes', async () => {
    expect(media.fonts.cjk, 'a CJK font: apt-get install fonts-wqy-zenhei').toMatch(/\.tt[cf]$/);
    const name = '山田 花子';
    const drawn = await expectEveryLetterDrawn(name);
    const latinOnly = { ...media, fonts: { ...media.fonts, cjk: null } };
    expect(meanAbsDiff(drawn, await slateText(name, latinOnly))).toBeGreaterThan(0.2);
  }, 60_000);
});
