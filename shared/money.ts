/**
 * Money is a whole number of micro-dollars (millionths of a US dollar) everywhere it is stored,
 * sent or summed: in the database, the API, the board document and the price table. Sums of
 * integers are exact, so a board's spend is the same however its jobs are grouped; a float
 * `0.1 + 0.2` is not `0.3`. Dollars appear only as text, made here from the integer with
 * integer arithmetic (never by dividing into a float), and typed dollars are read here without
 * passing through a float. See docs/money.md.
 */

/** A whole, non-negative (unless stated) number of millionths of a US dollar. */
export type MicroUsd = number;

export const MICRO_USD_PER_USD = 1_000_000;

/** True for a stored or sent amount: a safe integer, 0 or more. */
export function isMicroUsd(v: unknown): v is MicroUsd {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * A dollar amount that was stored as a float (before money was exact) in micro-dollars, rounded
 * once: `0.1 + 0.2` (0.30000000000000004) becomes 300000. Only for converting old values; new
 * amounts are integers from the start.
 */
export function microUsdFromLegacyUsd(usd: number): MicroUsd {
  return Math.round(usd * MICRO_USD_PER_USD);
}

// Up to 9 whole digits: a billion dollars in micro-dollars is still a safe integer (2^53 is ~9e15).
const DOLLARS_RE = /^\$?\s*(\d{1,9})(?:\.(\d{0,6}))?$|^\$?\s*\.(\d{1,6})$/;

/**
 * Typed dollars ("0.29", "$1200", "12.5", ".5") to micro-dollars without a float: the digits are
 * read as integers, so "0.29" is exactly 290000. Null for anything else (a sign, letters, more
 * than six decimals, a grouping comma, a billion dollars or more).
 */
export function parseUsd(text: string): MicroUsd | null {
  const m = DOLLARS_RE.exec(text.trim());
  if (!m) return null;
  const whole = m[1] ?? '0';
  const frac = (m[2] ?? m[3] ?? '').padEnd(6, '0');
  return Number(whole) * MICRO_USD_PER_USD + Number(frac);
}

/**
 * The exact amount as a plain decimal, at least two decimals and no trailing zeros past them:
 * 290000 -> "0.29", 1512000 -> "1.512", 302400 -> "0.3024", 5000000 -> "5.00". For CSV cells
 * and files where the figure must add up to the cent and below.
 */
export function usdDecimal(micro: MicroUsd): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const rem = abs % MICRO_USD_PER_USD; // `%` and the division of a multiple are exact: no float artefact
  const whole = (abs - rem) / MICRO_USD_PER_USD;
  const frac = String(rem).padStart(6, '0').replace(/0{1,4}$/, '');
  return `${sign}${whole}.${frac}`;
}

/**
 * The amount rounded to the cent (halves away from zero), as sign, whole dollars and two cent
 * digits: the parts a display format puts together ("$1,234.57" or "$1234.57").
 */
export function usdCents(micro: MicroUsd): { negative: boolean; dollars: number; cents: string } {
  const abs = Math.abs(micro);
  const half = abs + 5_000;
  const totalCents = (half - (half % 10_000)) / 10_000;
  const dollars = (totalCents - (totalCents % 100)) / 100;
  const cents = String(totalCents % 100).padStart(2, '0');
  return { negative: micro < 0 && totalCents > 0, dollars, cents };
}

/** Dollars to the cent for messages and plain-text files: 290000 -> "$0.29", -1500000 -> "-$1.50". */
export function usdText(micro: MicroUsd): string {
  const { negative, dollars, cents } = usdCents(micro);
  return `${negative ? '-' : ''}$${dollars}.${cents}`;
}
