/**
 * Escaping for values placed inside a `-filter_complex` graph (file paths for drawtext). ffmpeg
 * unescapes twice: once when it splits the graph into filters, once when it splits a filter's
 * `key=value` list. A backslash before any character makes it literal at both levels.
 * User text never goes through here: it is written to files and read with `textfile=`.
 */
export function escapeFilterValue(value: string): string {
  if (/[\0\r\n]/.test(value)) throw new Error('a filter value cannot hold NUL or line breaks');
  const optionLevel = value.replace(/[\\':\s]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;\s]/g, (c) => `\\${c}`);
}
