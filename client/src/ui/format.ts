/** Display formatting shared by the board widgets. */
import { usdCents, type MicroUsd } from '../../../shared/money';

const dollarsFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * The one way the client shows money: integer micro-dollars to "$1,234.57" (rounded to the cent,
 * halves up), built from whole dollars and cents so no float division can show an artefact.
 */
export function usd(micro: MicroUsd): string {
  const { negative, dollars, cents } = usdCents(micro);
  return `${negative ? '-' : ''}$${dollarsFmt.format(dollars)}.${cents}`;
}

/** "2h 05m", "4m 09s", "overdue 12m" for a duration in ms. */
export function countdown(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const body = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${pad(m)}m` : `${m}m ${pad(s)}s`;
  return neg ? `overdue ${body}` : body;
}

/** The current time in an IANA zone, e.g. "14:05"; undefined when the zone is unknown. */
export function localTime(tz: string | undefined, now = new Date()): string | undefined {
  if (!tz) return undefined;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(now);
  } catch {
    return undefined;
  }
}

/** Up to two initials of a name, for avatars. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

/** ISO string -> value for <input type="datetime-local"> in local time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

/** <input type="datetime-local"> value -> ISO string (UTC), or undefined when empty/invalid. */
export function fromLocalInput(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** "just now", "4 min ago", "3 h ago", "2 d ago" for an ISO time; '' when it is not one. */
export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** The full local date and time of an ISO time, for hover titles. */
export function exactTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** This browser's IANA time zone ('Europe/Berlin'), if it says. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The city an IANA time zone is named after ('Europe/Berlin' → 'Berlin'); none for UTC, Etc/… */
export function cityOfZone(tz: string | undefined): string | null {
  if (!tz || !tz.includes('/') || tz.startsWith('Etc/')) return null;
  return tz.slice(tz.lastIndexOf('/') + 1).replace(/_/g, ' ') || null;
}

/** A time in a clip as a player shows it: `m:ss`. */
export const clockTime = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
