/**
 * The font files ffmpeg's drawtext draws every burnt-in text with (animatic captions, export
 * slates). Order: FONT_PATH, then where Debian packages put their sans faces (fonts-dejavu-core
 * first: Latin with diacritics, Greek and Cyrillic; the system's copy gets its updates), then the
 * same DejaVu faces shipped in the `dejavu-fonts-ttf` npm package (so `npm install && npm start`
 * draws text on a machine with no fonts), then whatever fontconfig (`fc-match`) offers.
 * Fonts always go to drawtext as files: a static ffmpeg's own fontconfig cannot be relied on.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaToolsError } from './media-tools.js';

export interface CaptionFonts {
  regular: string;
  /** The bold face of the same family; the regular file when there is none (or with FONT_PATH). */
  bold: string;
  /** A face covering Chinese, Japanese and Korean, for text holding them; null when none is installed. */
  cjk: string | null;
  source: 'env' | 'system' | 'package' | 'fontconfig';
}

/** Regular and bold faces where Debian's font packages install them, in order of preference. */
const DEBIAN_FACES: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf', '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/freefont/FreeSans.ttf', '/usr/share/fonts/truetype/freefont/FreeSansBold.ttf'],
];
/** CJK faces from Debian (fonts-wqy-zenhei, fonts-noto-cjk, fonts-wqy-microhei). */
const DEBIAN_CJK = [
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
];
/** Outline formats FreeType draws; fontconfig may also offer bitmap fonts without most scripts. */
const OUTLINE = /\.(ttf|otf|ttc)$/i;
const CJK_TEXT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export const FONT_HINT = 'install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set FONT_PATH to a .ttf/.otf file';

/** Finds the fonts; a MediaToolsError naming FONT_PATH when it is unreadable, or saying what to install when none exists. */
export function locateFonts(fontPath?: string): CaptionFonts {
  const cjk = DEBIAN_CJK.find(readable) ?? fontconfig(['fc-list', ':lang=zh', 'file']);
  if (fontPath !== undefined) {
    const file = path.resolve(fontPath);
    // drawtext would not say: given a file FreeType cannot open, it quietly falls back to fontconfig's default.
    if (!readable(file)) throw new MediaToolsError(`FONT_PATH=${fontPath} is not a readable TrueType/OpenType font file; point it at a .ttf/.otf/.ttc font or unset it to use the system's`);
    return { regular: file, bold: file, cjk, source: 'env' };
  }
  const found = DEBIAN_FACES.find(([regular]) => readable(regular));
  if (found) return { regular: found[0], bold: readable(found[1]) ? found[1] : found[0], cjk, source: 'system' };
  const shipped = packagedDejaVu();
  if (shipped) return { ...shipped, cjk, source: 'package' };
  const regular = fontconfig(['fc-match', '-f', '%{file}', 'sans-serif:style=Regular']);
  if (!regular) throw new MediaToolsError(`No font for text in media: FONT_PATH is not set and no TrueType/OpenType font is installed; ${FONT_HINT}`);
  return { regular, bold: fontconfig(['fc-match', '-f', '%{file}', 'sans-serif:bold']) ?? regular, cjk, source: 'fontconfig' };
}

/** The face for `text`: the CJK one when the text holds CJK characters and one exists. */
export function fontFor(fonts: CaptionFonts, text: string, weight: 'regular' | 'bold'): string {
  return fonts.cjk && CJK_TEXT.test(text) ? fonts.cjk : fonts[weight];
}

/** DejaVu Sans from the `dejavu-fonts-ttf` dependency; null when it is not installed (a pruned tree). */
function packagedDejaVu(): { regular: string; bold: string } | null {
  try {
    const require = createRequire(import.meta.url);
    const regular = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
    const bold = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
    return readable(regular) ? { regular, bold: readable(bold) ? bold : regular } : null;
  } catch {
    return null;
  }
}

/** The first outline font file a fontconfig command prints; null without fontconfig or a match. */
function fontconfig([cmd, ...args]: string[]): string | null {
  try {
    const out = execFileSync(cmd!, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const file = out.split('\n').map((l) => l.replace(/:\s*$/, '').trim()).find((f) => OUTLINE.test(f) && readable(f));
    return file ?? null;
  } catch {
    return null;
  }
}

/** The first four bytes of a TrueType, OpenType (CFF) or collection file. */
const FONT_MAGIC = ['00010000', '74727565', '4f54544f', '74746366'];

/** Whether `file` is a readable file that starts like a font FreeType draws. */
function readable(file: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(file).isFile()) return false;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && FONT_MAGIC.includes(head.toString('hex'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
