/** Escaping for the text formats the exports write. Every user string goes through one of these. */
import { BIDI_CONTROLS, LINE_BREAKS } from '../../shared/one-line.js';

// XML 1.0 forbids most C0 controls even as character references; they are dropped.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// A lone UTF-16 surrogate (half an emoji cut off, or typed on purpose) cannot be written as UTF-8.
const LONE_SURROGATE = /\p{Cs}/gu;

/** The string with every lone surrogate replaced by U+FFFD, as a UTF-8 encoder would write it anyway. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A JSON export (OTIO, sequence.json) as text: JSON.stringify escapes everything JSON needs, but
 * writes a lone surrogate as `\ud800`, which strict readers (OTIO's RapidJSON among them) refuse
 * to load; every string is made well-formed first.
 */
export function jsonText(value: unknown, indent: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v), indent);
}

/** Text or attribute value for XML (FCPXML): `& < > " '` as entities, invalid characters removed. */
export function xmlEscape(value: string): string {
  return wellFormed(value)
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
  return wellFormed(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}


/**
 * One line of text for a line-based format (EDL comments): no character any reader could take
 * as a line break, no bidi controls, whitespace collapsed, at most `max` characters (whole code
 * points, so an emoji is never cut in half).
 */
export function oneLine(value: string, max = 200): string {
  // A line break becomes a space; a bidi control, which would reorder the timecodes after it, is dropped.
  const line = wellFormed(value).replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
  return bounded(line, max).trim();
}

/** At most `max` whole code points of `value` (an emoji is never cut in half). */
export function bounded(value: string, max: number): string {
  return Array.from(value).slice(0, max).join('');
}
