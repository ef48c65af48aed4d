import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * What one instance tells the others about a board, over the bus: a document update it stored
 * (with its seq) or a presence update of its clients. Binary, so updates are not re-encoded.
 */
export type FanoutMessage =
  | { kind: 'update'; boardId: string; seq: number; update: Uint8Array }
  | { kind: 'awareness'; boardId: string; update: Uint8Array };

export const FANOUT_CHANNEL = 'tb:sync';

export function encodeFanout(m: FanoutMessage): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, m.kind === 'update' ? 0 : 1);
  encoding.writeVarString(enc, m.boardId);
  if (m.kind === 'update') encoding.writeVarUint(enc, m.seq);
  encoding.writeVarUint8Array(enc, m.update);
  return encoding.toUint8Array(enc);
}

export function decodeFanout(bytes: Uint8Array): FanoutMessage {
  const dec = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(dec);
  const boardId = decoding.readVarString(dec);
  if (kind === 0) {
    const seq = decoding.readVarUint(dec);
    return { kind: 'update', boardId, seq, update: decoding.readVarUint8Array(dec) };
  }
  return { kind: 'awareness', boardId, update: decoding.readVarUint8Array(dec) };
}
