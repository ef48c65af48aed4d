import { fix } from './camera.js';
import { hexRgb, hslHex, pick, pickInt, seededRandom } from './random.js';

/** The procedural pictures a shot without frames or references gets. */
export const BACKGROUND_KINDS = ['gradient', 'mandelbrot', 'life', 'cellauto'] as const;
export type BackgroundKind = (typeof BACKGROUND_KINDS)[number];

export interface Background {
  kind: BackgroundKind;
  /** A source chain (no input label) that yields one frame of the canvas size, in yuv420p. */
  chain: string;
}

/** Spots of the Mandelbrot set with detail at moderate zoom. */
const MANDELBROT_SPOTS: ReadonlyArray<readonly [number, number]> = [
  [-0.743643887, 0.131825904],
  [-0.7453, 0.1127],
  [-0.16, 1.0405],
  [-1.25066, 0.02012],
  [0.2549, 0.0005],
  [-0.77568377, 0.13646737],
];
/** Elementary automaton rules that make busy, non-uniform textures. */
const CELL_RULES = [18, 30, 45, 60, 73, 90, 105, 110, 122, 126, 150, 182] as const;

/**
 * A still picture chosen and coloured by `seed`: a colour gradient with a glow, a Mandelbrot
 * detail, a Game of Life field or a cellular-automaton weave. Drawn small, scaled to the canvas.
 */
export function proceduralBackground(seed: number, size: { width: number; height: number }, canvas: { width: number; height: number }): Background {
  const rand = seededRandom(seed ^ 0x5eed);
  const kind = pick(rand, BACKGROUND_KINDS);
  const hue = rand() * 360;
  const dark = hslHex(hue, 0.55, 0.14);
  const light = hslHex((hue + 40 + rand() * 60) % 360, 0.75, 0.62);
  const { width: w, height: h } = size;
  const fit = `scale=${canvas.width}:${canvas.height}:flags=bicubic,setsar=1,format=yuv420p`;
  const one = 'setpts=PTS-STARTPTS';
  switch (kind) {
    case 'gradient':
      return { kind, chain: `${gradient(rand, hue, w / 2, h / 2)},${fit}` };
    case 'mandelbrot': {
      const [cx, cy] = pick(rand, MANDELBROT_SPOTS);
      const scale = 0.004 + rand() * 0.04;
      const src = `mandelbrot=size=${w}x${h}:rate=1:maxiter=300:start_x=${cx}:start_y=${cy}:start_scale=${fix(scale)}:outer=normalized_iteration_count:inner=period`;
      return { kind, chain: `${src},trim=end_frame=1,${one},hue=h=${fix(hue)},${fit}` };
    }
    case 'life': {
      const cells = `${Math.round(w / 8)}x${Math.round(h / 8)}`;
      const gen = pickInt(rand, 6, 20);
      const src = `life=size=${cells}:rate=1:seed=${seed >>> 0}:ratio=${fix(0.2 + rand() * 0.25)}:mold=${pickInt(rand, 6, 14)}` +
        `:life_color=${hex0x(light)}:death_color=${hex0x(dark)}:mold_color=${hex0x(hslHex((hue + 180) % 360, 0.5, 0.35))}`;
      return { kind, chain: `${src},trim=start_frame=${gen}:end_frame=${gen + 1},${one},format=rgb24,${fit},gblur=sigma=${fix(canvas.width / 240)}` };
    }
    case 'cellauto': {
      const rows = Math.round(h / 4);
      const src = `cellauto=size=${Math.round(w / 4)}x${rows}:rate=1:rule=${pick(rand, CELL_RULES)}:seed=${seed >>> 0}:random_fill_ratio=${fix(0.3 + rand() * 0.4)}:scroll=1`;
      const [r0, g0, b0] = hexRgb(dark);
      const [r1, g1, b1] = hexRgb(light);
      const tint = `lutrgb=r='if(gt(val,127),${r1},${r0})':g='if(gt(val,127),${g1},${g0})':b='if(gt(val,127),${b1},${b0})'`;
      return {
        kind,
        chain: `${src},trim=start_frame=${rows}:end_frame=${rows + 1},${one},format=gray,scale=${canvas.width}:${canvas.height}:flags=neighbor,format=rgb24,${tint},gblur=sigma=1.5,setsar=1,format=yuv420p`,
      };
    }
  }
}

/** A two-colour linear gradient at a seeded angle plus a soft glow, drawn with geq. */
function gradient(rand: () => number, hue: number, width: number, height: number): string {
  const w = Math.round(width);
  const h = Math.round(height);
  const angle = rand() * 2 * Math.PI;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const proj = [0, w * c, h * s, w * c + h * s];
  const lo = Math.min(...proj);
  const span = Math.max(...proj) - lo || 1;
  const a = hexRgb(hslHex(hue, 0.6, 0.2));
  const b = hexRgb(hslHex((hue + 90 + rand() * 90) % 360, 0.65, 0.55));
  const glow = hexRgb(hslHex((hue + 200) % 360, 0.8, 0.7));
  const [gx, gy] = [fix(w * (0.2 + rand() * 0.6)), fix(h * (0.2 + rand() * 0.6))];
  const t = `((X*${fix(c)}+Y*${fix(s)}-(${fix(lo)}))/${fix(span)})`;
  const g = `(0.6*exp(-(pow(X-${gx},2)+pow(Y-${gy},2))/${fix(2 * (w * 0.18) ** 2)}))`;
  const ch = (i: 0 | 1 | 2) => `'(${a[i]}+(${b[i] - a[i]})*${t})*(1-${g})+${glow[i]}*${g}'`;
  return `color=c=black:size=${w}x${h}:rate=1,trim=end_frame=1,format=gbrp,geq=r=${ch(0)}:g=${ch(1)}:b=${ch(2)}`;
}

function hex0x(hex: string): string {
  return `0x${hex.slice(1)}`;
}
