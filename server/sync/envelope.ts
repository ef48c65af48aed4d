import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SYNC_MESSAGE, type BoardNotice } from '../../shared/sync.js';

/**
 * The sync envelope: every message on a board socket, both ways, as y-websocket frames it (a
 * varuint message type, then its body). The one place that writes or reads those bytes; the
 * room core and the tests speak in `Envelope` values.
 */
export type Envelope =
  /** y-protocols sync step 1: "here is my state vector, send me what I lack". */
  | { kind: 'step1'; stateVector: Uint8Array }
  /** Sync step 2: the answer to a step 1 (what the asker lacked). */
  | { kind: 'step2'; update: Uint8Array }
  /** A document update. */
  | { kind: 'update'; update: Uint8Array }
  /** A y-protocols awareness update (presence), still encoded. */
  | { kind: 'awareness'; update: Uint8Array }
  /** y-protocols auth "permission denied", with why. */
  | { kind: 'denied'; reason: string }
  /** A board notice (membership, role, archived): ours, JSON. */
  | { kind: 'notice'; notice: BoardNotice };

/** y-protocols sync sub-types (y-protocols/sync messageYjsSyncStep1, ...Step2, ...Update). */
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** y-protocols auth sub-type for "permission denied". */
const AUTH_DENIED = 0;

export function encodeEnvelope(e: Envelope): Uint8Array {
  const enc = encoding.createEncoder();
  switch (e.kind) {
    case 'step1':
    case 'step2':
    case 'update':
      encoding.writeVarUint(enc, SYNC_MESSAGE.sync);
      encoding.writeVarUint(enc, e.kind === 'step1' ? SYNC_STEP1 : e.kind === 'step2' ? SYNC_STEP2 : SYNC_UPDATE);
      encoding.writeVarUint8Array(enc, e.kind === 'step1' ? e.stateVector : e.update);
      break;
    case 'awareness':
      encoding.writeVarUint(enc, SYNC_MESSAGE.awareness);
      encoding.writeVarUint8Array(enc, e.update);
      break;
    case 'denied':
      encoding.writeVarUint(enc, SYNC_MESSAGE.auth);
      encoding.writeVarUint(enc, AUTH_DENIED);
      encoding.writeVarString(enc, e.reason);
      break;
    case 'notice':
      encoding.writeVarUint(enc, SYNC_MESSAGE.board);
      encoding.writeVarString(enc, JSON.stringify(e.notice));
      break;
  }
  return encoding.toUint8Array(enc);
}

/** A message that is well framed but not one this side understands (its reason says which). */
export interface Unknown {
  kind: 'unknown';
  reason: string;
}

/**
 * Reads one message. Throws on bytes that are not the protocol (truncated varints, a state
 * vector that does not decode); returns `unknown` for a well-framed type or sub-type it does not
 * know. Board notices are read as JSON but not checked (shared/sync.ts parseBoardNotice does).
 */
export function decodeEnvelope(data: Uint8Array): Envelope | Unknown {
  const dec = decoding.createDecoder(data);
  const type = decoding.readVarUint(dec);
  if (type === SYNC_MESSAGE.sync) {
    const sub = decoding.readVarUint(dec);
    const body = decoding.readVarUint8Array(dec);
    if (sub === SYNC_STEP1) {
      Y.decodeStateVector(body);
      return { kind: 'step1', stateVector: body };
    }
    if (sub === SYNC_STEP2) return { kind: 'step2', update: body };
    if (sub === SYNC_UPDATE) return { kind: 'update', update: body };
    return { kind: 'unknown', reason: 'unknown sync message' };
  }
  if (type === SYNC_MESSAGE.awareness) return { kind: 'awareness', update: decoding.readVarUint8Array(dec) };
  if (type === SYNC_MESSAGE.auth) {
    const sub = decoding.readVarUint(dec);
    if (sub === AUTH_DENIED) return { kind: 'denied', reason: decoding.readVarString(dec) };
    return { kind: 'unknown', reason: 'unknown auth message' };
  }
  if (type === SYNC_MESSAGE.board) return { kind: 'notice', notice: JSON.parse(decoding.readVarString(dec)) as BoardNotice };
  return { kind: 'unknown', reason: `unknown message type ${type}` };
}
