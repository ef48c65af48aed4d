/**
 * A 5x7 bitmap font (drawn for this file) for captions on machines without any TrueType font.
 * Upper case only: lower case is shown upper case, accents are dropped, anything else is `?`.
 */
const GLYPHS: Readonly<Record<string, string>> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '!': '..X.. ..X.. ..X.. ..X.. ..X.. ..... ..X..',
  '"': '.X.X. .X.X. ..... ..... ..... ..... .....',
  '#': '.X.X. .X.X. XXXXX .X.X. XXXXX .X.X. .X.X.',
  '$': '..X.. .XXXX X.X.. .XXX. ..X.X XXXX. ..X..',
  '%': 'XX... XX..X ...X. ..X.. .X... X..XX ...XX',
  '&': '.XX.. X..X. X.X.. .X... X.X.X X..X. .XX.X',
  "'": '..X.. ..X.. ..... ..... ..... ..... .....',
  '(': '...X. ..X.. .X... .X... .X... ..X.. ...X.',
  ')': '.X... ..X.. ...X. ...X. ...X. ..X.. .X...',
  '*': '..... ..X.. X.X.X .XXX. X.X.X ..X.. .....',
  '+': '..... ..X.. ..X.. XXXXX ..X.. ..X.. .....',
  ',': '..... ..... ..... ..... .XX.. ..X.. .X...',
  '-': '..... ..... ..... XXXXX ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .XX.. .XX..',
  '/': '....X ....X ...X. ..X.. .X... X.... X....',
  '0': '.XXX. X...X X..XX X.X.X XX..X X...X .XXX.',
  '1': '..X.. .XX.. ..X.. ..X.. ..X.. ..X.. .XXX.',
  '2': '.XXX. X...X ....X ...X. ..X.. .X... XXXXX',
  '3': 'XXXXX ...X. ..X.. ...X. ....X X...X .XXX.',
  '4': '...X. ..XX. .X.X. X..X. XXXXX ...X. ...X.',
  '5': 'XXXXX X.... XXXX. ....X ....X X...X .XXX.',
  '6': '..XX. .X... X.... XXXX. X...X X...X .XXX.',
  '7': 'XXXXX ....X ...X. ..X.. .X... .X... .X...',
  '8': '.XXX. X...X X...X .XXX. X...X X...X .XXX.',
  '9': '.XXX. X...X X...X .XXXX ....X ...X. .XX..',
  ':': '..... .XX.. .XX.. ..... .XX.. .XX.. .....',
  ';': '..... .XX.. .XX.. ..... .XX.. ..X.. .X...',
  '<': '...X. ..X.. .X... X.... .X... ..X.. ...X.',
  '=': '..... ..... XXXXX ..... XXXXX ..... .....',
  '>': '.X... ..X.. ...X. ....X ...X. ..X.. .X...',
  '?': '.XXX. X...X ....X ...X. ..X.. ..... ..X..',
  '@': '.XXX. X...X ....X .XX.X X.X.X X.X.X .XXX.',
  'A': '.XXX. X...X X...X XXXXX X...X X...X X...X',
  'B': 'XXXX. X...X X...X XXXX. X...X X...X XXXX.',
  'C': '.XXX. X...X X.... X.... X.... X...X .XXX.',
  'D': 'XXX.. X..X. X...X X...X X...X X..X. XXX..',
  'E': 'XXXXX X.... X.... XXXX. X.... X.... XXXXX',
  'F': 'XXXXX X.... X.... XXXX. X.... X.... X....',
  'G': '.XXX. X...X X.... X.XXX X...X X...X .XXXX',
  'H': 'X...X X...X X...X XXXXX X...X X...X X...X',
  'I': '.XXX. ..X.. ..X.. ..X.. ..X.. ..X.. .XXX.',
  'J': '..XXX ...X. ...X. ...X. ...X. X..X. .XX..',
  'K': 'X...X X..X. X.X.. XX... X.X.. X..X. X...X',
  'L': 'X.... X.... X.... X.... X.... X.... XXXXX',
  'M': 'X...X XX.XX X.X.X X.X.X X...X X...X X...X',
  'N': 'X...X X...X XX..X X.X.X X..XX X...X X...X',
  'O': '.XXX. X...X X...X X...X X...X X...X .XXX.',
  'P': 'XXXX. X...X X...X XXXX. X.... X.... X....',
  'Q': '.XXX. X...X X...X X...X X.X.X X..X. .XX.X',
  'R': 'XXXX. X...X X...X XXXX. X.X.. X..X. X...X',
  'S': '.XXXX X.... X.... .XXX. ....X ....X XXXX.',
  'T': 'XXXXX ..X.. ..X.. ..X.. ..X.. ..X.. ..X..',
  'U': 'X...X X...X X...X X...X X...X X...X .XXX.',
  'V': 'X...X X...X X...X X...X X...X .X.X. ..X..',
  'W': 'X...X X...X X...X X.X.X X.X.X X.X.X .X.X.',
  'X': 'X...X X...X .X.X. ..X.. .X.X. X...X X...X',
  'Y': 'X...X X...X .X.X. ..X.. ..X.. ..X.. ..X..',
  'Z': 'XXXXX ....X ...X. ..X.. .X... X.... XXXXX',
  '[': '.XXX. .X... .X... .X... .X... .X... .XXX.',
  '\\': 'X.... X.... .X... ..X.. ...X. ....X ....X',
  ']': '.XXX. ...X. ...X. ...X. ...X. ...X. .XXX.',
  '^': '..X.. .X.X. X...X ..... ..... ..... .....',
  '_': '..... ..... ..... ..... ..... ..... XXXXX',
  '`': '.X... ..X.. ..... ..... ..... ..... .....',
  '{': '...X. ..X.. ..X.. .X... ..X.. ..X.. ...X.',
  '|': '..X.. ..X.. ..X.. ..X.. ..X.. ..X.. ..X..',
  '}': '.X... ..X.. ..X.. ...X. ..X.. ..X.. .X...',
  '~': '..... ..... .X... X.X.X ...X. ..... .....',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

const LOOKALIKES: Readonly<Record<string, string>> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', '\t': ' ' };

/** Text the bitmap font can draw: upper case ASCII, look-alikes replaced, the rest `?`. */
export function toBitmapText(text: string): string {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '');
  return Array.from(plain, (ch) => {
    const c = LOOKALIKES[ch] ?? ch.toUpperCase();
    return [...c].every((x) => x in GLYPHS) ? c : '?';
  }).join('');
}

/** A glyph's lit pixels as `[column, row]` pairs (unknown characters: `?`). */
export function glyphPixels(ch: string): Array<[number, number]> {
  const rows = (GLYPHS[ch] ?? GLYPHS['?'] ?? '').split(' ');
  const lit: Array<[number, number]> = [];
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === 'X') lit.push([x, y]);
  });
  return lit;
}
