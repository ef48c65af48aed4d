import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeFilterValue } from '../filter-escape.js';
import { fontFor, type CaptionFonts } from '../fonts.js';
import { cleanCaptionText, wrapText } from './caption-text.js';
import { windowAlphaExpr, type OverlayWindow } from './overlay-window.js';

/** The lower-third caption: drawtext filters to append to the picture's chain. */
export interface Caption {
  filters: string;
}

export interface CaptionRequest {
  /** Directory for the caption's files (text or image); the caller removes it. */
  dir: string;
  width: number;
  height: number;
  title: string;
  prompt: string;
  fonts: CaptionFonts;
  window: OverlayWindow;
}

const TITLE_STYLE = { color: '0x1a1a1a', box: '0xf2c14e@0.92' };
const PROMPT_STYLE = { color: 'white', box: 'black@0.55' };

/** Sizes of the caption for a frame; the frame's shorter side and 16:9 width set the scale. */
function layout(width: number, height: number) {
  const base = Math.min(width, Math.round(height * 1.78));
  const titleSize = Math.min(28, Math.max(14, Math.round(base * 0.032)));
  const promptSize = Math.max(12, Math.round(titleSize * 0.8));
  const margin = Math.max(8, Math.round(Math.min(width, height) * 0.04));
  const pad = Math.max(4, Math.round(promptSize * 0.4));
  const inner = width - 2 * margin - 2 * pad;
  return { titleSize, promptSize, margin, pad, inner, lineGap: Math.round(promptSize * 0.25) };
}

/**
 * Writes what the caption needs into `req.dir` and says how to draw it; null when there is no text.
 * User text only ever reaches ffmpeg through files (drawtext `textfile=`, with `expansion=none` so
 * `%{…}` is not interpreted), never inside the filter graph.
 */
export async function prepareCaption(req: CaptionRequest): Promise<Caption | null> {
  const title = cleanCaptionText(req.title);
  const prompt = cleanCaptionText(req.prompt);
  if (!title && !prompt) return null;
  const L = layout(req.width, req.height);
  const titleLines = title ? wrapText(title, L.inner / (L.titleSize * 0.66), 1) : [];
  const promptLines = prompt ? wrapText(prompt, L.inner / (L.promptSize * 0.58), 3) : [];
  const alpha = windowAlphaExpr(req.window);
  const filters: string[] = [];
  const bottom = L.margin + L.pad;
  if (promptLines.length) {
    const file = path.join(req.dir, 'prompt.txt');
    await writeFile(file, promptLines.join('\n'), 'utf8');
    filters.push(drawtext(file, fontFor(req.fonts, prompt, 'regular'), L.promptSize, PROMPT_STYLE, L, `h-${bottom}-th`, alpha));
  }
  if (titleLines.length) {
    // Stack the title's box 2 px above the prompt's. drawtext's text height is about
    // lines * 0.95 em + line gaps for common sans faces (measured: DejaVu, Liberation).
    const n = promptLines.length;
    const promptBlock = n ? n * (Math.round(L.promptSize * 0.95) + 1) + (n - 1) * L.lineGap + 2 * L.pad + 2 : 0;
    const file = path.join(req.dir, 'title.txt');
    await writeFile(file, titleLines.join('\n'), 'utf8');
    filters.push(drawtext(file, fontFor(req.fonts, title, 'bold'), L.titleSize, TITLE_STYLE, L, `h-${bottom + promptBlock}-th`, alpha));
  }
  return { filters: filters.join(',') };
}

function drawtext(
  textFile: string,
  fontFile: string,
  size: number,
  style: { color: string; box: string },
  L: ReturnType<typeof layout>,
  y: string,
  alpha: string,
): string {
  return [
    `drawtext=fontfile=${escapeFilterValue(fontFile)}`,
    `textfile=${escapeFilterValue(textFile)}`,
    'expansion=none',
    `fontsize=${size}`,
    `fontcolor=${style.color}`,
    `line_spacing=${L.lineGap}`,
    'box=1',
    `boxcolor=${style.box}`,
    `boxborderw=${L.pad}`,
    `x=${L.margin + L.pad}`,
    `y='${y}'`,
    `alpha='${alpha}'`,
  ].join(':');
}
