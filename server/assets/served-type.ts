/**
 * The Content-Type a stored file is served with. Only the picture, video and audio types the upload
 * sniffer and the renderers produce go out as themselves (shown inline); anything else a row may
 * hold (an older row, a future format, a bug) goes out as an opaque download, so no stored byte
 * is ever served as text/html, image/svg+xml or another type a browser would run.
 */
const MEDIA_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska',
  'audio/wav', 'audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/ogg', 'audio/flac', 'audio/webm', 'audio/x-matroska']);

export function servedType(mime: string): { type: string; inline: boolean } {
  const type = mime.toLowerCase().split(';')[0]!.trim();
  return MEDIA_TYPES.has(type) ? { type, inline: true } : { type: 'application/octet-stream', inline: false };
}
