import { writeFile } from 'node:fs/promises';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixels, toBitmapText } from './bitmap-font.js';
import { wrapText } from './caption-text.js';

type Rgba = readonly [number, number, number, number];
const TITLE = { box: [242, 193, 78, 235] as Rgba, ink: [26, 26, 26, 255] as Rgba };
const PROMPT = { box: [0, 0, 0, 140] as Rgba, ink: [255, 255, 255, 255] as Rgba };

export interface BitmapCaptionRequest {
  title: string;
  prompt: string;
  /** Widest the image may be. */
  maxWidth: number;
  /** Pixels per font pixel. */
  scale: number;
}

/**
 * Draws the caption (title box above prompt box, like the drawtext version) with the bitmap font
 * and writes it as an RGBA PAM image, which ffmpeg reads without any library; returns its size.
 */
export async function writeBitmapCaption(file: string, req: BitmapCaptionRequest): Promise<{ width: number; height: number }> {
  const g = req.scale;
  const cell = (GLYPH_WIDTH + 1) * g;
  const lineHeight = (GLYPH_HEIGHT + 2) * g;
  const pad = 3 * g;
  const perLine = Math.floor((req.maxWidth - 2 * pad + g) / cell);
  const title = req.title ? wrapText(toBitmapText(req.title), perLine, 1, '...') : [];
  const prompt = req.prompt ? wrapText(toBitmapText(req.prompt), perLine, 3, '...') : [];
  const boxes = [
    { lines: title, style: TITLE },
    { lines: prompt, style: PROMPT },
  ].filter((b) => b.lines.length > 0).map((b) => ({
    ...b,
    width: 2 * pad + Math.max(...b.lines.map((l) => l.length)) * cell - g,
    height: 2 * pad + b.lines.length * lineHeight - 2 * g,
  }));
  const gap = 2;
  const width = Math.max(...boxes.map((b) => b.width));
  const height = boxes.reduce((sum, b) => sum + b.height, 0) + gap * (boxes.length - 1);
  const px = Buffer.alloc(width * height * 4);
  const fill = (x0: number, y0: number, w: number, h: number, c: Rgba) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) px.set(c, (y * width + x) * 4);
  };
  let top = 0;
  for (const box of boxes) {
    fill(0, top, box.width, box.height, box.style.box);
    box.lines.forEach((line, row) => {
      [...line].forEach((ch, col) => {
        for (const [gx, gy] of glyphPixels(ch)) {
          fill(pad + col * cell + gx * g, top + pad + row * lineHeight + gy * g, g, g, box.style.ink);
        }
      });
    });
    top += box.height + gap;
  }
  const header = `P7\nWIDTH ${width}\nHEIGHT ${height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n`;
  await writeFile(file, Buffer.concat([Buffer.from(header, 'ascii'), px]));
  return { width, height };
}
