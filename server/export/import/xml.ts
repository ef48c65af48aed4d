/**
 * A small XML reader for the subset timeline files use (FCPXML): elements, attributes, text,
 * CDATA, comments, processing instructions and a DOCTYPE without an internal subset. Written here
 * rather than taken from a general parser so that what is refused is plain: no DTD internal
 * subset and no entity declarations at all (so no external entities and no expansion bombs),
 * only the five predefined entities and character references, bounded depth and element count.
 * Every error names the line it happened on.
 */

export interface XmlElement {
  name: string;
  /** Attribute values, entities decoded. A null-prototype record: `__proto__` is just a name. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

export class XmlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 200_000, maxAttributes: 64 };

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses `text` into its root element; throws XmlError naming the line for anything outside the subset. */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  let pos = 0;
  let count = 0;
  // Lines counted forward from the last position asked (the reader only moves forward), so
  // numbering every element costs one pass over the text, not one per element.
  let counted = 0;
  let countedLine = 1;
  const lineAt = (at: number) => {
    if (at < counted) [counted, countedLine] = [0, 1];
    for (let i = text.indexOf('\n', counted); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) countedLine++;
    counted = at;
    return countedLine;
  };
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(at));
  };
  const skipSpace = () => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };
  const readName = (what: string): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail(`expected ${what}`);
    pos = NAME.lastIndex;
    return m![0];
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]{0,12});?/g, (whole, name: string) => {
      if (!whole.endsWith(';')) fail(`a bare "&" (write &amp;)`, at);
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        const ok = /^#(x[0-9a-fA-F]+|[0-9]+)$/.test(name) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
        if (!ok) fail(`a bad character reference "&${name};"`, at);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[name];
      if (value === undefined) fail(`the entity "&${name.slice(0, 12)};" is not allowed (only &lt; &gt; &amp; &quot; &apos; and character references)`, at);
      return value!;
    });
  /** Skips everything that may stand between elements: space, comments, PIs. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end === -1) fail('a comment that never ends');
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end === -1) fail('a processing instruction that never ends');
        pos = end + 2;
      } else return;
    }
  };

  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  skipMisc();
  if (text.startsWith('<!DOCTYPE', pos)) {
    const end = text.indexOf('>', pos);
    if (end === -1) fail('a DOCTYPE that never ends');
    const decl = text.slice(pos, end);
    if (decl.includes('[')) fail('a DOCTYPE with an internal subset (entity declarations are not allowed)');
    pos = end + 1;
    skipMisc();
  }
  if (text.includes('<!ENTITY')) fail('an entity declaration (not allowed)', text.indexOf('<!ENTITY'));

  const readElement = (depth: number): XmlElement => {
    if (depth > limits.maxDepth) fail(`elements nested deeper than ${limits.maxDepth}`);
    if (++count > limits.maxElements) fail(`more than ${limits.maxElements} elements`);
    const start = pos;
    if (text[pos] !== '<') fail('expected an element');
    pos++;
    const name = readName('an element name');
    const el: XmlElement = { name, attrs: Object.create(null) as Record<string, string>, children: [], text: '', line: lineAt(start) };
    let attrs = 0;
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      const attr = readName(`an attribute or the end of <${name}>`);
      if (++attrs > limits.maxAttributes) fail(`<${name}> has more than ${limits.maxAttributes} attributes`);
      skipSpace();
      if (text[pos] !== '=') fail(`expected = after ${attr} in <${name}>`);
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attr} in <${name}> is not quoted`);
      const end = text.indexOf(quote!, pos + 1);
      if (end === -1) fail(`the value of ${attr} in <${name}> never ends`);
      const raw = text.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" inside the value of ${attr} in <${name}>`);
      if (Object.hasOwn(el.attrs, attr)) fail(`${attr} appears twice in <${name}>`);
      el.attrs[attr] = decode(raw, pos);
      pos = end + 1;
    }
    const texts: string[] = [];
    for (;;) {
      const lt = text.indexOf('<', pos);
      if (lt === -1) fail(`<${name}> (line ${el.line}) is never closed`);
      if (lt > pos) texts.push(decode(text.slice(pos, lt), pos));
      pos = lt;
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName('an element name');
        if (closing !== name) fail(`</${closing}> closes <${name}> (line ${el.line})`);
        skipSpace();
        if (text[pos] !== '>') fail(`expected > to end </${name}>`);
        pos++;
        el.text = texts.join('');
        return el;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end === -1) fail('a CDATA section that never ends');
        texts.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text.startsWith('<!--', pos) || text.startsWith('<?', pos)) {
        skipMisc();
      } else if (text.startsWith('<!', pos)) {
        fail('a declaration inside the document (not allowed)');
      } else {
        el.children.push(readElement(depth + 1));
      }
    }
  };

  const root = readElement(1);
  skipMisc();
  if (pos < text.length) fail('content after the root element');
  return root;
}

/** The direct children of `el` named `name`. */
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
