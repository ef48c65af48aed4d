/** Escaping for the text formats the exports write. Every user string goes through one of these. */

// XML 1.0 forbids most C0 controls even as character references; they are dropped.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text or attribute value for XML (FCPXML): `& < > " '` as entities, invalid characters removed. */
export function xmlEscape(value: string): string {
  return value
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Line breaks inside attributes would be normalised to spaces by any reader; keep them.
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** Text or attribute value for HTML. */
export function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One line of plain ASCII-safe text (EDL comments): control characters and line breaks become spaces. */
export function oneLine(value: string, max = 200): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}
