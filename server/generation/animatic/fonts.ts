import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from '../../assets/media.js';

export interface CaptionFonts {
  regular: string;
  bold: string;
}

/**
 * Regular and bold faces where common systems keep them (Debian/Ubuntu packages, Fedora, Alpine,
 * Arch, macOS). A fresh minimal Debian has none of them: then captions use the bitmap font.
 */
const CANDIDATES: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf', '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/freefont/FreeSans.ttf', '/usr/share/fonts/truetype/freefont/FreeSansBold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/noto/NotoSans-Regular.ttf', '/usr/share/fonts/noto/NotoSans-Bold.ttf'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'],
  ['/Library/Fonts/Arial.ttf', '/Library/Fonts/Arial Bold.ttf'],
];

const readable = (file: string) => access(file, constants.R_OK).then(() => true, () => false);

/**
 * The fonts for drawtext: `explicit` when given (bold = the same file; unreadable is an
 * `invalid_argument` error), otherwise the first installed candidate; `null` when told not to
 * use one (`explicit === null`) or when none is installed.
 * Fonts are always passed as files: the static ffmpeg's fontconfig cannot be relied on.
 */
export async function findCaptionFonts(explicit?: string | null): Promise<CaptionFonts | null> {
  if (explicit === null) return null;
  if (explicit !== undefined) {
    const file = path.resolve(explicit);
    if (!(await readable(file))) throw new MediaError('invalid_argument', `font file not readable: ${explicit}`);
    return { regular: file, bold: file };
  }
  for (const [regular, bold] of CANDIDATES) {
    if (await readable(regular)) return { regular, bold: (await readable(bold)) ? bold : regular };
  }
  return null;
}
