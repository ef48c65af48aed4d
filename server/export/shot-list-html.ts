/**
 * A printable shot list: one self-contained HTML page (inline CSS, no script), one table row per
 * shot with the selected take's poster, styled for paper (landscape, header row repeated on each
 * page, rows never split across pages). Every user string is HTML-escaped.
 */
import type { ExportShot, ExportSnapshot } from './board-snapshot.js';
import { htmlEscape as h } from './escape.js';
import { formatSeconds } from '../../shared/generation/index.js';
import { usdText } from '../../shared/money.js';

/** Poster image source per shot id: a `data:` URL (self-contained file) or an absolute URL. */
export type ThumbSources = Map<string, string>;

const CSS = `
  @page { size: A4 landscape; margin: 12mm; }
  * { box-sizing: border-box; }
  body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0; padding: 16px; }
  header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #111; margin-bottom: 8px; }
  h1 { font-size: 16pt; margin: 0 0 4px; }
  .meta { color: #555; font-size: 9pt; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  thead { display: table-header-group; }
  th { text-align: left; font-size: 8pt; text-transform: uppercase; letter-spacing: .04em; color: #555; border-bottom: 1px solid #999; padding: 4px; }
  td { vertical-align: top; border-bottom: 1px solid #ddd; padding: 6px 4px; overflow-wrap: anywhere; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .n { width: 3em; font-weight: 600; } .thumb { width: 168px; } .mode { width: 6em; } .dur { width: 4.5em; }
  .model { width: 9em; } .cam { width: 8em; } .status { width: 6.5em; } .take { width: 8em; }
  img { display: block; width: 160px; height: auto; max-height: 120px; object-fit: contain; background: #eee; }
  .none { width: 160px; height: 90px; border: 1px dashed #bbb; color: #999; display: flex; align-items: center; justify-content: center; font-size: 8pt; }
  .title { font-weight: 600; } .id { color: #888; font-size: 7.5pt; } .prompt { white-space: pre-wrap; }
  .chain { color: #555; font-size: 8pt; }
  @media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
`;

export function toShotListHtml(snap: ExportSnapshot, thumbs: ThumbSources, generatedAt: Date): string {
  const titles = new Map(snap.shots.map((s) => [s.shot.id, s.shot.title]));
  const seconds = snap.shots.reduce((n, s) => n + s.shot.durationSec, 0);
  const cost = snap.shots.reduce((n, s) => n + (s.take?.costMicroUsd ?? 0), 0);
  const rows = snap.shots.map((e) => row(e, thumbs.get(e.shot.id), titles)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(snap.title)} · Shot list</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>${h(snap.title)}</h1>
  <div class="meta">${snap.shots.length} shots · ${formatSeconds(seconds)} · ${h(snap.meta.aspectRatio)} · ${snap.meta.fps} fps · selected takes ${usdText(cost)} · ${h(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</div>
</header>
<table>
<thead><tr><th class="n">#</th><th class="thumb">Selected take</th><th>Shot</th><th class="mode">Mode</th><th>Prompt</th><th class="dur">Dur.</th><th class="model">Model</th><th class="cam">Camera</th><th class="status">Status</th><th class="take">Take</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

function row(e: ExportShot, thumb: string | undefined, titles: Map<string, string>): string {
  const s = e.shot;
  const img = thumb ? `<img src="${h(thumb)}" alt="${h(`Poster of ${s.title || `shot ${e.order}`}`)}">` : '<div class="none">no take</div>';
  const chain = s.continuesFrom ? `<div class="chain">continues from ${h(titles.get(s.continuesFrom) || s.continuesFrom)}</div>` : '';
  const camera = [s.shotSize, s.camera].filter(Boolean).join(' · ');
  const take = e.take ? `${h(e.take.status)}<br>${usdText(e.take.costMicroUsd)}` : '—';
  return `<tr><td class="n">${e.order}</td><td class="thumb">${img}</td><td><div class="title">${h(s.title)}</div><div class="id">${h(s.id)}</div>${chain}</td><td class="mode">${h(s.mode)}</td><td class="prompt">${h(s.prompt)}</td><td class="dur">${s.durationSec}s</td><td class="model">${h(s.model)}</td><td class="cam">${h(camera)}</td><td class="status">${h(s.status)}</td><td class="take">${take}</td></tr>`;
}
