/**
 * Small, strict readers for what the exports write, so the tests check the files the way a
 * consumer would read them, without new packages: RFC 4180 CSV, a well-formedness-checking XML
 * reader, and a CMX 3600 event-line parser.
 */

/** RFC 4180: records end in CRLF; a quoted field may hold commas, CR, LF and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`CSV: text after a closing quote at ${i}`);
      } else {
        field += ch;
        i++;
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new Error(`CSV: a quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CSV: bare CR at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += 2;
    } else if (ch === '\n') {
      throw new Error(`CSV: bare LF outside quotes at ${i} (records must end in CRLF)`);
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`XML: unknown entity ${m}`);
    return v;
  });
}

/** Parses a document, throwing on anything not well-formed (mismatched tags, raw `<` or `&`, bad attributes). */
export function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const token = /<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of text.matchAll(token)) {
    const top = stack[stack.length - 1]!;
    if (m[6]) throw new Error(`XML: stray "<" at ${m.index}`);
    if (m[5] !== undefined) {
      if (/&(?!(#x[0-9a-fA-F]+|#\d+|\w+);)/.test(m[5])) throw new Error(`XML: raw "&" in text at ${m.index}`);
      if (stack.length === 1 && m[5].trim()) throw new Error('XML: text outside the root element');
      top.text += decode(m[5]);
    } else if (m[1]) {
      if (top.name !== m[1]) throw new Error(`XML: </${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1]! in attrs) throw new Error(`XML: duplicate attribute ${a[1]}`);
        const raw = a[2] ?? a[3] ?? '';
        if (/&(?!(#x[0-9a-fA-F]+|#\d+|\w+);)/.test(raw)) throw new Error(`XML: raw "&" in attribute ${a[1]}`);
        attrs[a[1]!] = decode(raw);
      }
      const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
      if (stack.length === 1 && root.children.length > 0) throw new Error('XML: more than one root element');
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('XML: no root element');
  return root.children[0]!;
}

/** Every descendant element named `name`, in document order. */
export function findAll(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

export interface EdlEvent {
  num: number;
  reel: string;
  track: string;
  transition: string;
  /** Frames of a dissolve or wipe (the number after D/W), else undefined. */
  length?: number;
  srcIn: string;
  srcOut: string;
  recIn: string;
  recOut: string;
  comments: string[];
}

const TC = '(\\d\\d:\\d\\d:\\d\\d:\\d\\d)';
const EVENT = new RegExp(`^(\\d{3,})  (\\S{1,8})\\s+(V|A|A2|AA|B|AA/V)\\s+(C|D|W\\d{3})\\s+(?:(\\d{3})\\s+)?${TC} ${TC} ${TC} ${TC}\\s*$`);

/** CMX 3600: header lines, then events each followed by their `*` comments. Unknown lines throw. */
export function parseEdl(text: string): { title: string; fcm: string; events: EdlEvent[] } {
  let title = '';
  let fcm = '';
  const events: EdlEvent[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^TITLE: (.*)$/.exec(line))) title = m[1]!;
    else if ((m = /^FCM: (.*)$/.exec(line))) fcm = m[1]!;
    else if ((m = EVENT.exec(line))) {
      const e: EdlEvent = { num: Number(m[1]), reel: m[2]!, track: m[3]!, transition: m[4]!, srcIn: m[6]!, srcOut: m[7]!, recIn: m[8]!, recOut: m[9]!, comments: [] };
      if (m[5]) e.length = Number(m[5]);
      events.push(e);
    } else if (line.startsWith('*') && events.length > 0) events[events.length - 1]!.comments.push(line);
    else throw new Error(`EDL: cannot read line ${JSON.stringify(line)}`);
  }
  return { title, fcm, events };
}

/** HH:MM:SS:FF at a whole nominal rate to frames. */
export function tcFrames(tc: string, fps: number): number {
  const [h, m, s, f] = tc.split(':').map(Number) as [number, number, number, number];
  return ((h * 60 + m) * 60 + s) * fps + f;
}
