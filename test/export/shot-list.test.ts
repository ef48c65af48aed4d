import { describe, expect, it } from 'vitest';
import { getBytes, TRICKY_PROMPT, TRICKY_TITLE, useChainedBoard } from './helpers.js';
import { parseCsv } from './parsers.js';

const { srv, b } = useChainedBoard();

const get = (file: string) => b.owner.client.get(`/api/boards/${b.boardId}/export/${file}`);

describe('shots.csv', () => {
  it('round-trips every shot through an RFC 4180 parser, commas, quotes and line breaks included', async () => {
    const res = await get('shots.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Neon Run Cafe one-take - shots\.csv"; filename\*=UTF-8''Neon%20Run%20%E2%80%94%20Caf%C3%A9%2C%20one-take%20-%20shots\.csv$/);
    const text: string = res.body;
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    const [header, ...shots] = rows;
    expect(shots).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(header!.length);
    const records = shots.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    const [one, two, three] = records;

    expect(one).toMatchObject({
      order: '1', shot_id: b.first, title: TRICKY_TITLE, mode: 'reference', prompt: TRICKY_PROMPT, duration_sec: '3', model: 'animatic',
      shot_size: 'WS', camera: 'push-in', status: 'review', continues_from: '', selected_take_id: b.take1.id,
      selected_take_status: 'succeeded', selected_take_cost_usd: '0.00', selected_take_clip: `${srv.url}/api/assets/${b.take1.clip}`,
    });
    expect(one!.references).toBe(`Mara, courier (character): night, soaked [${b.ref.v2}]`);
    expect(two).toMatchObject({ order: '2', shot_id: b.second, title: 'Rooftop', continues_from: b.first, continues_from_title: TRICKY_TITLE, selected_take_id: b.take2.id, camera: 'orbit' });
    expect(three).toMatchObject({ order: '3', shot_id: b.third, title: 'Epilogue, not shot yet', selected_take_id: '', selected_take_status: '', selected_take_cost_usd: '' });
    // A prompt a spreadsheet would run as a formula is neutralised.
    expect(three!.prompt).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(header).toEqual(expect.arrayContaining(['order', 'shot_id', 'title', 'mode', 'prompt', 'duration_sec', 'model', 'shot_size', 'camera', 'status', 'assignee', 'continues_from', 'references', 'start_frame', 'end_frame', 'selected_take_id', 'selected_take_status', 'selected_take_cost_usd']));
  });
});

describe('shots.html', () => {
  it('is a printable, escaped shot list with the selected takes’ posters embedded', async () => {
    const res = await getBytes(b.owner.client, `/api/boards/${b.boardId}/export/shots.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".* - shots\.html"/);
    const html = res.bytes.toString('utf8');
    expect(html).toMatch(/@media print/);
    expect(html).toMatch(/@page \{ size: A4 landscape/);
    expect(html).not.toContain('<run>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('Alley, &quot;night&quot; &lt;run&gt; &amp; rain');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    const rows = html.match(/<tr><td class="n">/g) ?? [];
    expect(rows).toHaveLength(3);
    const images = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(images).toHaveLength(2);
    for (const src of images) expect(src).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(html).toContain('<div class="none">no take</div>');
  });

  it('links the posters under the public origin with thumbs=link', async () => {
    const res = await getBytes(b.owner.client, `/api/boards/${b.boardId}/export/shots.html?thumbs=link`);
    const images = [...res.bytes.toString('utf8').matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(images).toEqual([`${srv.url}/api/assets/${b.take1.clip}/poster`, `${srv.url}/api/assets/${b.take2.clip}/poster`]);
    const poster = await getBytes(b.owner.client, new URL(images[0]!).pathname);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
  });
});
