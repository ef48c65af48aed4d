/** File names of exports: `<board title> - <what>.<ext>`, safe everywhere, with the real title kept in `filename*`. */

/** `Content-Disposition: attachment` naming the file after the board (RFC 6266 with an RFC 5987 `filename*`). */
export function attachmentFor(boardTitle: string, suffix: string): string {
  const unicode = unicodeName(boardTitle, suffix);
  return `attachment; filename="${asciiName(boardTitle, suffix)}"; filename*=UTF-8''${rfc5987(unicode)}`;
}

/** Plain ASCII fallback: accents folded (é → e), anything else outside `[A-Za-z0-9 ._-]` dropped. */
export function asciiName(title: string, suffix: string): string {
  const folded = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const stem = folded
    .replace(/[^A-Za-z0-9 ._-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
    .slice(0, 80)
    .trim();
  return `${stem || 'board'} - ${suffix}`;
}

/** The title as typed, minus what no file system accepts (separators, controls, reserved punctuation). */
export function unicodeName(title: string, suffix: string): string {
  const stem = title
    .replace(/[\u0000-\u001f\u007f\\/:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
    .slice(0, 120)
    .trim();
  return `${stem || 'board'} - ${suffix}`;
}

/** RFC 5987 value-chars: encodeURIComponent leaves `'()*!` alone, of which only `!` is an attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
