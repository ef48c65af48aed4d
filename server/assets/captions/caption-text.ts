/** Caption text: cleaned, shortened and wrapped before it reaches any renderer. */

const MAX_INPUT_CHARS = 2000;

/**
 * One line of plain text: control characters (newlines, tabs, NUL, …) become spaces, runs collapse.
 * Composed (NFC), so "e" + combining diaeresis is drawn as the font's "ë": drawtext places each
 * code point on its own and does not stack combining marks.
 */
export function cleanCaptionText(text: string): string {
  return Array.from(text.slice(0, MAX_INPUT_CHARS).normalize('NFC'))
    .map((ch) => (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch) ? ' ' : ch))
    .join('')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Greedy word wrap to `maxChars` per line (counted in code points), at most `maxLines` lines; a
 * word longer than a line is cut, and text that does not fit ends in `ellipsis`.
 */
export function wrapText(text: string, maxChars: number, maxLines: number, ellipsis = '…'): string[] {
  const width = Math.max(4, Math.floor(maxChars));
  const words = text.split(' ').filter(Boolean).flatMap((w) => chunk(w, width));
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (len(next) <= width) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = [...(kept[maxLines - 1] ?? '')];
  const room = width - len(ellipsis);
  kept[maxLines - 1] = `${last.slice(0, room).join('').trimEnd()}${ellipsis}`;
  return kept;
}

function len(s: string): number {
  return [...s].length;
}

function chunk(word: string, width: number): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}
