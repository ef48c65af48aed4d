import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The raw JSON text; 'null' means the client went away. */
  json: string;
}

/**
 * Reads a y-protocols awareness update, keeping only the entries `keep` selects; the others are
 * stepped over without decoding their state. The stock client echoes every presence change it
 * is sent back in one message (a greeting with every teammate on the board, a sweep of expired
 * ones), and the server passes over those: so their number is bounded by the message size only,
 * never refused, or a board with a few hundred people present would cut newcomers off as
 * "malformed". Returns null past `maxKept` kept entries; throws only on bytes that are not an
 * awareness update.
 */
export function readAwarenessUpdate(update: Uint8Array, keep: (clientId: number) => boolean, maxKept: number): AwarenessEntry[] | null {
  const decoder = decoding.createDecoder(update);
  const len = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < len; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    if (!keep(clientId)) {
      decoding.readVarUint8Array(decoder);
      continue;
    }
    if (entries.length === maxKept) return null;
    entries.push({ clientId, clock, json: decoding.readVarString(decoder) });
  }
  return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.json);
  }
  return encoding.toUint8Array(encoder);
}
